"""The aid-leverage negotiation model (pure, vectorised).

A patron (the United States) announces conditional aid: aid to Ukraine falls to
``a_L`` if Kyiv refuses talks and rises to ``a_H`` if Moscow refuses (reported plan,
Feb and June 2024). Kyiv and Moscow then accept or refuse; after a refusal the
patron chooses again, and a threat counts only if carrying it out is then its best
reply (an audience cost makes backing down costly). Sanctions on Russia add to its
cost of war and cut its resources. For each lever setting the model gives the
probability that Ukraine prevails, the bargaining range with the precondition's
participation constraints, the Nash and Rubinstein settlements, the probability of
no agreement under private information, the credibility of each threat, Powell's
check for a power shift under peace, and months of war before talks and before a
settlement. The formulas are in :mod:`twotier.models.bargaining`.

These are results of a stated model under stated assumptions, not forecasts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from twotier.errors import InputError
from twotier.models import bargaining as bg
from twotier.models.negotiation.params import (
    DATES,
    PARAMETERS,
    NegotiationParams,
    Parameter,
    Uncertainty,
)

__all__ = [
    "FLAGS",
    "LABELS",
    "OUTPUTS",
    "PARAMETERS",
    "SETTINGS",
    "NegotiationParams",
    "Parameter",
    "Setting",
    "Uncertainty",
    "evaluate_arrays",
    "evaluate_negotiation",
    "months_to_talks",
    "readable_columns",
    "sweep_negotiation",
]


@dataclass(frozen=True, slots=True)
class Setting:
    """One combination of the levers: which threats are announced, sanctions or not."""

    name: str
    threat_ukraine: bool
    threat_russia: bool
    sanctions: bool


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        {
            (False, False): "status quo",
            (True, False): "threat to Ukraine",
            (False, True): "threat to Russia",
            (True, True): "both threats",
        }[(tu, tr)]
        + (" + sanctions" if s else ""),
        tu,
        tr,
        s,
    )
    for s, tr, tu in itertools.product((False, True), (False, True), (False, True))
)

#: Outputs with their units (the frame's columns after the setting columns).
OUTPUTS: dict[str, str] = {
    "p": "probability",
    "p_if_ukraine_refuses": "probability",
    "p_if_russia_refuses": "probability",
    "range_low": "share of the prize",
    "range_high": "share of the prize",
    "range_width": "share of the prize",
    "range_empty": "flag",
    "nash_x": "share of the prize",
    "rubinstein_x_ukraine_first": "share of the prize",
    "rubinstein_x_russia_first": "share of the prize",
    "offer_x_russia_offers": "share of the prize",
    "p_no_agreement_russia_offers": "probability",
    "offer_x_ukraine_offers": "share of the prize",
    "p_no_agreement_ukraine_offers": "probability",
    "threat_ukraine_credible": "flag",
    "threat_russia_credible": "flag",
    "audience_cost_needed_ukraine_eur_bn": "EUR bn",
    "audience_cost_needed_russia_eur_bn": "EUR bn",
    "precondition_cost_max": "share of the prize",
    "ukraine_prefers_war_now": "flag",
    "russia_prefers_war_now": "flag",
    "months_before_talks": "months",
    "months_before_settlement": "months",
}
FLAGS = frozenset(k for k, unit in OUTPUTS.items() if unit == "flag")

#: Plain-language column names for sweeps and exported tables.
LABELS: dict[str, str] = {
    "setting": "Lever setting",
    "threat_ukraine": "Threat to Ukraine announced",
    "threat_russia": "Threat to Russia announced",
    "sanctions": "Sanctions",
    "p": "P(Ukraine prevails) at baseline aid",
    "p_if_ukraine_refuses": "P(Ukraine prevails) after Kyiv refuses",
    "p_if_russia_refuses": "P(Ukraine prevails) after Moscow refuses",
    "range_low": "Lowest deal both accept (Ukraine's share)",
    "range_high": "Highest deal both accept (Ukraine's share)",
    "range_width": "Width of the bargaining range",
    "range_empty": "No deal both accept",
    "nash_x": "Nash split (Ukraine's share)",
    "rubinstein_x_ukraine_first": "Rubinstein split, Kyiv offers first",
    "rubinstein_x_russia_first": "Rubinstein split, Moscow offers first",
    "offer_x_russia_offers": "Moscow's offer under private costs",
    "p_no_agreement_russia_offers": "P(no agreement), Moscow offers",
    "offer_x_ukraine_offers": "Kyiv's offer under private costs",
    "p_no_agreement_ukraine_offers": "P(no agreement), Kyiv offers",
    "threat_ukraine_credible": "Threat to Ukraine credible",
    "threat_russia_credible": "Threat to Russia credible",
    "audience_cost_needed_ukraine_eur_bn": (
        "Audience cost for a credible threat to Ukraine (EUR bn)"
    ),
    "audience_cost_needed_russia_eur_bn": "Audience cost for a credible threat to Russia (EUR bn)",
    "precondition_cost_max": "Largest precondition cost that leaves a deal",
    "ukraine_prefers_war_now": "Ukraine prefers war now (Powell)",
    "russia_prefers_war_now": "Russia prefers war now (Powell)",
    "months_before_talks": "Months of war before talks",
    "months_before_settlement": "Expected months of war before a settlement",
}
_AVG_MONTH_DAYS = 365.25 / 12


def months_to_talks(params: NegotiationParams) -> float:
    """Return the months from the reference date to the first round of talks.

    Talks start no earlier than the inauguration, then after ``talks_lag_months``.
    """
    start = dt.date.fromisoformat(params.reference_date)
    inauguration = dt.date.fromisoformat(params.inauguration_date)
    wait = max((inauguration - start).days, 0) / _AVG_MONTH_DAYS
    return wait + params.talks_lag_months


def _contest(v: Mapping[str, Any], aid: Any, russia: Any) -> Any:
    ukraine = v["resources_ukraine_usd_bn"] + v["usd_per_eur"] * (v["other_aid_eur_bn"] + aid)
    return bg.contest_probability(ukraine, russia, v["decisiveness"], v["effectiveness"])


def _patron_value(v: Mapping[str, Any]) -> Any:
    """V, or the revealed-preference value 1/p'(a_0) where V is 0 (at no sanctions)."""
    a0 = v["aid_baseline_eur_bn"]
    ukraine = v["resources_ukraine_usd_bn"] + v["usd_per_eur"] * (v["other_aid_eur_bn"] + a0)
    p0 = _contest(v, a0, v["resources_russia_usd_bn"])
    slope = bg.contest_slope(p0, ukraine, v["decisiveness"]) * v["usd_per_eur"]
    given = np.asarray(v["patron_value_eur_bn_per_year"], dtype=float)
    return np.where(given > 0, given, 1.0 / slope)


def _state(v: Mapping[str, Any], sanctions: bool, value: Any) -> dict[str, Any]:
    """Everything that depends on sanctions but not on which threats are announced."""
    cut = v["sanctions_resource_cut"] if sanctions else 0.0
    extra = v["sanctions_cost"] if sanctions else 0.0
    m_r = v["resources_russia_usd_bn"] * (1.0 - cut)
    a0 = v["aid_baseline_eur_bn"]
    a_l = a0 * (1.0 - v["aid_cut_share"])
    a_h = a0 + v["aid_rise_eur_bn"]
    p0, p_l, p_h = _contest(v, a0, m_r), _contest(v, a_l, m_r), _contest(v, a_h, m_r)
    u0, u_l, u_h = value * p0 - a0, value * p_l - a_l, value * p_h - a_h
    years = v["aid_decision_years"]
    need_l = bg.audience_cost_needed(u_l, u0, years)
    need_h = bg.audience_cost_needed(u_h, u0, years)
    cost_r = v["cost_russia"] + extra
    later_aid = np.maximum(a0 + v["peace_aid_change_eur_bn"], 0.0)
    p_later = _contest(v, later_aid, m_r * (1.0 + v["russia_rebuild"]))
    beta, years = v["discount_per_year"], v["power_shift_years"]
    step = bg.first_year_of_shift(p0, p_later, years)
    return {
        "p": p0, "p_l": p_l, "p_h": p_h, "need_l": need_l, "need_h": need_h,
        "cost_r": cost_r, "extra": extra,
        "ukraine_war": bg.preventive_war(1.0 - p0, 1.0 - step, v["cost_ukraine"], beta),
        "russia_war": bg.preventive_war(p0, step, cost_r, beta),
        "offers": {},
    }  # fmt: skip


def _offers(
    v: Mapping[str, Any], st: dict[str, Any], s: Setting, p_lo: Any, p_hi: Any
) -> dict[str, Any]:
    """Take-it-or-leave-it offers under private costs, by proposer (feasible splits).

    Russia's offer depends only on the threat to Ukraine, Ukraine's only on the threat
    to Russia, so each is computed once per sanctions state and reused.
    """
    k_u, k_r = v["precondition_cost_ukraine"], v["precondition_value_russia"]
    cache = st["offers"]
    if ("russia", s.threat_ukraine) not in cache:
        # Russia offers x = p_L + κ_U - z; Ukraine's cost is private.
        z_r, war_r, _ = bg.screening_offer(
            st["cost_r"] + k_r - k_u, v["cost_ukraine_low"], v["cost_ukraine_high"],
            p_lo + k_u - 1.0, p_lo + k_u,
        )  # fmt: skip
        cache[("russia", s.threat_ukraine)] = (p_lo + k_u - z_r, war_r)
    if ("ukraine", s.threat_russia) not in cache:
        # Ukraine offers x = p_H + κ_R + z; Russia's cost is private.
        z_u, war_u, _ = bg.screening_offer(
            v["cost_ukraine"] + k_r - k_u,
            v["cost_russia_low"] + st["extra"], v["cost_russia_high"] + st["extra"],
            -p_hi - k_r, 1.0 - p_hi - k_r,
        )  # fmt: skip
        cache[("ukraine", s.threat_russia)] = (p_hi + k_r + z_u, war_u)
    x_r, war_r = cache[("russia", s.threat_ukraine)]
    x_u, war_u = cache[("ukraine", s.threat_russia)]
    return {
        "offer_x_russia_offers": x_r,
        "p_no_agreement_russia_offers": war_r,
        "offer_x_ukraine_offers": x_u,
        "p_no_agreement_ukraine_offers": war_u,
    }


def _setting(v: Mapping[str, Any], st: dict[str, Any], s: Setting, talks: Any) -> dict[str, Any]:
    audience = v["audience_cost_eur_bn"]
    cred_l = (audience >= st["need_l"]) if s.threat_ukraine else None
    cred_h = (audience >= st["need_h"]) if s.threat_russia else None
    p0 = st["p"]
    p_lo = p0 if cred_l is None else np.where(cred_l, st["p_l"], p0)
    p_hi = p0 if cred_h is None else np.where(cred_h, st["p_h"], p0)
    k_u, k_r = v["precondition_cost_ukraine"], v["precondition_value_russia"]
    lower, upper = bg.bargaining_range(p_lo, p_hi, v["cost_ukraine"], st["cost_r"], k_u, k_r)
    low, high = np.maximum(lower, 0.0), np.minimum(upper, 1.0)
    du, dr = v["delta_ukraine"], v["delta_russia"]
    offers = _offers(v, st, s, p_lo, p_hi)
    no_deal = (offers["p_no_agreement_russia_offers"] + offers["p_no_agreement_ukraine_offers"]) / 2
    with np.errstate(divide="ignore"):
        rounds = np.where(no_deal < 1.0, 1.0 / np.maximum(1.0 - no_deal, 1e-300), np.nan)
    return {
        "p": p0, "p_if_ukraine_refuses": p_lo, "p_if_russia_refuses": p_hi,
        "range_low": low, "range_high": high, "range_width": high - low,
        "range_empty": low > high,
        "nash_x": bg.nash_share(low, high),
        "rubinstein_x_ukraine_first": bg.outside_option_share(
            bg.rubinstein_share(du, dr), low, high),
        "rubinstein_x_russia_first": bg.outside_option_share(
            1.0 - bg.rubinstein_share(dr, du), low, high),
        **offers,
        "threat_ukraine_credible": cred_l, "threat_russia_credible": cred_h,
        "audience_cost_needed_ukraine_eur_bn": st["need_l"] if s.threat_ukraine else np.nan,
        "audience_cost_needed_russia_eur_bn": st["need_h"] if s.threat_russia else np.nan,
        "precondition_cost_max": np.minimum(upper, 1.0) - (p_lo - v["cost_ukraine"]),
        "ukraine_prefers_war_now": st["ukraine_war"], "russia_prefers_war_now": st["russia_war"],
        "months_before_talks": talks,
        "months_before_settlement": talks + v["months_per_round"] * rounds,
    }  # fmt: skip


def evaluate_arrays(
    values: Mapping[str, Any], talks: Any, settings: tuple[Setting, ...] = SETTINGS
) -> list[dict[str, Any]]:
    """Return all outputs for each setting.

    ``values`` maps parameter names to floats or arrays (broadcast together),
    ``talks`` is the months before talks.
    """
    v = {k: np.asarray(x, dtype=float) for k, x in values.items()}
    value = _patron_value(v)
    states = {s: _state(v, s, value) for s in {x.sanctions for x in settings}}
    return [_setting(v, states[s.sanctions], s, talks) for s in settings]


def evaluate_negotiation(params: NegotiationParams) -> pd.DataFrame:
    """One row per lever setting (8): the outputs of the model at the given parameters.

    Columns: ``setting, threat_ukraine, threat_russia, sanctions`` and :data:`OUTPUTS`
    (flags are missing where the setting has no such threat; ``nash_x`` and the
    Rubinstein shares are missing where the range is empty;
    ``months_before_settlement`` is missing where no offer is ever accepted).
    """
    rows = []
    for s, out in zip(SETTINGS, evaluate_arrays(params.values(), months_to_talks(params)),
                      strict=True):  # fmt: skip
        row: dict[str, Any] = {
            "setting": s.name,
            "threat_ukraine": s.threat_ukraine,
            "threat_russia": s.threat_russia,
            "sanctions": s.sanctions,
        }
        for key in OUTPUTS:
            value = out[key]
            row[key] = None if value is None else np.asarray(value).item()
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in FLAGS:
        frame[col] = frame[col].astype("boolean")
    return frame


def sweep_negotiation(
    params: NegotiationParams, name: str, values: Sequence[float]
) -> pd.DataFrame:
    """Evaluate every setting at each value of one parameter (others fixed).

    Returns the frame of :func:`evaluate_negotiation` with a first column ``name``.
    """
    if name not in PARAMETERS:
        raise InputError(
            f"sweep: unknown parameter {name!r}; accepted: {', '.join(PARAMETERS)}", field="sweep"
        )
    frames = []
    for value in values:
        frame = evaluate_negotiation(params.replace(**{name: float(value)}))
        frame.insert(0, name, float(value))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def readable_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with plain-language column names (parameters keep name and unit)."""
    names = {c: LABELS.get(c, f"{c} ({PARAMETERS[c].unit})" if c in PARAMETERS else c)
             for c in frame.columns}  # fmt: skip
    return frame.rename(columns=names)


def date_notes() -> dict[str, str]:
    """Sources of the two date parameters (shown with the results)."""
    return dict(DATES)

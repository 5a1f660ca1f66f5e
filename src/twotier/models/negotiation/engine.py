"""The aid-leverage negotiation model (pure, vectorised).

A patron (the United States) uses military aid to Ukraine as leverage: aid falls to
``a_L`` if Kyiv refuses talks and rises to ``a_H`` if Moscow refuses (Bloomberg,
February 2024; Kellogg-Fleitz, June 2024; ``shared/reference/policies.md`` §3-4).
Sanctions on Russia add to its cost of war and/or cut its resources. For each lever
setting the model gives the probability that Ukraine prevails, the bargaining range,
the Nash and Rubinstein settlements, the probability of no agreement under private
information, the credibility of each threat and Powell's shifting-power check. The
formulas are in :mod:`twotier.models.bargaining`.

These are results of a stated model under stated assumptions, not forecasts.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from twotier._random import as_generator
from twotier.models import bargaining as bg
from twotier.models.negotiation.params import (
    PARAMETERS,
    NegotiationParams,
    Parameter,
    Uncertainty,
)

__all__ = [
    "PARAMETERS",
    "SETTINGS",
    "NegotiationParams",
    "Parameter",
    "Uncertainty",
    "evaluate_negotiation",
    "parameter_table",
    "simulate_negotiation",
    "summarize_simulation",
    "sweep_negotiation",
]


@dataclass(frozen=True, slots=True)
class Setting:
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


def _evaluate(v: Mapping[str, Any], s: Setting) -> dict[str, Any]:
    """All outputs for one setting; ``v`` maps parameter names to arrays or scalars."""
    f = np.asarray
    cut = f(v["sanctions_resource_cut"]) if s.sanctions else 0.0
    extra_cost = f(v["sanctions_cost"]) if s.sanctions else 0.0
    m_r = f(v["resources_russia_usd_bn"]) * (1.0 - cut)
    cost_r = f(v["cost_russia"]) + extra_cost
    a0 = f(v["aid_baseline_eur_bn"])
    a_l = f(v["aid_after_ukraine_refusal_eur_bn"]) if s.threat_ukraine else a0
    a_h = f(v["aid_after_russia_refusal_eur_bn"]) if s.threat_russia else a0

    def p_of(aid: Any, russia: Any = m_r) -> Any:
        ukraine = f(v["resources_ukraine_usd_bn"]) + f(v["usd_per_eur"]) * (
            f(v["other_aid_eur_bn"]) + aid
        )
        return bg.contest_probability(ukraine, russia, v["decisiveness"], v["effectiveness"])

    p, p_l, p_h = p_of(a0), p_of(a_l), p_of(a_h)
    lower, upper = bg.bargaining_range(p_l, p_h, v["cost_ukraine"], cost_r, v["precondition_cost"])
    du, dr = f(v["delta_ukraine"]), f(v["delta_russia"])
    z_ru, war_ru = bg.risk_return(cost_r, v["cost_ukraine_low"], v["cost_ukraine_high"])
    z_ua, war_ua = bg.risk_return(
        v["cost_ukraine"],
        f(v["cost_russia_low"]) + extra_cost,
        f(v["cost_russia_high"]) + extra_cost,
    )
    value = f(v["patron_value_eur_bn"])
    patron = value * p - a0
    p_rebuilt = p_of(a_l, m_r * (1.0 + f(v["russia_rebuild"])))
    return {
        "p": p,
        "p_if_ukraine_refuses": p_l,
        "p_if_russia_refuses": p_h,
        "range_low": lower,
        "range_high": upper,
        "range_width": upper - lower,
        "range_empty": lower > upper,
        "nash_x": bg.nash_share(lower, upper),
        "rubinstein_x_ukraine_first": bg.outside_option_share(
            bg.rubinstein_share(du, dr), lower, upper
        ),
        "rubinstein_x_russia_first": bg.outside_option_share(
            1.0 - bg.rubinstein_share(dr, du), lower, upper
        ),
        "offer_x_russia_offers": np.clip(p_l + f(v["precondition_cost"]) - z_ru, 0.0, 1.0),
        "p_no_agreement_russia_offers": war_ru,
        "offer_x_ukraine_offers": np.clip(p_h + z_ua, 0.0, 1.0),
        "p_no_agreement_ukraine_offers": war_ua,
        "threat_ukraine_credible": (value * p_l - a_l >= patron) if s.threat_ukraine else None,
        "threat_russia_credible": (value * p_h - a_h >= patron) if s.threat_russia else None,
        "ukraine_prefers_war_now": bg.preventive_war(
            1.0 - p, 1.0 - p_rebuilt, v["cost_ukraine"], du
        ),
        "russia_prefers_war_now": bg.preventive_war(p, p_h, cost_r, dr),
    }


OUTPUTS = (
    "p",
    "p_if_ukraine_refuses",
    "p_if_russia_refuses",
    "range_low",
    "range_high",
    "range_width",
    "range_empty",
    "nash_x",
    "rubinstein_x_ukraine_first",
    "rubinstein_x_russia_first",
    "offer_x_russia_offers",
    "p_no_agreement_russia_offers",
    "offer_x_ukraine_offers",
    "p_no_agreement_ukraine_offers",
    "threat_ukraine_credible",
    "threat_russia_credible",
    "ukraine_prefers_war_now",
    "russia_prefers_war_now",
)


def _values(params: NegotiationParams) -> dict[str, float]:
    values = {name: getattr(params, name) for name in PARAMETERS}
    values["aid_after_russia_refusal_eur_bn"] = params.aid_high
    return {k: float(v) for k, v in values.items()}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in ("threat_ukraine_credible", "threat_russia_credible"):
        frame[col] = frame[col].astype("boolean")
    return frame


def evaluate_negotiation(params: NegotiationParams) -> pd.DataFrame:
    """One row per lever setting (8): outputs of the model at the given parameters.

    Columns: ``setting, threat_ukraine, threat_russia, sanctions`` and the outputs
    ``p`` (Ukraine prevails, at a_0), ``p_if_ukraine_refuses`` / ``p_if_russia_refuses``
    (at the aid level each refusal triggers), ``range_low, range_high, range_width,
    range_empty`` (Ukraine's share x), ``nash_x``, ``rubinstein_x_ukraine_first``,
    ``rubinstein_x_russia_first`` (clipped to the range), ``offer_x_*`` and
    ``p_no_agreement_*`` (take-it-or-leave-it offer under private costs, by proposer),
    ``threat_*_credible`` (missing where the setting has no such threat),
    ``ukraine_prefers_war_now`` / ``russia_prefers_war_now`` (Powell's check).
    """
    values = _values(params)
    rows = []
    for s in SETTINGS:
        out = _evaluate(values, s)
        row: dict[str, Any] = {
            "setting": s.name,
            "threat_ukraine": s.threat_ukraine,
            "threat_russia": s.threat_russia,
            "sanctions": s.sanctions,
        }
        for key, value in out.items():
            row[key] = value if value is None else np.asarray(value).item()
        rows.append(row)
    return _frame(rows)


def _draws(
    params: NegotiationParams,
    uncertainties: Sequence[Uncertainty],
    draws: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    values: dict[str, Any] = _values(params)
    for u in uncertainties:  # in the given order, so the same seed gives the same draws
        values[u.name] = u.sample(rng, draws)
    lo_hi = (("cost_ukraine_low", "cost_ukraine_high"), ("cost_russia_low", "cost_russia_high"))
    for lo, hi in lo_hi:
        values[lo], values[hi] = (
            np.minimum(values[lo], values[hi]),
            np.maximum(values[lo], values[hi]),
        )
    return values


def simulate_negotiation(
    params: NegotiationParams,
    uncertainties: Sequence[Uncertainty],
    draws: int = 10_000,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """Monte Carlo over the parameter distributions, vectorised over draws.

    Returns a long frame, one row per (draw, setting), with the columns of
    :func:`evaluate_negotiation` plus ``draw``. ``rng`` follows SPEC 7: a Generator,
    a seed, or None; the same seed gives the same frame.
    """
    if draws < 1:
        raise ValueError(f"draws: expected a whole number >= 1, found {draws}")
    names = [u.name for u in uncertainties]
    if len(set(names)) != len(names):
        raise ValueError(f"uncertainty: each parameter once, found {names}")
    generator = as_generator(rng, field="rng")
    values = _draws(params, uncertainties, draws, generator)
    parts = []
    for s in SETTINGS:
        out = _evaluate(values, s)
        part = {
            "draw": np.arange(draws),
            "setting": s.name,
            "threat_ukraine": s.threat_ukraine,
            "threat_russia": s.threat_russia,
            "sanctions": s.sanctions,
        }
        for key, value in out.items():
            part[key] = (
                pd.array([None] * draws, dtype="boolean")
                if value is None
                else np.broadcast_to(np.asarray(value), (draws,))
            )
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


def summarize_simulation(frame: pd.DataFrame) -> pd.DataFrame:
    """Per setting and output: mean, 5/50/95 % quantiles (numbers) or share True (flags)."""
    rows = []
    for setting, group in frame.groupby("setting", sort=False):
        for output in OUTPUTS:
            col = group[output]
            if pd.api.types.is_bool_dtype(col) or str(col.dtype) == "boolean":
                known = col.dropna().astype(bool)
                rows.append(
                    {
                        "setting": setting,
                        "output": output,
                        "n": len(known),
                        "share_true": float(known.mean()) if len(known) else np.nan,
                    }
                )
                continue
            x = col.astype(float).dropna()
            q = np.quantile(x, [0.05, 0.5, 0.95]) if len(x) else [np.nan] * 3
            rows.append(
                {
                    "setting": setting,
                    "output": output,
                    "n": len(x),
                    "mean": float(x.mean()) if len(x) else np.nan,
                    "q05": q[0],
                    "q50": q[1],
                    "q95": q[2],
                }
            )
    return pd.DataFrame(
        rows, columns=["setting", "output", "n", "mean", "q05", "q50", "q95", "share_true"]
    )


def sweep_negotiation(
    params: NegotiationParams, name: str, values: Sequence[float]
) -> pd.DataFrame:
    """Evaluate every setting at each value of one parameter (others fixed).

    Returns the frame of :func:`evaluate_negotiation` with a first column ``name``.
    """
    if name not in PARAMETERS:
        raise ValueError(f"--sweep: unknown parameter {name!r}; accepted: {', '.join(PARAMETERS)}")
    frames = []
    for value in values:
        frame = evaluate_negotiation(params.replace(**{name: float(value)}))
        frame.insert(0, name, float(value))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def parameter_table(
    params: NegotiationParams,
    uncertainties: Sequence[Uncertainty] = (),
    notes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every parameter with its value, unit, distribution (if any) and source.

    ``notes`` adds text to the source of some parameters (e.g. the data date of the
    aid figures).
    """
    notes = notes or {}
    dist = {u.name: u for u in uncertainties}
    values = _values(params)
    rows = []
    for name, meta in PARAMETERS.items():
        u = dist.get(name)
        rows.append(
            {
                "parameter": name,
                "value": values[name],
                "unit": meta.unit,
                "distribution": ""
                if u is None
                else (
                    f"{u.distribution}({u.low:g}, {u.high:g}"
                    + (f", mode {u.mode:g})" if u.mode is not None else ")")
                ),
                "source": meta.source + (f" {notes[name]}" if name in notes else ""),
            }
        )
    return pd.DataFrame(rows)

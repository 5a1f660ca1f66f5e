"""Parameters of the negotiation model.

Names, units, defaults with sources, validation, and the uncertainty distributions
sampled in Monte Carlo runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from twotier.errors import InputError

__all__ = [
    "DATES",
    "PARAMETERS",
    "NegotiationParams",
    "Parameter",
    "Uncertainty",
    "parameter_table",
]


@dataclass(frozen=True, slots=True)
class Parameter:
    """Metadata of one model parameter.

    Unit, allowed range, source of the default, and whether it is a lever (a policy
    choice compared) or an assumption.
    """

    name: str
    unit: str
    low: float
    high: float
    source: str
    lever: bool = False


_ILLUSTRATIVE = "illustrative assumption (no published estimate adopted); vary it"
_SHARE = "share of the prize"

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("resources_ukraine_usd_bn", "US$ bn per year", 0.1, 5000,
                  "Ukraine's military expenditure (bundled file military_expenditure.csv; "
                  "basis and source in the notes)"),
        Parameter("resources_russia_usd_bn", "US$ bn per year", 0.1, 5000,
                  "Russia's military expenditure (bundled file military_expenditure.csv; "
                  "basis and source in the notes)"),
        Parameter("usd_per_eur", "US$ per EUR", 0.5, 2.0,
                  "1.0824: ECB euro reference rate, 2024 annual average (converts aid, "
                  "counted in EUR, to the resources' US$)"),
        Parameter("aid_baseline_eur_bn", "EUR bn per year", 0.0, 1000,
                  "a_0: US military aid allocated to Ukraine per year (Kiel Ukraine Support "
                  "Tracker; window in the notes)"),
        Parameter("aid_cut_share", "share of a_0", 0.0, 1.0,
                  "1: the reported threat ends US military aid if Kyiv refuses talks "
                  "(Bloomberg, Feb 2024); a_L = (1 - share) a_0", lever=True),
        Parameter("aid_rise_eur_bn", "EUR bn per year", 0.0, 1000,
                  "a_H - a_0: the reports name no amount for 'raise aid if Moscow refuses'; "
                  "default a_0 (aid doubled) (" + _ILLUSTRATIVE + ")", lever=True),
        Parameter("other_aid_eur_bn", "EUR bn per year", 0.0, 1000,
                  "military aid to Ukraine from all other donors (Kiel; window in the "
                  "notes), held fixed by the levers"),
        Parameter("decisiveness", "exponent r", 0.05, 20,
                  "1: Tullock's lottery form (Skaperdas 1996 gives the axioms, not a value "
                  "for war) (" + _ILLUSTRATIVE + ")"),
        Parameter("effectiveness", "ratio θ", 0.01, 100,
                  "1: a unit of resources equally effective on both sides (" + _ILLUSTRATIVE
                  + ")"),
        Parameter("cost_ukraine", _SHARE, 0.0, 1.0, "0.2 (" + _ILLUSTRATIVE + ")"),
        Parameter("cost_russia", _SHARE, 0.0, 1.0, "0.2 (" + _ILLUSTRATIVE + ")"),
        Parameter("cost_ukraine_low", _SHARE, 0.0, 1.0,
                  "0.05: lowest of Ukraine's privately known costs (" + _ILLUSTRATIVE + ")"),
        Parameter("cost_ukraine_high", _SHARE, 0.0, 1.0,
                  "0.35: highest (" + _ILLUSTRATIVE + ")"),
        Parameter("cost_russia_low", _SHARE, 0.0, 1.0,
                  "0.05: lowest of Russia's privately known costs (" + _ILLUSTRATIVE + ")"),
        Parameter("cost_russia_high", _SHARE, 0.0, 1.0,
                  "0.35: highest (" + _ILLUSTRATIVE + ")"),
        Parameter("sanctions_cost", _SHARE, 0.0, 1.0,
                  "0.05 added to Russia's cost of war by tighter central-bank sanctions ("
                  + _ILLUSTRATIVE + ")", lever=True),
        Parameter("sanctions_resource_cut", "share of Russia's resources", 0.0, 0.99,
                  "0.05 cut in Russia's resources by tighter sanctions (" + _ILLUSTRATIVE
                  + ")", lever=True),
        Parameter("delta_ukraine", "discount factor per round of offers", 0.0, 0.999,
                  "0.9 (" + _ILLUSTRATIVE + ")"),
        Parameter("delta_russia", "discount factor per round of offers", 0.0, 0.999,
                  "0.9 (" + _ILLUSTRATIVE + ")"),
        Parameter("precondition_cost_ukraine", _SHARE, 0.0, 1.0,
                  "κ_U, cost to Ukraine of revoking its 2022 decree on talks (Russia's stated "
                  "precondition); not measured, 0 by default"),
        Parameter("precondition_value_russia", _SHARE, 0.0, 1.0,
                  "κ_R, value to Russia of that precondition being met; not measured, 0 by "
                  "default"),
        Parameter("patron_value_eur_bn_per_year", "EUR bn per year per unit of p", 0.0, 1e5,
                  "V: value to the patron of Ukraine's chance of prevailing; 0 = revealed "
                  "preference, V = 1/p'(a_0), so that a_0 is the patron's best aid level "
                  "without threats"),
        Parameter("audience_cost_eur_bn", "EUR bn (one-off)", 0.0, 1e4,
                  "A: cost to the patron of not carrying out an announced threat (audience "
                  "and reputation costs, Fearon 1994; Schelling 1966); 0 (" + _ILLUSTRATIVE
                  + "); the results show the A at which each threat becomes credible",
                  lever=True),
        Parameter("aid_decision_years", "years", 0.1, 50,
                  "H: years covered by the patron's choice after a refusal (turns EUR bn per "
                  "year into EUR bn); 1 (" + _ILLUSTRATIVE + ")"),
        Parameter("discount_per_year", "discount factor per year", 0.0, 0.999,
                  "β for Powell's check, separate from the per-round factors; 0.9 ("
                  + _ILLUSTRATIVE + ")"),
        Parameter("power_shift_years", "years", 0.0, 50,
                  "N: years of peace over which the shift below accrues evenly; 3 ("
                  + _ILLUSTRATIVE + ")"),
        Parameter("russia_rebuild", "share of Russia's resources", 0.0, 5.0,
                  "growth of Russia's resources over N years of peace; 0 (" + _ILLUSTRATIVE
                  + ")"),
        Parameter("peace_aid_change_eur_bn", "EUR bn per year", -1000, 1000,
                  "change in US aid to Ukraine after N years of peace (an aid ramp under "
                  "peace); 0 (" + _ILLUSTRATIVE + ")"),
        Parameter("talks_lag_months", "months", 0.0, 120,
                  "months from the inauguration to the first round of talks; 0 ("
                  + _ILLUSTRATIVE + ")"),
        Parameter("months_per_round", "months", 0.01, 120,
                  "length of one round of offers; 1 (" + _ILLUSTRATIVE + ")"),
    )
}  # fmt: skip

#: Parameters that are dates (ISO strings), with their sources.
DATES: dict[str, str] = {
    "reference_date": "2024-11-05: the US presidential election; the reports place the plan "
    "after it (months of war are counted from this date)",
    "inauguration_date": "2025-01-20: inauguration day (US Constitution, 20th Amendment); "
    "talks on behalf of the US start no earlier",
}


def _check_date(name: str, value: object) -> None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name}: expected a date YYYY-MM-DD, found {value!r}") from None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"{name}: expected a date YYYY-MM-DD, found {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class NegotiationParams:
    """Inputs of the negotiation model; see :data:`PARAMETERS` for units and sources.

    Resources and aid levels come from data and have no default here:
    :func:`twotier.negotiation_params` fills them from the bundled figures.
    """

    resources_ukraine_usd_bn: float
    resources_russia_usd_bn: float
    aid_baseline_eur_bn: float
    other_aid_eur_bn: float
    aid_cut_share: float = 1.0
    aid_rise_eur_bn: float | None = None  # None: a_0
    usd_per_eur: float = 1.0824
    decisiveness: float = 1.0
    effectiveness: float = 1.0
    cost_ukraine: float = 0.2
    cost_russia: float = 0.2
    cost_ukraine_low: float = 0.05
    cost_ukraine_high: float = 0.35
    cost_russia_low: float = 0.05
    cost_russia_high: float = 0.35
    sanctions_cost: float = 0.05
    sanctions_resource_cut: float = 0.05
    delta_ukraine: float = 0.9
    delta_russia: float = 0.9
    precondition_cost_ukraine: float = 0.0
    precondition_value_russia: float = 0.0
    patron_value_eur_bn_per_year: float = 0.0
    audience_cost_eur_bn: float = 0.0
    aid_decision_years: float = 1.0
    discount_per_year: float = 0.9
    power_shift_years: float = 3.0
    russia_rebuild: float = 0.0
    peace_aid_change_eur_bn: float = 0.0
    talks_lag_months: float = 0.0
    months_per_round: float = 1.0
    reference_date: str = "2024-11-05"
    inauguration_date: str = "2025-01-20"

    def __post_init__(self) -> None:
        for name, meta in PARAMETERS.items():
            value = getattr(self, name)
            if name == "aid_rise_eur_bn" and value is None:
                continue
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not meta.low <= float(value) <= meta.high:
                raise ValueError(
                    f"{name}: expected a number from {meta.low:g} to {meta.high:g} "
                    f"({meta.unit}), found {value!r}"
                )
        for side in ("ukraine", "russia"):
            lo, hi = getattr(self, f"cost_{side}_low"), getattr(self, f"cost_{side}_high")
            if lo > hi:
                raise ValueError(f"cost_{side}_low: must not exceed cost_{side}_high ({lo} > {hi})")
        for name in DATES:
            _check_date(name, getattr(self, name))

    @property
    def aid_rise(self) -> float:
        """a_H - a_0, with its default (a_0) resolved."""
        if self.aid_rise_eur_bn is None:
            return float(self.aid_baseline_eur_bn)
        return float(self.aid_rise_eur_bn)

    def values(self) -> dict[str, float]:
        """Every numeric parameter as a float (defaults resolved)."""
        out = {name: float(getattr(self, name) or 0.0) for name in PARAMETERS}
        out["aid_rise_eur_bn"] = self.aid_rise
        return out

    def replace(self, **changes: object) -> NegotiationParams:
        """A copy with some parameters changed (validated)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """A distribution for one parameter in Monte Carlo runs (uniform or triangular).

    Levers are shares or increments of the baseline, so their ranges are independent
    of the others; the one cross-parameter rule (``cost_<side>_low <=
    cost_<side>_high``) is checked over whole ranges by :func:`check_uncertainties`.
    """

    name: str
    distribution: str
    low: float
    high: float
    mode: float | None = None

    def __post_init__(self) -> None:
        if self.name not in PARAMETERS:
            raise ValueError(f"{self.name}: not a parameter; accepted: {', '.join(PARAMETERS)}")
        meta = PARAMETERS[self.name]
        if self.distribution not in ("uniform", "triangular"):
            raise ValueError(
                f"{self.name}.distribution: expected uniform or triangular, "
                f"found {self.distribution!r}"
            )
        if not meta.low <= self.low <= self.high <= meta.high:
            raise ValueError(
                f"{self.name}: expected {meta.low:g} <= low <= high <= {meta.high:g}, "
                f"found low={self.low}, high={self.high}"
            )
        if self.distribution == "triangular" and (
            self.mode is None or not self.low <= self.mode <= self.high
        ):
            raise ValueError(f"{self.name}.mode: expected a number from low to high")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` values from the distribution with ``rng``."""
        if self.distribution == "uniform" or self.low == self.high:
            return rng.uniform(self.low, self.high, size)
        mode = self.low if self.mode is None else self.mode
        return rng.triangular(self.low, mode, self.high, size)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantile function: maps uniform [0, 1] numbers to the distribution."""
        if self.distribution == "uniform" or self.low == self.high:
            return self.low + u * (self.high - self.low)
        a, b = self.low, self.high
        c = self.low if self.mode is None else self.mode
        f = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < f, left, right)


def _span(
    params: NegotiationParams, by_name: Mapping[str, Uncertainty], name: str
) -> tuple[float, float]:
    """The lowest and highest value a parameter can take in a run (fixed or drawn)."""
    u = by_name.get(name)
    if u is None:
        value = float(getattr(params, name))
        return value, value
    return u.low, u.high


def check_uncertainties(params: NegotiationParams, uncertainties: Sequence[Uncertainty]) -> None:
    """Refuse distributions whose draws could break a cross-parameter rule.

    Every draw must satisfy the rules :class:`NegotiationParams` checks for fixed
    values (``cost_<side>_low <= cost_<side>_high``), so the whole range of the low
    end must lie at or below the whole range of the high end. Each parameter may
    have one distribution.

    Raises
    ------
    InputError
        Naming ``uncertainty.<parameter>`` and the bound it crosses.
    """
    names = [u.name for u in uncertainties]
    for name in names:
        if names.count(name) > 1:
            raise InputError(
                f"uncertainty.{name}: expected one distribution per parameter, "
                f"found {names.count(name)}",
                field=f"uncertainty.{name}",
            )
    by_name = {u.name: u for u in uncertainties}
    for side in ("ukraine", "russia"):
        lo, hi = f"cost_{side}_low", f"cost_{side}_high"
        lo_span, hi_span = _span(params, by_name, lo), _span(params, by_name, hi)
        if lo_span[1] > hi_span[0]:
            field = lo if lo in by_name else hi
            raise InputError(
                f"uncertainty.{field}: expected ranges that keep {lo} <= {hi} in every draw, "
                f"found {lo} up to {lo_span[1]:g} and {hi} down to {hi_span[0]:g}",
                field=f"uncertainty.{field}",
            )


def parameter_table(
    params: NegotiationParams,
    uncertainties: Sequence[Uncertainty] = (),
    notes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return every parameter with its value, unit, distribution, kind and source.

    Kind is lever or assumption. ``notes`` adds text to some sources (e.g. the data
    window of the aid figures and the Kiel provenance caveat).
    """
    notes = notes or {}
    dist = {u.name: u for u in uncertainties}
    values = params.values()
    rows = []
    for name, meta in PARAMETERS.items():
        u = dist.get(name)
        shown = "" if u is None else f"{u.distribution}({u.low:g}, {u.high:g}"
        if u is not None:
            shown += f", mode {u.mode:g})" if u.mode is not None else ")"
        source = meta.source + (f" {notes[name]}" if name in notes else "")
        rows.append({"parameter": name, "value": values[name], "unit": meta.unit,
                     "kind": "lever" if meta.lever else "assumption", "distribution": shown,
                     "source": source})  # fmt: skip
    for name, source in DATES.items():
        rows.append({"parameter": name, "value": getattr(params, name), "unit": "date",
                     "kind": "assumption", "distribution": "", "source": source})  # fmt: skip
    return pd.DataFrame(rows)

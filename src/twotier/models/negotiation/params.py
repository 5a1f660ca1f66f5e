"""Parameters of the negotiation model.

Names, units, defaults with sources, validation, and the uncertainty distributions
sampled in Monte Carlo runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

__all__ = ["PARAMETERS", "NegotiationParams", "Parameter", "Uncertainty"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """Metadata of one model parameter: unit, allowed range, source of the default."""

    name: str
    unit: str
    low: float
    high: float
    source: str


_ILLUSTRATIVE = "illustrative assumption (no published estimate adopted); vary it"

PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "resources_ukraine_usd_bn",
            "US$ bn per year",
            0.1,
            5000,
            "SIPRI: Ukraine's military expenditure 2023, US$ 64.8 bn (SIPRI, April "
            "2024; https://www.imi-online.de/2024/04/22/sipri-neuer-report/)",
        ),
        Parameter(
            "resources_russia_usd_bn",
            "US$ bn per year",
            0.1,
            5000,
            "SIPRI: Russia's military expenditure 2023, US$ 109 bn (same source)",
        ),
        Parameter(
            "usd_per_eur",
            "US$ per EUR",
            0.5,
            2.0,
            "ECB euro reference rate, 2023 annual average (1.0813)",
        ),
        Parameter(
            "aid_baseline_eur_bn",
            "EUR bn per year",
            0.0,
            1000,
            "a_0: US military aid allocated to Ukraine, Kiel Ukraine Support Tracker, "
            "average per year over the tracker's period (from the bundled data)",
        ),
        Parameter(
            "aid_after_ukraine_refusal_eur_bn",
            "EUR bn per year",
            0.0,
            1000,
            "a_L: 0, the reported threat to end US military aid if Kyiv refuses talks "
            "(Bloomberg, Feb 2024; policies.md P3)",
        ),
        Parameter(
            "aid_after_russia_refusal_eur_bn",
            "EUR bn per year",
            0.0,
            1000,
            "a_H: twice a_0; the reports name no amount for 'raise aid if Moscow "
            "refuses' (" + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "other_aid_eur_bn",
            "EUR bn per year",
            0.0,
            1000,
            "military aid to Ukraine from all other donors in the bundled Kiel data, "
            "average per year (held fixed by the lever)",
        ),
        Parameter(
            "decisiveness",
            "exponent r",
            0.05,
            20,
            "1: Tullock's lottery form, the standard baseline (Skaperdas 1996)",
        ),
        Parameter(
            "effectiveness",
            "ratio θ",
            0.01,
            100,
            "1: a unit of resources is equally effective on both sides (neutral baseline)",
        ),
        Parameter(
            "cost_ukraine",
            "share of the prize",
            0.0,
            1.0,
            "0.2, midpoint of the uncertainty range below (" + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "cost_russia",
            "share of the prize",
            0.0,
            1.0,
            "0.2, midpoint of the uncertainty range below (" + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "cost_ukraine_low",
            "share of the prize",
            0.0,
            1.0,
            "0.05: lower end of Ukraine's privately known cost (models.md §2.4 test range)",
        ),
        Parameter(
            "cost_ukraine_high",
            "share of the prize",
            0.0,
            1.0,
            "0.35: upper end (models.md §2.4 test range)",
        ),
        Parameter(
            "cost_russia_low",
            "share of the prize",
            0.0,
            1.0,
            "0.05: lower end of Russia's privately known cost (models.md §2.4 test range)",
        ),
        Parameter(
            "cost_russia_high",
            "share of the prize",
            0.0,
            1.0,
            "0.35: upper end (models.md §2.4 test range)",
        ),
        Parameter(
            "sanctions_cost",
            "share of the prize",
            0.0,
            1.0,
            "0.05 added to Russia's cost of war by tighter central-bank sanctions ("
            + _ILLUSTRATIVE
            + ")",
        ),
        Parameter(
            "sanctions_resource_cut",
            "share of Russia's resources",
            0.0,
            0.99,
            "0.05 cut in Russia's resources by tighter sanctions (" + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "delta_ukraine",
            "discount factor per round",
            0.0,
            0.999,
            "0.9 (models.md test value; " + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "delta_russia",
            "discount factor per round",
            0.0,
            0.999,
            "0.9 (models.md test value; " + _ILLUSTRATIVE + ")",
        ),
        Parameter(
            "precondition_cost",
            "share of the prize",
            0.0,
            1.0,
            "0: cost to Ukraine of revoking decree 679/2022 before talks (Russia's "
            "stated precondition, policies.md L2); not measured, so 0 by default",
        ),
        Parameter(
            "russia_rebuild",
            "share of Russia's resources",
            0.0,
            5.0,
            "0: growth of Russia's resources during a pause, for Powell's check ("
            + _ILLUSTRATIVE
            + ")",
        ),
        Parameter(
            "patron_value_eur_bn",
            "EUR bn per unit of p",
            0.0,
            1e5,
            "100: value to the patron of Ukraine's chance of prevailing, for the "
            "credibility check (" + _ILLUSTRATIVE + ")",
        ),
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class NegotiationParams:
    """Inputs of the negotiation model; see :data:`PARAMETERS` for units and sources.

    The two aid levels from data (``aid_baseline_eur_bn``, ``other_aid_eur_bn``) have
    no default here: :func:`twotier.default_negotiation_params` fills them from the
    bundled Kiel figures.
    """

    aid_baseline_eur_bn: float
    other_aid_eur_bn: float
    aid_after_ukraine_refusal_eur_bn: float = 0.0
    aid_after_russia_refusal_eur_bn: float | None = None  # None: 2 x a_0
    resources_ukraine_usd_bn: float = 64.8
    resources_russia_usd_bn: float = 109.0
    usd_per_eur: float = 1.0813
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
    precondition_cost: float = 0.0
    russia_rebuild: float = 0.0
    patron_value_eur_bn: float = 100.0

    def __post_init__(self) -> None:
        for name, meta in PARAMETERS.items():
            value = getattr(self, name)
            if name == "aid_after_russia_refusal_eur_bn" and value is None:
                continue
            if not isinstance(value, int | float) or not meta.low <= float(value) <= meta.high:
                raise ValueError(
                    f"{name}: expected a number from {meta.low:g} to {meta.high:g} "
                    f"({meta.unit}), found {value!r}"
                )
        for side in ("ukraine", "russia"):
            lo, hi = getattr(self, f"cost_{side}_low"), getattr(self, f"cost_{side}_high")
            if lo > hi:
                raise ValueError(f"cost_{side}_low: must not exceed cost_{side}_high ({lo} > {hi})")
        # The levers are a cut after a Ukrainian refusal and a rise after a Russian one.
        if self.aid_after_ukraine_refusal_eur_bn > self.aid_baseline_eur_bn:
            raise ValueError(
                "aid_after_ukraine_refusal_eur_bn: must not exceed aid_baseline_eur_bn "
                f"({self.aid_after_ukraine_refusal_eur_bn} > {self.aid_baseline_eur_bn})"
            )
        if self.aid_high < self.aid_baseline_eur_bn:
            raise ValueError(
                "aid_after_russia_refusal_eur_bn: must not be below aid_baseline_eur_bn "
                f"({self.aid_high} < {self.aid_baseline_eur_bn})"
            )

    @property
    def aid_high(self) -> float:
        """a_H, with its default (twice a_0) resolved."""
        if self.aid_after_russia_refusal_eur_bn is None:
            return 2.0 * self.aid_baseline_eur_bn
        return float(self.aid_after_russia_refusal_eur_bn)

    def replace(self, **changes: float) -> NegotiationParams:
        """A copy with some parameters changed (validated)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """A distribution for one parameter in Monte Carlo runs (uniform or triangular)."""

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
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.low == self.high:
            return np.full(size, self.low)
        mode = self.low if self.mode is None else self.mode
        return rng.triangular(self.low, mode, self.high, size)

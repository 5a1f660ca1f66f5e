"""Build the response model's simulation inputs from one history and its fit."""

from __future__ import annotations

import numpy as np

from twotier.models.projection.history import History
from twotier.models.response.engine import ResponseInputs
from twotier.models.response.fit import ResponseFit, exposure, guideline_arrays

__all__ = ["GROWTH_MEAN_BOUND", "GROWTH_SD_BOUND", "response_inputs"]

#: Same bounds as the projection API (reliability review D01).
GROWTH_MEAN_BOUND = 0.1
GROWTH_SD_BOUND = 0.2


def _growth(history: History) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = history.real_growth
    count = np.sum(~np.isnan(g), axis=1)
    mean = np.where(count > 0, np.nanmean(np.where(np.isnan(g), 0.0, g), axis=1), 0.0)
    mean = np.nansum(g, axis=1) / np.maximum(count, 1)
    dev = g - mean[:, None]
    dof = max(int(count.sum() - len(count)), 1)
    pooled = float(np.sqrt(np.nansum(dev**2) / dof))
    sd = np.full(len(mean), min(pooled, GROWTH_SD_BOUND))
    se = sd / np.sqrt(np.maximum(count, 1))
    return np.clip(mean, -GROWTH_MEAN_BOUND, GROWTH_MEAN_BOUND), se, sd


def response_inputs(
    history: History, fit: ResponseFit, horizon: int, *,
    rule_line: float | None = None, rule_deadline: int | None = None, threat: float = 1.0,
    exempt: set[str] | None = None,
) -> ResponseInputs:  # fmt: skip
    """Inputs for years ``history.as_of + 1 .. horizon``; a rule binds from the first year.

    Guidelines are those announced by ``history.as_of``. The rule's pace is
    ``1/max(rule_deadline - t + 1, 1)`` (default deadline: the first projected year, i.e.
    the rule binds at once).
    """
    years = list(range(history.as_of + 1, horizon + 1))
    line, pace = guideline_arrays(years, history.as_of)
    border, proximity = exposure(history.allies)
    mean, se, sd = _growth(history)
    rule_pace = None
    if rule_line is not None:
        deadline = years[0] if rule_deadline is None else rule_deadline
        rule_pace = np.array([1.0 / max(deadline - y + 1, 1) for y in years])
    mask = None if exempt is None else np.isin(np.asarray(history.iso3), sorted(exempt))
    return ResponseInputs(
        years=tuple(years), share0=history.share[:, -1].copy(),
        halfwidth0=history.halfwidth[:, -1].copy(), border=border, proximity=proximity,
        line=line, pace=pace, fit=fit, gdp0=history.gdp_usd_bn.copy(), growth_mean=mean,
        growth_mean_se=se, growth_sd=sd, rule_line=rule_line, rule_pace=rule_pace,
        threat=threat, exempt=mask,
    )  # fmt: skip

"""Origin calibration of the response model: a drift correction learnt from earlier origins.

The backtest of the uncalibrated model found it under-confident in the middle of the
probability scale: allies' shares rose more than it expected (docs/projections.md). The
correction below is estimated with the information available at the origin only:

1. For every earlier origin ``o'`` (from :data:`FIRST_PSEUDO_ORIGIN` offset after the
   first year of figures, up to ``as_of - 1``), fit the model on the figures up to ``o'``
   and simulate to ``as_of`` (horizons up to :data:`MAX_HORIZON`): pseudo-out-of-sample
   forecasts whose outcomes are already known at ``as_of``.
2. Each case gives an error ``log(figure) - median(log forecast)`` at horizon ``h``.
3. The drift correction ``δ`` (log points per year) is the least-squares slope of those
   errors on ``h`` through the origin: ``δ = Σ h·err / Σ h²``. Its standard error treats
   each target year as one cluster (allies in a year share a common shock).

The simulation adds ``δ`` to every ally's change every year (``fit.drift_correction``).
With no earlier origin (too few years of figures) ``δ = 0`` and the table says so.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from twotier.errors import InputError
from twotier.models.projection.history import History
from twotier.models.response.engine import simulate
from twotier.models.response.fit import ResponseFit, fit_response
from twotier.models.response.inputs import response_inputs

__all__ = ["CALIBRATION_DRAWS", "MAX_HORIZON", "calibrate", "pseudo_errors", "truncate"]

#: Horizons of the pseudo-out-of-sample forecasts (the backtest's 1-5 years).
MAX_HORIZON = 5
#: Draws per pseudo forecast: only a median per ally and year is needed (its Monte Carlo
#: error, about 1.25 σ/√n, is below 0.01 log points at 500 draws).
CALIBRATION_DRAWS = 500
#: Earliest pseudo-origin: two years of changes after the first year of figures.
FIRST_PSEUDO_ORIGIN = 2


def truncate(history: History, year: int) -> History:
    """The same edition's history up to ``year`` (GDP level unknown there: NaN)."""
    keep = [j for j, y in enumerate(history.years) if y <= year]
    return dataclasses.replace(
        history, as_of=year, years=tuple(history.years[j] for j in keep),
        share=history.share[:, keep], halfwidth=history.halfwidth[:, keep],
        real_growth=history.real_growth[:, keep], breaks=history.breaks[:, keep],
        estimate=history.estimate[:, keep], gdp_usd_bn=np.full(len(history.iso3), np.nan),
    )  # fmt: skip


def pseudo_errors(
    history: History, rng: np.random.Generator, *, bunching_window: float = 0.1
) -> pd.DataFrame:
    """Errors of the uncalibrated model's forecasts from every earlier origin (see above).

    Columns ``origin, target, horizon, iso3, error`` (log points).
    """
    frames = []
    first = history.years[0] + FIRST_PSEUDO_ORIGIN
    for origin in range(first, history.as_of):
        past = truncate(history, origin)
        try:
            fit = fit_response(past, bunching_window=bunching_window)
        except InputError:
            continue
        horizon = min(history.as_of, origin + MAX_HORIZON)
        inputs = response_inputs(past, fit, horizon)
        shares, _ = simulate(inputs, rng, CALIBRATION_DRAWS)
        q25, median, q75 = np.quantile(np.log(shares), [0.25, 0.5, 0.75], axis=0)  # A x H
        for j, target in enumerate(inputs.years):
            truth = np.log(history.share[:, history.years.index(target)])
            ok = np.isfinite(truth)
            frames.append(pd.DataFrame({
                "origin": origin, "target": target, "horizon": target - origin,
                "iso3": np.asarray(history.iso3)[ok], "error": (truth - median[:, j])[ok],
                "iqr": (q75 - q25)[ok, j],
            }))  # fmt: skip
    columns = ["origin", "target", "horizon", "iso3", "error"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _slope(errors: pd.DataFrame) -> tuple[float, float]:
    h = errors["horizon"].to_numpy(float)
    err = errors["error"].to_numpy(float)
    denom = float(np.sum(h * h))
    delta = float(np.sum(h * err)) / denom
    scores = (errors.assign(s=h * (err - delta * h)).groupby("target")["s"].sum()).to_numpy()
    se = math.sqrt(float(np.sum(scores**2))) / denom if len(scores) > 1 else math.nan
    return delta, se


def calibrate(
    history: History, fit: ResponseFit, rng: np.random.Generator, *,
    bunching_window: float = 0.1,
) -> ResponseFit:  # fmt: skip
    """``fit`` with the drift correction estimated from earlier origins of ``history``."""
    errors = pseudo_errors(history, rng, bunching_window=bunching_window)
    if errors.empty:
        return dataclasses.replace(fit, drift_correction=0.0, drift_correction_se=math.nan,
                                   calibration_cases=0)  # fmt: skip
    delta, se = _slope(errors)
    return dataclasses.replace(
        fit, drift_correction=delta, drift_correction_se=se, calibration_cases=len(errors)
    )

"""Predictive samples of the backtest's methods, from one history up to an origin.

Every method returns an array ``(A allies, H horizons, n draws)`` of shares (% of GDP)
for the years ``origin + h``. Deterministic methods repeat their point forecast.

- ``no_change``: the last figure.
- ``linear_trend``: the ally's least-squares line through its history, extrapolated.
- ``pooled_random_walk``: ``s + h μ + σ √h Z``, with ``μ`` and ``σ`` the mean and s.d.
  of all allies' annual changes in the history (series breaks excluded).
- ``old_constant`` / ``old_trend``: the previous projection engine's scenarios
  (path plus an independent normal shock each year, s.d. from the ally's residuals).
- ``response``: the allies' response model (:mod:`twotier.models.response`) with its
  origin calibration (drift correction from earlier origins, :mod:`.calibrate`);
  ``response_uncalibrated``: the same without it (shows what the correction does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from twotier.models.projection import engine
from twotier.models.projection.history import History

__all__ = ["METHODS", "predictive_samples"]

Float = NDArray[np.float64]


def _repeat(point: Float, n: int) -> Float:
    return np.repeat(point[:, :, None], n, axis=2)


def no_change(history: History, horizons: Sequence[int], rng: np.random.Generator, n: int) -> Float:
    last = history.share[:, -1]
    return _repeat(np.repeat(last[:, None], len(horizons), axis=1), n)


def _since_break(history: History) -> list[tuple[Float, Float]]:
    years = np.asarray(history.years, float)
    out = []
    for i in range(len(history.iso3)):
        broken = np.flatnonzero(history.breaks[i])
        start = int(broken[-1]) if broken.size else 0
        out.append((years[start:], history.share[i, start:]))
    return out


def linear_trend(
    history: History, horizons: Sequence[int], rng: np.random.Generator, n: int
) -> Float:
    point = np.empty((len(history.iso3), len(horizons)))
    for i, (x, y) in enumerate(_since_break(history)):
        slope, icpt = np.polyfit(x, y, 1) if len(x) >= 2 else (0.0, y[-1])
        point[i] = np.maximum(icpt + slope * (history.as_of + np.asarray(horizons)), 0.0)
    return _repeat(point, n)


def pooled_random_walk(
    history: History, horizons: Sequence[int], rng: np.random.Generator, n: int
) -> Float:
    change = history.share_change
    values = change[~np.isnan(change)]
    mu, sigma = float(values.mean()), float(values.std(ddof=1))
    h = np.asarray(horizons, float)[None, :, None]
    z = rng.standard_normal((len(history.iso3), len(horizons), n))
    return np.maximum(history.share[:, -1][:, None, None] + h * mu + sigma * np.sqrt(h) * z, 0.0)


def _old(scenario: str) -> Callable[[History, Sequence[int], np.random.Generator, int], Float]:
    def method(
        history: History, horizons: Sequence[int], rng: np.random.Generator, n: int
    ) -> Float:
        from twotier.models.projection.api import ProjectionParams, _assumptions

        params = ProjectionParams(horizon=history.as_of + max(horizons), scenario=scenario)
        a = _assumptions(history, params)
        base_year = a["base_year"].to_numpy(np.int64)
        years = [history.as_of + h for h in horizons]
        path = engine.scenario_paths(
            a["base_share"].to_numpy(float), base_year, years, scenario,
            slope=a["trend_slope_pp"].to_numpy(float), damping=params.trend_damping,
            cap=params.trend_cap_pct,
        )  # fmt: skip
        sd = np.nan_to_num(a["share_shock_sd"].to_numpy(float))
        z = rng.standard_normal((path.shape[0], path.shape[1], n))
        return np.maximum(path[:, :, None] + sd[:, None, None] * z, 0.0)

    return method


Method = Callable[[History, Sequence[int], np.random.Generator, int], Float]


def _response(calibrated: bool) -> Method:
    def method(
        history: History, horizons: Sequence[int], rng: np.random.Generator, n: int
    ) -> Float:
        return response(history, horizons, rng, n, calibrated=calibrated)

    return method


def response(
    history: History, horizons: Sequence[int], rng: np.random.Generator, n: int, *,
    calibrated: bool = True,
) -> Float:  # fmt: skip
    """The response model (with the origin calibration unless ``calibrated`` is false)."""
    from twotier.models.response.calibrate import calibrate
    from twotier.models.response.engine import simulate
    from twotier.models.response.fit import fit_response
    from twotier.models.response.inputs import response_inputs

    fit = fit_response(history)
    if calibrated:
        fit = calibrate(history, fit, rng)
    inputs = response_inputs(history, fit, history.as_of + max(horizons))
    shares, _ = simulate(inputs, rng, n)
    index = [inputs.years.index(history.as_of + h) for h in horizons]
    return np.transpose(shares[:, :, index], (1, 2, 0))


METHODS: dict[str, Callable[[History, Sequence[int], np.random.Generator, int], Float]] = {
    "response": _response(True),
    "response_uncalibrated": _response(False),
    "no_change": no_change,
    "linear_trend": linear_trend,
    "pooled_random_walk": pooled_random_walk,
    "old_constant": _old("constant"),
    "old_trend": _old("trend"),
}


def predictive_samples(
    method: str, history: History, horizons: Sequence[int], rng: np.random.Generator, n: int
) -> Float:
    """Samples ``(A, H, n)`` of ``method`` from ``history`` for ``as_of + horizons``."""
    return METHODS[method](history, horizons, rng, n)

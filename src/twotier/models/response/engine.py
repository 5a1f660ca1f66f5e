"""Simulate the allies' response model (pure, vectorised over draws; loop over years).

See :mod:`twotier.models.response.fit` for the equations. One call simulates ``n`` draws
of every ally's share (and real GDP) for the projected years; parameter uncertainty enters
through per-draw coefficients, common-shock mean and s.d.

Under a two-tier rule at ``rule_line`` the line that binds an ally (unless exempt) is the
rule's, pursued at ``threat`` times the speed at which allies pursue a pledge: the pull
is the stronger of the pledge's and the rule's. ``threat`` is not identified by the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twotier.models.response.fit import ResponseFit

__all__ = ["COMMON_SD_CAP", "ResponseInputs", "simulate"]

Float = NDArray[np.float64]

#: Upper bound of a drawn common-shock s.d. (log points): with two or three years of
#: history its sampling distribution has a very long tail; 0.5 is twice the largest year
#: effect estimated on 2014-2026 (2025).
COMMON_SD_CAP = 0.5


@dataclass(frozen=True)
class ResponseInputs:
    """Everything one simulation needs (A allies, T projected years)."""

    years: tuple[int, ...]
    share0: Float  # A, % of GDP in the last year of the history
    halfwidth0: Float  # A, rounding half-width of share0
    border: Float  # A
    proximity: Float  # A
    line: Float  # T, pledged line in force (NaN: none)
    pace: Float  # T
    fit: ResponseFit
    gdp0: Float  # A, US$ bn in the last year (its prices and exchange rates)
    growth_mean: Float  # A, log real growth per year
    growth_mean_se: Float  # A, its standard error
    growth_sd: Float  # A
    rule_line: float | None = None
    rule_pace: Float | None = None  # T
    threat: float = 1.0
    exempt: NDArray[np.bool_] | None = None  # A: the rule does not bind these


def _parameter_draws(fit: ResponseFit, rng: np.random.Generator, n: int) -> tuple[Float, ...]:
    chol = np.linalg.cholesky(fit.cov)
    theta = fit.coef + rng.standard_normal((n, len(fit.coef))) @ chol.T
    c = fit.year_effects.to_numpy(float)
    m = len(c)
    if m >= 2:
        sd_hat = float(np.std(c, ddof=1))
        df = m - 1
    else:
        sd_hat, df = fit.sigma_u, 1  # one year effect: the ally scale stands in for its s.d.
    sd = np.minimum(sd_hat * np.sqrt(df / rng.chisquare(df, n)), COMMON_SD_CAP)
    mean = float(np.mean(c)) + sd / math.sqrt(m) * rng.standard_normal(n)
    return theta, mean, sd


def _shocks(rng: np.random.Generator, df: float, shape: tuple[int, int]) -> Float:
    """Student's t draws with ``df`` degrees of freedom (normal draws when ``df`` is inf)."""
    if math.isinf(df):
        return rng.standard_normal(shape)
    return rng.standard_t(df, shape)


def _gap(line: float, x: Float) -> Float:
    return np.maximum(math.log(line) - x, 0.0)


def _bunch(
    x: Float, line: float, fit: ResponseFit, u: Float, mask: NDArray[np.bool_] | None
) -> None:
    s = np.exp(x)
    near = (s >= line - fit.bunching_window) & (s < line) & (u < fit.bunching)
    if mask is not None:
        near &= mask
    x[near] = math.log(line)


def simulate(inputs: ResponseInputs, rng: np.random.Generator, n: int) -> tuple[Float, Float]:
    """``n`` draws of shares (% of GDP) and GDP (US$ bn), each of shape ``(n, A, T)``."""
    fit = inputs.fit
    a, t = len(inputs.share0), len(inputs.years)
    theta, c_mean, c_sd = _parameter_draws(fit, rng, n)
    drift = theta[:, [0]] * inputs.border + theta[:, [1]] * inputs.proximity
    drift = drift + fit.drift_correction
    speed = np.maximum(theta[:, [2]] + theta[:, [3]] * inputs.border
                       + theta[:, [4]] * inputs.proximity, 0.0)  # fmt: skip
    start = inputs.share0 + inputs.halfwidth0 * rng.uniform(-1.0, 1.0, (n, a))
    x = np.log(np.maximum(start, 1e-3))
    e = np.broadcast_to(fit.last_resid, (n, a)).copy()
    binds = None if inputs.exempt is None else ~inputs.exempt[None, :]
    shares = np.empty((n, a, t))
    for j in range(t):
        common = c_mean + c_sd * rng.standard_normal(n)
        e = fit.rho * e + fit.sigma_u * _shocks(rng, fit.shock_df, (n, a))
        adjust = np.zeros((n, a))
        if not math.isnan(inputs.line[j]):
            adjust = np.minimum(speed * inputs.pace[j], 1.0) * _gap(inputs.line[j], x)
        if inputs.rule_line is not None and inputs.rule_pace is not None:
            rate = np.minimum(inputs.threat * speed * inputs.rule_pace[j], 1.0)
            rule = rate * _gap(inputs.rule_line, x)
            adjust = np.maximum(adjust, rule if binds is None else np.where(binds, rule, 0.0))
        x = x + common[:, None] + drift + adjust + e
        u = rng.uniform(size=(n, a))
        if not math.isnan(inputs.line[j]):
            _bunch(x, inputs.line[j], fit, u, None)
        if inputs.rule_line is not None and inputs.threat > 0:
            _bunch(x, inputs.rule_line, fit, u, binds)
        shares[:, :, j] = np.exp(x)
    mu = inputs.growth_mean + inputs.growth_mean_se * rng.standard_normal((n, a))
    z = rng.standard_normal((n, a, t)) * inputs.growth_sd[None, :, None] + mu[:, :, None]
    gdp = inputs.gdp0[None, :, None] * np.exp(np.cumsum(z, axis=2))
    return shares, gdp

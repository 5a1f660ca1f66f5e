"""``project`` with the allies' response model (``ProjectionParams(model="response")``).

The response model (:mod:`twotier.models.response`, origin calibration included) is
simulated in fixed chunks of :data:`CHUNK` draws from one generator, so memory stays
bounded at 10^6 draws and the same seed gives the same output. Per ally and year it keeps
integer counts and exact integer money sums, as the scenario engine does
(:mod:`twotier.models.projection.engine`), and a histogram of the share
(:data:`SHARE_BIN` points wide) for its quantiles.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from twotier.models.projection import engine
from twotier.models.projection.history import History
from twotier.models.response.calibrate import calibrate
from twotier.models.response.engine import simulate
from twotier.models.response.fit import fit_response
from twotier.models.response.inputs import response_inputs

__all__ = ["CHUNK", "SHARE_BIN", "SHARE_BINS", "project_response", "share_quantile"]

#: Draws simulated at once (part of the definition of the stream: same seed, same output).
CHUNK = 4096
#: Width (points of GDP) and number of the share histogram's bins: 0 to 30 % in 0.01 steps;
#: the top bin holds anything above (no ally has exceeded 6 % since 2014).
SHARE_BIN = 0.01
SHARE_BINS = 3000


class _Stats:
    """Integer statistics of the draws (A allies, T years)."""

    def __init__(self, a: int, t: int) -> None:
        self.n = 0
        self.acc = engine.Accumulator.empty(a, t)
        self.share_hist = np.zeros((a, t, SHARE_BINS), np.int64)
        self.share_sum = np.zeros((a, t))
        self.gdp_sum = np.zeros((a, t))

    def add(self, shares: np.ndarray, gdp: np.ndarray, line: np.ndarray) -> None:
        """Add draws ``(n, A, T)`` of shares (%) and GDP (US$ bn).

        ``line`` (A) is the line each ally must reach (-inf where none binds).
        """
        n, a, t = shares.shape
        self.n += n
        self.share_sum += shares.sum(axis=0)
        self.gdp_sum += gdp.sum(axis=0)
        gap = np.maximum(line[None, :, None] - shares, 0.0)
        ok = gap <= 1e-9
        money = np.where(ok, 0.0, gap * gdp * 10.0)  # US$ m
        cells = np.arange(a * t).reshape(a, t)
        bins = np.minimum((shares / SHARE_BIN).astype(np.int64), SHARE_BINS - 1)
        keys = (cells[None] * SHARE_BINS + bins).ravel()
        self.share_hist += np.bincount(keys, minlength=a * t * SHARE_BINS).reshape(a, t, SHARE_BINS)
        cell_money = money.transpose(1, 2, 0).reshape(a * t, n)
        total = money.sum(axis=1).T  # T x n
        covered = ok.sum(axis=1).T  # T x n
        block = engine.Accumulator(
            draws=n, tier1=ok.sum(axis=0),
            shortfall_hist=engine._dense_hist(cell_money, a * t).reshape(a, t, -1),
            shortfall_sum=engine._exact_sum(cell_money, engine.MONEY_SCALE, 1).reshape(a, t),
            covered_hist=np.stack([np.bincount(c, minlength=a + 1) for c in covered]),
            total_hist=engine._dense_hist(total, t),
            total_sum=engine._exact_sum(total, engine.MONEY_SCALE, 1),
        )  # fmt: skip
        self.acc.merge(block)


def share_quantile(hist: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` of shares from their histogram (last axis): the bin's midpoint."""
    cum = np.cumsum(hist, axis=-1)
    idx = np.argmax(cum >= np.ceil(q * cum[..., -1:]), axis=-1)
    return (idx + 0.5) * SHARE_BIN


def _frames(stats: _Stats, iso3: list[str], years: list[int]) -> tuple[pd.DataFrame, ...]:
    acc, n = stats.acc, stats.n
    a, t = len(iso3), len(years)
    q = engine.quantile_from_hist
    p = acc.tier1 / n
    allies = pd.DataFrame({
        "iso3": np.repeat(iso3, t), "year": np.tile(years, a),
        "p_tier1": p.ravel(), "p_tier1_se": np.sqrt(p * (1 - p) / n).ravel(),
        "share_mean": (stats.share_sum / n).ravel(),
        "share_q05": share_quantile(stats.share_hist, 0.05).ravel(),
        "share_q50": share_quantile(stats.share_hist, 0.5).ravel(),
        "share_q95": share_quantile(stats.share_hist, 0.95).ravel(),
        "gdp_mean_usd_bn": (stats.gdp_sum / n).ravel(),
        "shortfall_mean_usd_m": (acc.shortfall_sum / engine.MONEY_SCALE / n).ravel(),
        "shortfall_q05_usd_m": q(acc.shortfall_hist, 0.05).ravel(),
        "shortfall_q50_usd_m": q(acc.shortfall_hist, 0.5).ravel(),
        "shortfall_q95_usd_m": q(acc.shortfall_hist, 0.95).ravel(),
    })  # fmt: skip
    alliance, covered = engine.alliance_frames(acc, years)
    return allies, alliance, covered


def project_response(
    history: History, line: float | None, exempt: set[str], horizon: int, draws: int,
    seed: int, *, calibrated: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Frames ``allies, alliance, covered`` as :func:`~twotier.project` gives them.

    The fourth frame is the model's parameter table (estimate, s.e., unit, edition, source).
    """
    rng = np.random.default_rng(seed)
    fit = fit_response(history)
    if calibrated:
        fit = calibrate(history, fit, rng)
    inputs = response_inputs(history, fit, horizon)
    binds = np.full(len(history.iso3), -math.inf if line is None else line)
    binds[np.isin(np.asarray(history.iso3), sorted(exempt))] = -math.inf
    stats = _Stats(len(history.iso3), len(inputs.years))
    for done in range(0, draws, CHUNK):
        shares, gdp = simulate(inputs, rng, min(CHUNK, draws - done))
        stats.add(shares, gdp, binds)
    allies, alliance, covered = _frames(stats, list(history.iso3), list(inputs.years))
    return allies, alliance, covered, fit.table()

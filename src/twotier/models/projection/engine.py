"""Monte Carlo projection of defence spending shares and GDP (pure, vectorised).

For each ally ``i`` and projected year ``t``:

- GDP (current US$) follows a log random walk with drift:
  ``log Y_t = log Y_{t-1} + g``, ``g ~ N(mu_i, sigma_i^2)``;
- the share of GDP follows a scenario path plus an independent shock:
  ``s_t = path_t + e``, ``e ~ N(0, tau_i^2)``, floored at 0;
- an ally is in tier 1 when every criterion ``s_t >= threshold`` holds (or it is
  exempt); its shortfall is ``max(0, threshold - s_t) / 100 * Y_t``.

Draws are generated in fixed blocks of :data:`BLOCK` draws, block ``b`` from child
``b`` of one :class:`numpy.random.SeedSequence`. Statistics are kept as integer
histograms and per-block sums combined in block order, so memory stays bounded and the
results do not depend on how blocks are grouped into chunks or tasks.

Cost per draw (benchmarks/bench_projection.py): one single-precision normal per
ally-year for the share, one comparison, and GDP only where a shortfall needs it. Every
statistic is per year, so GDP in year ``t`` is drawn from the walk's marginal
``log Y_0 + k mu + sqrt(k) sigma Z`` (same distribution) rather than along a path.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "BLOCK",
    "Accumulator",
    "ProjectionInputs",
    "alliance_frames",
    "gdp_mean",
    "quantile_from_hist",
    "scenario_paths",
    "share_mean",
    "share_quantiles",
    "simulate_blocks",
]

#: Draws per random-number block (the unit of reproducibility).
BLOCK = 1024

#: Histogram bins of money (US$ m shortfalls): bin 0 holds 0, then 200 bins per decade
#: from 1 to 10^7. (Quantiles of shares need no histogram: they are exact, see
#: :func:`share_quantiles`.)
MONEY_PER_DECADE = 200
MONEY_BINS = 1 + 7 * MONEY_PER_DECADE

#: Money sums are kept as exact integers of US$ thousands, so that they do not depend
#: on the order in which blocks are added.
MONEY_SCALE = 1e3

Float = NDArray[np.float64]


@dataclass(frozen=True)
class ProjectionInputs:
    """Per-ally arrays (length A) and the years projected (length T), all validated.

    ``path`` (A x T) is the deterministic share path; ``known`` (A x T) marks years
    whose share is a published figure (no shock is added). ``gdp0`` is GDP in
    ``gdp_year`` (per ally, US$ bn), grown forward from there. ``threshold`` (A x T) is the
    tier-1 line (NaN: no line for that year); ``exempt`` (A) allies always pass.
    """

    years: tuple[int, ...]
    path: Float
    known: NDArray[np.bool_]
    gdp0: Float
    gdp_year: NDArray[np.int64]
    growth_mean: Float
    growth_sd: Float
    share_sd: Float
    threshold: Float
    exempt: NDArray[np.bool_]


def scenario_paths(
    base_share: Float, base_year: NDArray[np.int64], years: Sequence[int], scenario: str, *,
    slope: Float | None = None, damping: float = 0.8, cap: float = 5.0,
    target: float | None = None, target_year: int = 2035, shape: str = "linear",
    shortfall: float = 0.0,
) -> Float:  # fmt: skip
    """Deterministic share path per ally (A x T) under ``constant``, ``trend`` or ``target``.

    - ``constant``: the share stays at its last figure.
    - ``trend``: the ally's own recent slope (points per year), damped by ``damping``
      each year (damped trend, Gardner & McKenzie 1985), capped at ``max(cap, base)``.
    - ``target``: from the last figure to ``target`` by ``target_year`` along a
      ``linear``, ``front`` (front-loaded) or ``back`` (back-loaded) path, closing only
      ``1 - shortfall`` of the gap; allies already above the target stay constant.
    """
    yrs = np.asarray(years)[None, :]
    steps = np.maximum(yrs - base_year[:, None], 0).astype(float)
    s0 = base_share[:, None]
    if scenario == "constant":
        return np.broadcast_to(s0, steps.shape).astype(float)
    if scenario == "trend":
        assert slope is not None
        # Sum of a damped slope over k steps: b (φ + ... + φ^k) = b φ (1 - φ^k)/(1 - φ).
        if damping >= 1.0:
            total = slope[:, None] * steps
        else:
            total = slope[:, None] * damping * (1 - damping**steps) / (1 - damping)
        upper = np.maximum(cap, s0)
        return np.clip(s0 + total, 0.0, upper)
    if scenario == "target":
        assert target is not None
        horizon = np.maximum(target_year - base_year[:, None], 1).astype(float)
        f = np.clip(steps / horizon, 0.0, 1.0)
        if shape == "front":
            f = 1 - (1 - f) ** 2
        elif shape == "back":
            f = f**2
        gap = np.maximum(target - s0, 0.0) * (1.0 - shortfall)
        return s0 + gap * f
    raise ValueError(f"scenario: expected constant, trend or target, found {scenario!r}")


@dataclass
class Accumulator:
    """Bounded-memory statistics of a set of draws (integers only: merging is exact)."""

    draws: int
    tier1: NDArray[np.int64]  # A x T: draws in tier 1
    shortfall_hist: NDArray[np.int64]  # A x T x MONEY_BINS (US$ m)
    shortfall_sum: NDArray[np.int64]  # A x T, US$ thousand
    covered_hist: NDArray[np.int64]  # T x (A + 1): draws with k allies in tier 1
    total_hist: NDArray[np.int64]  # T x MONEY_BINS: alliance shortfall (US$ m)
    total_sum: NDArray[np.int64]  # T, US$ thousand

    @classmethod
    def empty(cls, allies: int, years: int) -> Accumulator:
        """Return an accumulator with no draws."""

        def z(*shape: int) -> NDArray[np.int64]:
            return np.zeros(shape, np.int64)

        a, t = allies, years
        return cls(0, z(a, t), z(a, t, MONEY_BINS), z(a, t), z(t, a + 1), z(t, MONEY_BINS), z(t))

    def merge(self, other: Accumulator) -> Accumulator:
        """Add ``other`` into this accumulator (in place) and return it."""
        for name in self.__dataclass_fields__:
            if name == "draws":
                self.draws += other.draws
            elif getattr(other, name).size:  # a block's money histogram is binned later
                getattr(self, name).__iadd__(getattr(other, name))
        return self


def _money_bins(money: NDArray[np.floating]) -> NDArray[np.int64]:
    """Histogram bin (1 ..) of positive money values (US$ m): 200 bins per decade from 1."""
    logs = np.log10(np.maximum(money, 1.0).astype(np.float32))  # 200 bins a decade: 7 digits do
    return np.minimum(1 + (logs * MONEY_PER_DECADE).astype(np.int64), MONEY_BINS - 1)


#: Largest money sum (US$ m) kept exactly as int64 US$ thousands (with a factor 2 spare).
MONEY_LIMIT = 2.0**62 / MONEY_SCALE


def _exact_sum(values: NDArray[np.floating], scale: float, axis: int) -> NDArray[np.int64]:
    """Sum as an exact integer of ``1/scale`` units, so the order of addition is free.

    Money values are non-negative, so their float sums bound every value: the sums must be
    finite and below :data:`MONEY_LIMIT` (the parameter bounds of the API guarantee it);
    anything else is a bug, refused rather than cast to garbage.
    """
    wide = values.astype(np.float64)
    total = wide.sum(axis=axis)
    if not np.all(np.isfinite(total)) or np.max(np.abs(total), initial=0.0) > MONEY_LIMIT:
        raise FloatingPointError("money beyond the exact range; parameter bounds violated")
    wide *= scale
    return np.rint(wide, out=wide).astype(np.int64).sum(axis=axis)


def _gdp_factors(inputs: ProjectionInputs) -> tuple[Float, Float]:
    """Mean and s.d. of log GDP growth from ``gdp_year`` to each year (A x T).

    No statistic kept depends on GDP in two years of the same draw, so GDP in year ``t``
    is drawn from its marginal, ``log Y_t = log Y_0 + k mu + sqrt(k) sigma Z`` with ``k``
    the years since ``gdp_year``: the same distribution as the walk's, one normal where a
    shortfall needs it instead of one per year of every path.
    """
    k = np.cumsum(np.asarray(inputs.years)[None, :] > inputs.gdp_year[:, None], axis=1)
    return inputs.growth_mean[:, None] * k, inputs.growth_sd[:, None] * np.sqrt(k)


def _one_block(
    inputs: ProjectionInputs, rng: np.random.Generator, n: int
) -> tuple[Accumulator, NDArray[np.int64]]:
    """Statistics of ``n`` draws, and the money-histogram keys of the shortfalls.

    Keys are ``cell * MONEY_BINS + bin`` for the ally-years that fall short; they are
    binned later, many blocks at once (one histogram per block would cost more than the
    draws).
    """
    a, t = inputs.path.shape
    # Shortfall where the gap to the line, (line - path) - sd z, exceeds 1e-9, i.e. where
    # z < cut = ((line - path) - 1e-9) / sd; a known figure (sd 0) never or always falls
    # short; the line is -inf when none or exempt. Normals in single precision: the
    # statistics kept are counts and money, where 7 digits suffice.
    line = np.where(np.isnan(inputs.threshold) | inputs.exempt[:, None], -np.inf, inputs.threshold)
    need = line - inputs.path
    sd = np.where(inputs.known, 0.0, inputs.share_sd[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = np.where(sd > 0, (need - 1e-9) / sd, np.where(need > 1e-9, np.inf, -np.inf))
    z = rng.standard_normal((a, t, n), dtype=np.float32)
    falls_short = z < cut.astype(np.float32)[:, :, None]
    short = np.flatnonzero(falls_short)  # sorted: by ally, year, then draw
    g_mean, g_sd = _gdp_factors(inputs)
    gdp_m = inputs.gdp0 * 10.0  # x10: points of GDP (US$ bn) -> US$ m
    if short.size > DENSE_SHARE * z.size:  # most ally-years short: whole arrays are cheaper
        money, sums, total = _money_dense(z, falls_short, need, sd, g_mean, g_sd, gdp_m, rng)
        money = money.ravel()[short]
    else:
        money, sums, total = _money_sparse(z, short, need, sd, g_mean, g_sd, gdp_m, rng)
    covered = a - np.count_nonzero(falls_short, axis=0)  # T x n
    acc = Accumulator(
        draws=n,
        tier1=n - np.count_nonzero(falls_short, axis=2).astype(np.int64),
        shortfall_hist=np.zeros((a, t, 0), np.int64),
        shortfall_sum=sums,
        covered_hist=np.stack([np.bincount(covered[j], minlength=a + 1) for j in range(t)])
        .astype(np.int64),
        total_hist=_dense_hist(total, t),
        total_sum=_exact_sum(total, MONEY_SCALE, 1),
    )  # fmt: skip
    return acc, short // n * MONEY_BINS + _money_bins(money)


#: Share of ally-year draws falling short above which a block computes money on whole
#: arrays rather than on the short ones only (same statistics, other random numbers). Not
#: tuned: between the two measured cases (line 2 %, few short: the sparse way 1.9-2.3x the
#: previous dense engine; line 3.5 %, 82 % short: sparse 0.7-0.8x, dense 1.1x).
DENSE_SHARE = 0.4


def _money_sparse(
    z: NDArray[np.float32], short: NDArray[np.intp], need: Float, sd: Float, g_mean: Float,
    g_sd: Float, gdp_m: Float, rng: np.random.Generator,
) -> tuple[NDArray[np.floating], NDArray[np.int64], Float]:  # fmt: skip
    """Money (US$ m) of the short ally-year draws, exact sums per cell (A x T), totals (T x n)."""
    a, t, n = z.shape
    cell, draw = np.divmod(short, n)
    gap = np.maximum(need.ravel()[cell] - sd.ravel()[cell] * z.ravel()[short], 0.0)
    z_gdp = rng.standard_normal(short.size, dtype=np.float32)
    money = np.exp(g_mean.ravel()[cell] + g_sd.ravel()[cell] * z_gdp, dtype=np.float32)
    money *= gdp_m.repeat(t)[cell]
    money *= gap
    total = np.bincount(cell % t * n + draw, weights=money, minlength=t * n).astype(float)
    starts = np.searchsorted(cell, np.arange(a * t))
    return money, _cell_sums(money, starts).reshape(a, t), total.reshape(t, n)


def _money_dense(
    z: NDArray[np.float32], short: NDArray[np.bool_], need: Float, sd: Float, g_mean: Float,
    g_sd: Float, gdp_m: Float, rng: np.random.Generator,
) -> tuple[NDArray[np.float32], NDArray[np.int64], Float]:  # fmt: skip
    """As :func:`_money_sparse`, on whole (A, T, n) arrays; money is 0 where not short."""
    f32 = np.float32
    gdp = rng.standard_normal(z.shape, dtype=f32)
    gdp *= g_sd.astype(f32)[:, :, None]
    gdp += g_mean.astype(f32)[:, :, None]
    np.exp(gdp, out=gdp)
    gdp *= gdp_m.astype(f32)[:, None, None]
    money = z * (-sd).astype(f32)[:, :, None]
    money += np.where(np.isfinite(need), need, 0.0).astype(f32)[:, :, None]
    np.maximum(money, 0.0, out=money)
    money *= gdp
    money *= short
    return money, _exact_sum(money, MONEY_SCALE, 2), money.sum(axis=0, dtype=np.float64)


def _cell_sums(money: NDArray[np.floating], starts: NDArray[np.int64]) -> NDArray[np.int64]:
    """Exact integer sums (US$ thousand) of money values sorted by cell (see _exact_sum)."""
    wide = money.astype(np.float64)
    total = float(wide.sum())
    if not math.isfinite(total) or total > MONEY_LIMIT:
        raise FloatingPointError("money beyond the exact range; parameter bounds violated")
    units = np.rint(wide * MONEY_SCALE).astype(np.int64)
    running = np.concatenate([np.zeros(1, np.int64), np.cumsum(units)])
    ends = np.append(starts[1:], units.size)
    return running[ends] - running[starts]


def _dense_hist(values: Float, cells: int) -> NDArray[np.int64]:
    """Histogram per row of a (cells, draws) array of non-negative money (0 -> bin 0)."""
    flat = values.reshape(cells, -1)
    bins = np.where(flat > 0, _money_bins(flat), 0)
    keys = np.arange(cells)[:, None] * MONEY_BINS + bins
    return np.bincount(keys.ravel(), minlength=cells * MONEY_BINS).reshape(cells, MONEY_BINS)


def share_mean(inputs: ProjectionInputs) -> Float:
    """Exact mean share (A x T) of ``max(path + sd Z, 0)``: ``m Φ(m/s) + s φ(m/s)``."""
    from statistics import NormalDist

    nd = NormalDist()
    sd = np.where(inputs.known, 0.0, inputs.share_sd[:, None])
    m = inputs.path
    safe = np.where(sd > 0, sd, 1.0)
    ratio = m / safe
    cdf = np.vectorize(nd.cdf)(ratio)
    pdf = np.vectorize(nd.pdf)(ratio)
    return np.where(sd > 0, m * cdf + sd * pdf, np.maximum(m, 0.0))


def gdp_mean(inputs: ProjectionInputs) -> Float:
    """Exact mean GDP (A x T, US$ bn) of the lognormal walk: ``Y0 exp(k (mu + s^2/2))``."""
    k = np.maximum(np.asarray(inputs.years)[None, :] - inputs.gdp_year[:, None], 0)
    return inputs.gdp0[:, None] * np.exp(
        k * (inputs.growth_mean[:, None] + inputs.growth_sd[:, None] ** 2 / 2)
    )


def share_quantiles(inputs: ProjectionInputs, q: float) -> Float:
    """Exact quantile of the share (A x T): ``max(path + sd * Φ^-1(q), 0)``.

    The share is the path plus one independent normal shock, floored at 0, so its
    quantiles need no simulation (the Monte Carlo tier-1 frequencies can be checked
    against ``Φ((path - line)/sd)`` the same way).
    """
    from statistics import NormalDist

    sd = np.where(inputs.known, 0.0, inputs.share_sd[:, None])
    return np.maximum(inputs.path + sd * NormalDist().inv_cdf(q), 0.0)


def quantile_from_hist(counts: NDArray[np.int64], q: float) -> Float:
    """Quantile of money from histogram counts (last axis).

    The geometric midpoint of the bin holding it; resolution 1/200 of a decade (1.2 %).
    """
    total = counts.sum(axis=-1, keepdims=True)
    cum = np.cumsum(counts, axis=-1)
    idx = np.argmax(cum >= np.ceil(q * total), axis=-1)
    lo = np.power(10.0, (idx - 1) / MONEY_PER_DECADE)
    hi = np.power(10.0, idx / MONEY_PER_DECADE)
    return np.where(idx == 0, 0.0, np.sqrt(lo * hi))


#: Blocks whose money-histogram keys are binned together (bounds their memory).
FLUSH_BLOCKS = 64


def simulate_blocks(
    inputs: ProjectionInputs, seed_entropy: int, blocks: Sequence[int], draws: int
) -> Accumulator:
    """Simulate the given block numbers (block ``b`` covers draws ``b*BLOCK ...``).

    The last block is shortened so that exactly ``draws`` draws are made in total. Every
    statistic is an integer count or sum, so the grouping of blocks changes nothing.
    """
    children = np.random.SeedSequence(seed_entropy).spawn(max(blocks) + 1 if blocks else 0)
    a, t = inputs.path.shape
    acc = Accumulator.empty(a, t)
    keys: list[NDArray[np.int64]] = []

    def flush() -> None:
        if keys:
            counts = np.bincount(np.concatenate(keys), minlength=a * t * MONEY_BINS)
            acc.shortfall_hist += counts.reshape(a, t, MONEY_BINS)
            keys.clear()

    for b in sorted(blocks):
        n = min(BLOCK, draws - b * BLOCK)
        if n <= 0:
            continue
        block, block_keys = _one_block(inputs, np.random.default_rng(children[b]), n)
        acc = acc.merge(block)
        keys.append(block_keys)
        if len(keys) >= FLUSH_BLOCKS:
            flush()
    flush()
    # Bin 0 holds the draws without a shortfall.
    acc.shortfall_hist[:, :, 0] = acc.draws - acc.shortfall_hist[:, :, 1:].sum(axis=2)
    return acc


def alliance_frames(acc: Accumulator, years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-year frames of the alliance and of the number of allies covered.

    ``alliance``: allies covered (mean, s.e., quantiles, P(all)) and the total shortfall;
    ``covered``: the distribution of the number covered (``year, n_covered, probability``).
    """
    n, (a, t) = acc.draws, acc.tier1.shape
    q = quantile_from_hist
    k = np.arange(a + 1)
    probs = acc.covered_hist / n
    cum = np.cumsum(probs, axis=1)

    def kq(level: float) -> NDArray[np.int64]:
        return np.argmax(cum >= level - 1e-12, axis=1)

    mean = probs @ k
    alliance = pd.DataFrame({
        "year": years, "covered_mean": mean,
        "covered_mean_se": np.sqrt(np.maximum(probs @ k**2 - mean**2, 0) / n),
        "covered_q05": kq(0.05), "covered_q50": kq(0.5), "covered_q95": kq(0.95),
        "p_all_covered": probs[:, a],
        "p_all_covered_se": np.sqrt(probs[:, a] * (1 - probs[:, a]) / n),
        "shortfall_mean_usd_m": acc.total_sum / MONEY_SCALE / n,
        "shortfall_q05_usd_m": q(acc.total_hist, 0.05),
        "shortfall_q50_usd_m": q(acc.total_hist, 0.5),
        "shortfall_q95_usd_m": q(acc.total_hist, 0.95),
    })  # fmt: skip
    covered = pd.DataFrame({"year": np.repeat(years, a + 1), "n_covered": np.tile(k, t),
                            "probability": probs.ravel()})  # fmt: skip
    return alliance, covered

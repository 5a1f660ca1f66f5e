"""Monte Carlo over the negotiation model's uncertainties, in bounded memory.

Draws are made in fixed blocks of :data:`BLOCK` draws; block ``i`` uses the ``i``-th
child of the run's :class:`numpy.random.SeedSequence`, so a run of ``k`` blocks is the
first ``k`` blocks of any longer run with the same seed. Each block is summarised
(count, mean, sum of squared deviations; merged in block order with Chan et al.'s
formula) and dropped, so memory does not grow with the number of draws. Quantiles
come from the first block only (up to :data:`BLOCK` draws), with a distribution-free
95 % interval from order statistics.

References
----------
.. [Chan1983] Chan, T.F., Golub, G.H. & LeVeque, R.J. (1983). Algorithms for computing
   the sample variance. *The American Statistician* 37(3): 242-247.
   doi:10.1080/00031305.1983.10483115
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from twotier._random import check_seed
from twotier.errors import InputError
from twotier.models.negotiation.engine import (
    FLAGS,
    OUTPUTS,
    SETTINGS,
    evaluate_arrays,
    months_to_talks,
)
from twotier.models.negotiation.params import NegotiationParams, Uncertainty, check_uncertainties

__all__ = ["BLOCK", "MAX_DRAWS", "SimulationResult", "seed_sequence", "simulate_negotiation"]

BLOCK = 65_536
MAX_DRAWS = 100_000_000
_COLUMNS = ["setting", "output", "unit", "n", "mean", "se", "q05", "q50", "q95", "q_ci95"]
_OUT = list(OUTPUTS)


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Summaries of a Monte Carlo run.

    One row per (setting, output), the parameters and the run's metadata (draws,
    seed entropy, block size).
    """

    summary: pd.DataFrame
    params: NegotiationParams
    meta: dict[str, Any] = field(default_factory=dict)


def seed_sequence(rng: np.random.Generator | int | None) -> np.random.SeedSequence:
    """SPEC 7 ``rng`` to a SeedSequence: an int seed >= 0, a Generator, or None."""
    if isinstance(rng, np.random.Generator):
        seq = rng.bit_generator.seed_seq
        if isinstance(seq, np.random.SeedSequence):
            return seq
        return np.random.SeedSequence(int(rng.integers(0, 2**63)))
    if rng is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(check_seed(rng, field="rng"))


def _draw(
    base: dict[str, float], uncertainties: Sequence[Uncertainty], n: int, gen: np.random.Generator
) -> dict[str, Any]:
    values: dict[str, Any] = dict(base)
    for u in uncertainties:  # in the given order, so the same seed gives the same draws
        values[u.name] = u.sample(gen, n)
    return values  # check_uncertainties keeps every draw within the cross-parameter rules


def _block_stats(x: Any, size: int, first: bool) -> tuple[float, float, float, Any]:
    """Count, mean, sum of squared deviations (and first-block quantiles) of one array."""
    arr = np.asarray(x)
    if arr.ndim == 0:
        v = float(arr)
        if not np.isfinite(v):
            return 0, 0.0, 0.0, None
        return size, v, 0.0, (v, v, v, 0.0) if first else None
    if arr.dtype == bool:  # flags: a count is enough
        hits = int(np.count_nonzero(arr))
        return arr.size, hits / arr.size, hits * (1.0 - hits / arr.size), None
    total = float(arr.sum())
    finite = arr if np.isfinite(total) else arr[np.isfinite(arr)]
    n = finite.size
    if n == 0:
        return 0, 0.0, 0.0, None
    s1 = total if finite is arr else float(finite.sum())
    # Outputs are shares, probabilities, EUR bn and months of order 1-100, so the
    # one-pass sum of squares loses nothing that matters at a block's size.
    m2 = max(float(np.einsum("i,i->", finite, finite)) - s1 * s1 / n, 0.0)
    return n, s1 / n, m2, _quantiles(finite) if first else None


class _Accumulator:
    """Count, mean and sum of squared deviations per (setting, output), merged by block."""

    def __init__(self) -> None:
        shape = (len(SETTINGS), len(_OUT))
        self.n = np.zeros(shape)
        self.mean = np.zeros(shape)
        self.m2 = np.zeros(shape)
        self.quantiles: dict[tuple[int, int], tuple[float, float, float, float]] = {}

    def merge(self, stats: dict[tuple[int, int], tuple[float, float, float, Any]]) -> None:
        for (i, j), (n_b, mean_b, m2_b, q) in stats.items():
            if q is not None and _OUT[j] not in FLAGS:
                self.quantiles[(i, j)] = q
            n_a = self.n[i, j]
            total = n_a + n_b
            if total == 0:
                continue
            delta = mean_b - self.mean[i, j]
            self.mean[i, j] += delta * n_b / total
            self.m2[i, j] += m2_b + delta**2 * n_a * n_b / total
            self.n[i, j] = total

    def frame(self) -> pd.DataFrame:
        rows = []
        for i, s in enumerate(SETTINGS):
            for j, name in enumerate(_OUT):
                n = self.n[i, j]
                if n == 0:
                    continue
                var = self.m2[i, j] / (n - 1) if n > 1 else 0.0
                q = self.quantiles.get((i, j), (np.nan,) * 4)
                rows.append(
                    [s.name, name, "share of draws" if name in FLAGS else OUTPUTS[name], int(n),
                     self.mean[i, j], float(np.sqrt(max(var, 0.0) / n)), *q]
                )  # fmt: skip
        return pd.DataFrame(rows, columns=_COLUMNS)


def _quantiles(x: np.ndarray) -> tuple[float, float, float, float]:
    """q05, q50, q95 and the largest half-width of their 95 % order-statistic intervals."""
    n = x.size
    if n == 1:
        v = float(x[0])
        return v, v, v, 0.0
    wanted: list[int] = []
    plan = []
    for q in (0.05, 0.5, 0.95):
        k = q * (n - 1)
        spread = 1.96 * np.sqrt(n * q * (1 - q))
        idx = (int(np.floor(k)), int(np.ceil(k)),
               int(max(np.floor(k - spread), 0)), int(min(np.ceil(k + spread), n - 1)))  # fmt: skip
        plan.append((k, idx))
        wanted.extend(idx)
    part = np.partition(x, sorted(set(wanted)))  # only the order statistics needed
    qs, half = [], 0.0
    for k, (k0, k1, lo, hi) in plan:
        qs.append(float(part[k0] + (k - k0) * (part[k1] - part[k0])))
        half = max(half, float(part[hi] - part[lo]) / 2)
    return qs[0], qs[1], qs[2], half


def _block(
    base: dict[str, float], uncertainties: Sequence[Uncertainty], talks: float,
    child: np.random.SeedSequence, size: int, first: bool,
) -> dict[tuple[int, int], tuple[float, float, float, Any]]:  # fmt: skip
    values = _draw(base, uncertainties, size, np.random.default_rng(child))
    stats: dict[tuple[int, int], tuple[float, float, float, Any]] = {}
    seen: dict[int, tuple[float, float, float, Any]] = {}  # outputs shared by settings
    for i, out in enumerate(evaluate_arrays(values, talks)):
        for j, name in enumerate(_OUT):
            x = out[name]
            if x is None:
                continue
            key = id(x)
            if key not in seen:
                seen[key] = _block_stats(x, size, first)
            stats[(i, j)] = seen[key]
    return stats


def simulate_negotiation(
    params: NegotiationParams,
    uncertainties: Sequence[Uncertainty],
    draws: int = 10_000,
    rng: np.random.Generator | int | None = None,
) -> SimulationResult:
    """Monte Carlo over the parameter distributions, summarised in bounded memory.

    Returns a :class:`SimulationResult` whose ``summary`` has one row per (setting,
    output): ``n`` (draws where the output is defined), ``mean`` (share of draws for
    flags), ``se`` (its Monte Carlo standard error), ``q05, q50, q95`` (numbers only,
    from the first block) and ``q_ci95`` (half-width of the widest of their 95 %
    intervals). ``rng`` follows SPEC 7; the same seed gives the same summary.
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise InputError(
            f"draws: expected a whole number from 1 to {MAX_DRAWS}, found {draws!r}", field="draws"
        )
    check_uncertainties(params, uncertainties)
    root = seed_sequence(rng)
    base, talks = params.values(), months_to_talks(params)
    acc = _Accumulator()
    n_blocks = -(-draws // BLOCK)
    children = root.spawn(n_blocks)
    sizes = [min(BLOCK, draws - b * BLOCK) for b in range(n_blocks)]
    # numpy releases the GIL; blocks run on threads and are merged in block order, so
    # the summary does not depend on the number of threads.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(_block, base, uncertainties, talks, c, n, b == 0)
                   for b, (c, n) in enumerate(zip(children, sizes, strict=True))]  # fmt: skip
        for fut in futures:
            acc.merge(fut.result())
    meta = {"draws": draws, "block": BLOCK, "entropy": str(root.entropy),
            "quantile_draws": min(draws, BLOCK),
            "uncertainties": [u.name for u in uncertainties]}  # fmt: skip
    return SimulationResult(acc.frame(), params, meta)

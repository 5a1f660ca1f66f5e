"""Bounded-memory summaries of the rule-response simulation, added chunk by chunk.

:func:`~twotier.models.response.api.simulate_rule_response` simulates its draws in chunks
of :data:`CHUNK`; each chunk's shares are reduced to integer counts and histograms (exact
whatever the chunking) and to per-chunk means and squared deviations of money, combined
with Chan et al.'s pairwise update (1979). Memory is that of one chunk plus, per threat,
a share histogram (A x T x :data:`~twotier.models.response.project.SHARE_BINS` int32).
"""

from __future__ import annotations

import math

import numpy as np

from twotier.models.response.project import SHARE_BIN, SHARE_BINS, share_quantile

__all__ = ["CHUNK", "Tally", "hist_quantile"]

#: Draws simulated at once (part of the stream: same seed, same output).
CHUNK = 4096


def hist_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """Exactly ``np.quantile(values, q)`` (linear method) of whole numbers ``0 .. K``.

    ``counts`` holds the number of values equal to each ``k`` (last axis).
    """
    n = counts.sum(axis=-1, keepdims=True)
    cum = np.cumsum(counts, axis=-1)
    h = (n - 1) * q
    lo = np.floor(h)

    def value(rank: np.ndarray) -> np.ndarray:  # the rank-th smallest (0-based)
        return np.argmax(cum > rank, axis=-1)

    below, above = value(lo), value(np.minimum(lo + 1, n - 1))
    return below + (h - lo)[..., 0] * (above - below)


def _share_hist(shares: np.ndarray) -> np.ndarray:
    _, a, t = shares.shape
    cells = np.arange(a * t).reshape(a, t)
    bins = np.minimum((shares / SHARE_BIN).astype(np.int64), SHARE_BINS - 1)
    keys = (cells[None] * SHARE_BINS + bins).ravel()
    return np.bincount(keys, minlength=a * t * SHARE_BINS).reshape(a, t, SHARE_BINS)


class Tally:
    """Summaries of draws of shares ``(n, A, T)`` at or above ``line`` (one path)."""

    def __init__(self, a: int, t: int, line: float) -> None:
        self.line = line
        self.n = 0
        self.above = np.zeros((a, t), np.int64)  # draws at or above the line
        self.share_hist = np.zeros((a, t, SHARE_BINS), np.int32)
        self.covered_hist = np.zeros((t, a + 1), np.int64)
        self.money_mean = np.zeros(t)  # money added against the path without the rule
        self.money_m2 = np.zeros(t)

    def add(self, shares: np.ndarray, base: np.ndarray | None, gdp: np.ndarray) -> None:
        """Add one chunk; ``base`` is the chunk without the rule (None for that path)."""
        n, a, _ = shares.shape
        ok = shares >= self.line
        self.above += ok.sum(axis=0)
        self.share_hist += _share_hist(shares).astype(np.int32)
        self.covered_hist += np.stack([np.bincount(c, minlength=a + 1) for c in ok.sum(axis=1).T])
        if base is not None:
            added = ((shares - base) / 100.0 * gdp * 1000.0).sum(axis=1)  # US$ m, n x T
            mean = added.mean(axis=0)
            m2 = ((added - mean) ** 2).sum(axis=0)
            total = self.n + n
            delta = mean - self.money_mean
            self.money_m2 += m2 + delta**2 * self.n * n / total
            self.money_mean += delta * n / total
        self.n += n

    def p(self) -> np.ndarray:
        """Share of draws at or above the line (A x T)."""
        return self.above / self.n

    def share_median(self) -> np.ndarray:
        """Median share (A x T), to :data:`SHARE_BIN` points."""
        return share_quantile(self.share_hist, 0.5)

    def covered(self, prefix: str) -> dict[str, np.ndarray]:
        """Mean and s.e. of the number of allies at or above the line, per year."""
        k = np.arange(self.covered_hist.shape[1])
        mean = self.covered_hist @ k / self.n
        var = (self.covered_hist @ k**2 - self.n * mean**2) / max(self.n - 1, 1)
        return {prefix: mean, f"{prefix}_se": np.sqrt(np.maximum(var, 0.0) / self.n)}

    def money(self) -> dict[str, np.ndarray]:
        """Mean money added (US$ m) per year and its standard error."""
        sd = np.sqrt(self.money_m2 / max(self.n - 1, 1))
        return {"money_added_usd_m": self.money_mean.copy(),
                "money_added_se_usd_m": sd / math.sqrt(self.n)}  # fmt: skip

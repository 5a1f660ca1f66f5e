"""Out-of-sample backtest of the projections against naive baselines, in one run.

For each origin year, every method sees only the figures for years up to the origin
from one fixed edition (:func:`~twotier.models.projection.history.build_history` with
``as_of``) and predicts each ally's share ``h`` years ahead. Truth is the complete
edition's figure (by default the newest complete edition). Scores:

- the event "share at or above ``threshold``": Brier score and log score (probabilities
  clipped to [0.01, 0.99], since deterministic baselines give 0 or 1), a reliability table
  (forecast-probability bins of width 0.1: cases, mean forecast, observed frequency);
- the share itself: CRPS (``scoringrules.crps_ensemble``), and the coverage of the central
  50 % and 90 % intervals.

The real-time check uses one edition's history (default 2024-06, through 2023) and the
truth of another (default the newest complete edition), noting when their bases differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twotier.data import NatoData, load_data
from twotier.errors import InputError
from twotier.models.projection.baselines import METHODS, predictive_samples
from twotier.models.projection.checks import fields_as, is_number, is_whole
from twotier.models.projection.history import History, build_history, complete_edition

__all__ = ["BacktestResult", "backtest"]

CLIP = 0.01
BINS = np.linspace(0.0, 1.0, 11)
#: The event's line, % of GDP: the same range as the rule's line in ``respond``.
THRESHOLD_RANGE = (0.5, 10.0)


@dataclass(frozen=True)
class BacktestResult:
    """The backtest's results.

    Frames ``scores`` (method x horizon, plus ``all``), ``reliability``, ``realtime``,
    ``cases`` (one row per method, origin, ally, horizon); ``params``; ``meta``.
    """

    scores: pd.DataFrame
    reliability: pd.DataFrame
    realtime: pd.DataFrame
    cases: pd.DataFrame
    params: dict[str, object] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)


def normalize_rng(rng: int | np.random.Generator | None) -> np.random.Generator:
    """A Generator from a seed (int >= 0) or a Generator (SPEC 7, :mod:`twotier._random`)."""
    from twotier._random import as_generator

    return as_generator(rng)


def _score(samples: np.ndarray, truth: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    import scoringrules as sr

    p = (samples >= threshold).mean(axis=-1)
    event = (truth >= threshold).astype(float)
    clipped = np.clip(p, CLIP, 1 - CLIP)
    q = np.quantile(samples, [0.05, 0.25, 0.75, 0.95], axis=-1)
    return {
        "p": p, "event": event, "brier": (p - event) ** 2,
        "log_score": -np.log(np.where(event == 1, clipped, 1 - clipped)),
        "crps": np.asarray(sr.crps_ensemble(truth, samples), float),
        "in50": ((truth >= q[1]) & (truth <= q[2])).astype(float),
        "in90": ((truth >= q[0]) & (truth <= q[3])).astype(float),
    }  # fmt: skip


def _cases(
    history: History, truth: History, horizons: Sequence[int], methods: Sequence[str],
    rng: np.random.Generator, draws: int, threshold: float,
) -> pd.DataFrame:  # fmt: skip
    usable = [h for h in horizons if history.as_of + h in truth.years]
    if not usable:
        return pd.DataFrame()
    cols = [truth.years.index(history.as_of + h) for h in usable]
    actual = truth.share[:, cols]
    frames = []
    for method in methods:
        samples = predictive_samples(method, history, usable, rng, draws)
        s = _score(samples, actual, threshold)
        frame = pd.DataFrame({k: v.ravel() for k, v in s.items()})
        frame.insert(0, "method", method)
        frame.insert(1, "origin", history.as_of)
        frame.insert(2, "iso3", np.repeat(history.iso3, len(usable)))
        frame.insert(3, "horizon", np.tile(usable, len(history.iso3)))
        frame.insert(4, "truth", actual.ravel())
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _summary(cases: pd.DataFrame) -> pd.DataFrame:
    metrics = ["brier", "log_score", "crps", "in50", "in90"]
    parts = []
    for keys in (["method"], ["method", "horizon"]):  # overall, then per horizon
        groups = cases.groupby(keys)
        means = groups[metrics].mean().join(groups.size().rename("cases")).reset_index()
        parts.append(means.assign(horizon="all") if keys == ["method"] else means)
    out = pd.concat(parts, ignore_index=True)
    out["horizon"] = out["horizon"].astype(str)
    return out.rename(columns={"in50": "coverage_50", "in90": "coverage_90"})


def _reliability(cases: pd.DataFrame) -> pd.DataFrame:
    b = np.clip(np.digitize(cases["p"], BINS[1:-1]), 0, len(BINS) - 2)
    grouped = cases.assign(bin=b).groupby(["method", "bin"])
    table = grouped.agg(cases=("p", "size"), forecast=("p", "mean"), observed=("event", "mean"))
    table = table.reset_index()
    table["bin_low"] = BINS[table["bin"]]
    table["bin_high"] = BINS[table["bin"] + 1]
    table["gap"] = table["observed"] - table["forecast"]
    table["within_0_10"] = (table["gap"].abs() <= 0.10) | (table["cases"] < 20)
    return table.drop(columns="bin")


#: Most origins or horizons one backtest takes: NATO's series start in 1949, so 100 years
#: cover any origin or horizon with figures to score against.
MAX_YEARS = 100


def _years(values: Sequence[int], name: str, low: int) -> list[int]:
    """Whole numbers from ``low`` on, each once (a repeated one would count twice)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | range):
        raise InputError(f"{name}: expected a sequence of whole numbers, found {values!r}",
                         field=name)  # fmt: skip
    try:
        count = len(values)
    except OverflowError:  # a range longer than sys.maxsize
        count = MAX_YEARS + 1
    if count > MAX_YEARS:  # checked before the sequence is built (adversarial2 M3)
        raise InputError(f"{name}: expected at most {MAX_YEARS} values, found more", field=name)
    out = list(values)
    bad = [v for v in out if not (is_whole(v) and v >= low)]
    if not out or bad:
        found = repr(bad[0]) if bad else "none"
        what = "years ahead, each >= 1" if low == 1 else f"years from {low}"
        raise InputError(f"{name}: expected {what}, found {found}", field=name)
    twice = sorted({v for v in out if out.count(v) > 1})
    if twice:
        raise InputError(f"{name}: {twice[0]} is given twice; give each once", field=name)
    return [int(v) for v in out]


def backtest(
    *, edition: str = "latest", origins: Sequence[int] = range(2016, 2022),
    horizons: Sequence[int] = range(1, 6), methods: Sequence[str] | None = None,
    threshold: float = 2.0, draws: int = 2000, rng: int | np.random.Generator | None = 0,
    realtime_edition: str | None = "2024-06", realtime_as_of: int = 2023,
    data: NatoData | None = None,
) -> BacktestResult:  # fmt: skip
    """Score every method at every origin and horizon against the complete edition.

    Parameters
    ----------
    edition
        The fixed edition of the histories and of the truth (``latest``: the newest
        complete edition).
    origins, horizons
        Origin years (each uses figures up to that year only) and years ahead.
    methods
        Subset of ``response, response_uncalibrated, no_change, linear_trend,
        pooled_random_walk, old_constant, old_trend`` (default: all).
    threshold
        The event's line (% of GDP).
    draws
        Samples per predictive distribution.
    rng
        Seed (int >= 0) or Generator; same seed, same result.
    realtime_edition, realtime_as_of
        The real-time check's history (``None`` to skip).
    """
    origins, horizons = _years(origins, "origins", 2000), _years(horizons, "horizons", 1)
    lo, hi = THRESHOLD_RANGE
    if not (is_number(threshold) and lo <= threshold <= hi):
        raise InputError(
            f"threshold: expected {lo} to {hi} (% of GDP), found {threshold!r}", field="threshold"
        )
    if not (is_whole(draws) and 100 <= draws <= 100_000):
        raise InputError(f"draws: expected 100 to 100000, found {draws!r}", field="draws")
    d = load_data() if data is None else data
    names = list(METHODS) if methods is None else list(methods)
    unknown = sorted(set(names) - set(METHODS))
    if unknown:
        raise InputError(
            f"methods: unknown {', '.join(unknown)}; accepted: {', '.join(METHODS)}",
            field="methods",
        )
    gen = normalize_rng(rng)
    truth_name = complete_edition(d) if edition == "latest" else edition
    truth = build_history(d, truth_name)
    with fields_as({"as_of": "origins"}):
        histories = [build_history(d, truth_name, o) for o in origins]
    cases = pd.concat(
        [_cases(h, truth, horizons, names, gen, draws, threshold) for h in histories],
        ignore_index=True,
    )
    if cases.empty:
        raise InputError("origins: no origin and horizon falls inside the edition", field="origins")
    realtime = pd.DataFrame()
    basis = ""
    if realtime_edition is not None:
        with fields_as({"edition": "realtime_edition", "as_of": "realtime_as_of"}):
            past = build_history(d, realtime_edition, realtime_as_of)
        gap = sorted(y - realtime_as_of for y in truth.years if y > realtime_as_of + 1)
        later = _cases(past, truth, gap, names, gen, draws, threshold)
        realtime = _summary(later) if not later.empty else realtime
        bases = d.editions.set_index("edition")["basis"]
        basis = (
            f"history {realtime_edition}: {bases.get(realtime_edition)}; "
            f"truth {truth_name}: {bases.get(truth_name)}"
        )
    meta = {
        "edition": truth_name, "truth_edition": truth_name, "threshold_pct": threshold,
        "log_score_clip": CLIP, "realtime_bases": basis,
        "note": "Results of stated models scored on NATO's figures; not forecasts.",
    }  # fmt: skip
    params = {"origins": list(origins), "horizons": list(horizons), "methods": names,
              "draws": draws, "realtime_edition": realtime_edition,
              "realtime_as_of": realtime_as_of}  # fmt: skip
    return BacktestResult(_summary(cases), _reliability(cases), realtime, cases, params, meta)

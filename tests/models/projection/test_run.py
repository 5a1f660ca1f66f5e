"""Chunk statistics are merged as they arrive: memory does not grow with the chunks."""

from __future__ import annotations

import os
import weakref

import pandas as pd
import pytest

from twotier.models.projection import engine, run
from twotier.models.projection.api import ProjectionParams, project

CHUNKS = 40


def _count_alive(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Wrap the chunk simulation to count the chunk results alive at once (the peak)."""
    counts = {"alive": 0, "peak": 0, "made": 0}
    original = engine.simulate_blocks

    def gone() -> None:
        counts["alive"] -= 1

    def tracked(*args: object) -> engine.Accumulator:
        acc = original(*args)  # type: ignore[arg-type]
        counts["alive"] += 1
        counts["made"] += 1
        counts["peak"] = max(counts["peak"], counts["alive"])
        weakref.finalize(acc, gone)
        return acc

    monkeypatch.setattr(engine, "simulate_blocks", tracked)
    return counts


@pytest.mark.parametrize("scheduler", [None, "synchronous"])
def test_chunk_results_alive_at_once_are_bounded(
    monkeypatch: pytest.MonkeyPatch, scheduler: str | None
) -> None:
    # Each chunk's statistics hold a money histogram (about 12.5 MB at 32 allies x 34
    # years): keeping one per chunk until the end made memory grow with draws/chunk_size
    # (adversarial H2: 2.5 GB for 200,000 draws in chunks of 1,024).
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    p = ProjectionParams(horizon=2027, draws=CHUNKS * engine.BLOCK, seed=3, chunk_size=1024)
    expected = project("two-tier-2pct", p)  # before counting: the reference result
    counts = _count_alive(monkeypatch)
    result = project("two-tier-2pct", p, scheduler=scheduler)
    assert counts["made"] == CHUNKS
    bound = run.IN_FLIGHT_PER_WORKER * 2 + 1 if scheduler is None else run.FAN_IN + 1
    assert counts["peak"] <= bound < CHUNKS
    pd.testing.assert_frame_equal(result.allies, expected.allies)
    pd.testing.assert_frame_equal(result.alliance, expected.alliance)
    pd.testing.assert_frame_equal(result.covered, expected.covered)


@pytest.mark.parametrize("model", ["scenario", "response"])
def test_progress_reports_every_chunk_up_to_the_last(model: str) -> None:
    calls: list[tuple[int, int]] = []
    # Five blocks of draws, one block per chunk: five chunks.
    chunked = {"chunk_size": engine.BLOCK} if model == "scenario" else {}
    draws = 5 * engine.BLOCK
    params = ProjectionParams(model=model, horizon=2027, draws=draws, seed=2, **chunked)
    project("two-tier-2pct", params, progress=lambda done, total: calls.append((done, total)))
    if model == "scenario":
        assert calls == [(k, 5) for k in range(1, 6)]
    else:  # the response model runs as one piece
        assert calls == [(1, 1)]

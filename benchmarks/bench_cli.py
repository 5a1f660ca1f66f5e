"""Whole-process time of CLI questions, and one uncached coverage evaluation.

- CLI: ``twotier coverage --threshold 2 --year 2024 --format json`` (and ``--help``,
  and a bad threshold, which exits 2) as new processes, 10 runs each (``--runs N``)
  after one warm-up; min / median / max wall time. With ``--old DIR`` (a checkout of
  the previous implementation with its own ``.venv``) the old command runs alternately
  with the new one, so both see the same machine load; the ratio is taken pair by pair.
- Bytecode: as an installed package runs, with its compiled modules cached (each
  checkout gets its own cache folder, ``PYTHONPYCACHEPREFIX``; the warm-up fills it),
  even where the environment sets ``PYTHONDONTWRITEBYTECODE``. ``--no-bytecode-cache``
  keeps the environment's setting (every module without a cached compilation is then
  compiled from source on every run).
- The slowest imports of one run (``python -X importtime``), to see what a question
  pays for before it starts.
- One coverage evaluation with provenance, not cached: ``twotier.coverage`` of a new
  threshold each call (0.01 points apart, so no cache answers), median of 200, in a
  fresh process of each checkout (twice each, alternately, with ``--old``).
Run: ``.venv/bin/python benchmarks/bench_cli.py [--old DIR] [--runs N] [--no-bytecode-cache]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _servers import old_checkout

RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 10
BYTECODE_CACHE = "--no-bytecode-cache" not in sys.argv
QUESTION = ["coverage", "--threshold", "2", "--year", "2024", "--format", "json"]
BAD_INPUT = ["coverage", "--threshold", "two", "--year", "2024", "--format", "json"]
_CACHES: dict[Path | None, str] = {}


def _command(checkout: Path | None) -> tuple[list[str], dict[str, str]]:
    python = sys.executable if checkout is None else str(checkout / ".venv" / "bin" / "python")
    env = {**os.environ, "TWOTIER_DATA_DIR": tempfile.mkdtemp(prefix="twotier-bench-")}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout / "src")
    if BYTECODE_CACHE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if checkout not in _CACHES:
            _CACHES[checkout] = tempfile.mkdtemp(prefix="twotier-bench-pyc-")
        env["PYTHONPYCACHEPREFIX"] = _CACHES[checkout]
    return [python, "-m", "twotier.cli"], env


def _run(cmd: list[str], env: dict[str, str], expect: int = 0) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(cmd)} exited with {done.returncode}, not {expect}")
    return time.perf_counter() - start


def processes(old: Path | None, args: list[str], expect: int = 0) -> None:
    new_cmd, new_env = _command(None)
    old_cmd, old_env = _command(old) if old else ([], {})
    _run(new_cmd + args, new_env, expect)
    if old:
        _run(old_cmd + args, old_env, expect)
    news, olds = [], []
    for _ in range(RUNS):
        news.append(_run(new_cmd + args, new_env, expect))
        if old:
            olds.append(_run(old_cmd + args, old_env, expect))
    label = " ".join(args)
    for name, times in (("new", news), ("old", olds)):
        if times:
            print(f"{name:<4} twotier {label:<50} min {min(times):.3f} s  "
                  f"median {statistics.median(times):.3f} s  max {max(times):.3f} s")  # fmt: skip
    if old:
        ratios = [o / n for o, n in zip(olds, news, strict=True)]
        print(f"ratio old/new (pair by pair) median {statistics.median(ratios):.2f}x")


def slowest_imports(top: int = 8) -> None:
    cmd, env = _command(None)
    _run(cmd + QUESTION, env)  # the bytecode cache is filled
    done = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:], *QUESTION], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (p.strip() for p in line.split(":", 1)[1].split("|"))
            if name.lstrip() == name:  # top-level imports only
                rows.append((int(cumulative) / 1e6, name))
    for seconds, name in sorted(rows, reverse=True)[:top]:
        print(f"     import {name:<40} {seconds:.3f} s (cumulative)")


EVALUATION = """
import statistics, time, twotier
twotier.coverage(twotier.threshold_policy(2.0), 2024)
times = []
for i in range(200):
    policy = twotier.threshold_policy(round(2.01 + i * 0.01, 2))
    start = time.perf_counter()
    twotier.coverage(policy, 2024)
    times.append((time.perf_counter() - start) * 1000)
print(statistics.median(times), statistics.quantiles(times, n=20)[18])
"""


def evaluation(old: Path | None) -> None:
    """One uncached evaluation, in a fresh process of each checkout (old, new, old, new)."""
    runs: dict[str, list[tuple[float, float]]] = {"new": [], "old": []}
    for _ in range(2):
        for name, checkout in (("old", old), ("new", None)):
            if name == "old" and old is None:
                continue
            cmd, env = _command(checkout)
            done = subprocess.run([cmd[0], "-c", EVALUATION], env=env, capture_output=True,
                                  text=True, check=True)  # fmt: skip
            median, p95 = (float(x) for x in done.stdout.split())
            runs[name].append((median, p95))
    for name, got in runs.items():
        if got:
            median = statistics.median(m for m, _ in got)
            p95 = statistics.median(p for _, p in got)
            print(f"{name:<4} one coverage evaluation, uncached     median {median:.1f} ms  "
                  f"p95 {p95:.1f} ms")  # fmt: skip
    if runs["old"]:
        ratio = statistics.median(m for m, _ in runs["old"]) / statistics.median(
            m for m, _ in runs["new"]
        )
        print(f"ratio old/new one evaluation (median) {ratio:.1f}x")


def main() -> None:
    old = old_checkout(sys.argv)
    print(f"load (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; bytecode "
          f"{'cached' if BYTECODE_CACHE else 'as the environment sets it'}")  # fmt: skip
    processes(old, QUESTION)
    processes(old, ["--help"])
    processes(old, BAD_INPUT, expect=2)
    slowest_imports()
    evaluation(old)


if __name__ == "__main__":
    main()

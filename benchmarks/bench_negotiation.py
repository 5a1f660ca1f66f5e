"""Monte Carlo of the negotiation model: time and peak memory, new engine against the
previous one, in the same run.

The previous engine (one long frame of 8 x draws rows) is read from git history at
commit ``25d097d`` (the last commit before issue #13) into a temporary package, so both
run on this machine, in this run, with the same bargaining closed forms. Each
measurement runs in its own subprocess; peak memory is that process's maximum resident
set size (``ru_maxrss``), shown with the same figure for 1 draw (imports only).
Run: ``.venv/bin/python benchmarks/bench_negotiation.py [draws ...]``
(default 100000 1000000).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OLD_COMMIT = "25d097d"
ROOT = Path(__file__).resolve().parent.parent


def _old_package(folder: Path) -> None:
    pkg = folder / "old_negotiation"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name in ("engine", "params"):
        source = f"{OLD_COMMIT}:src/twotier/models/negotiation/{name}.py"
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", source],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        text = text.replace("twotier.models.negotiation.params", "old_negotiation.params")
        (pkg / f"{name}.py").write_text(text)


def one(kind: str, draws: int, folder: str) -> dict[str, float]:
    """Run one measurement in this process; return seconds (wall, CPU) and peak MB."""
    import numpy as np

    from twotier.models.negotiation.api import load_scenario

    if kind == "old":
        sys.path.insert(0, folder)
        from old_negotiation.engine import (  # type: ignore[import-not-found]
            NegotiationParams,
            Uncertainty,
            simulate_negotiation,
            summarize_simulation,
        )

        params = NegotiationParams(aid_baseline_eur_bn=20.957, other_aid_eur_bn=24.725)
        same = ("cost_ukraine", "cost_russia", "decisiveness", "sanctions_cost")
        us = [Uncertainty(u.name, u.distribution, u.low, u.high, u.mode)
              for u in load_scenario("default").uncertainties if u.name in same]  # fmt: skip
        us.append(Uncertainty("aid_after_russia_refusal_eur_bn", "uniform", 20.957, 62.9))
        start, cpu = time.perf_counter(), time.process_time()
        summarize_simulation(simulate_negotiation(params, us, draws, rng=np.random.default_rng(1)))
    else:
        from twotier.models.negotiation.api import negotiation_params
        from twotier.models.negotiation.montecarlo import simulate_negotiation as sim

        params, scenario = negotiation_params()
        start, cpu = time.perf_counter(), time.process_time()
        sim(params, scenario.uncertainties, draws, rng=1)
    wall, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": wall, "cpu_s": cpu_s, "peak_mb": peak}


def measure(kind: str, draws: int, folder: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(draws), folder],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _old_package(Path(folder))
        base = {k: measure(k, 1, folder)["peak_mb"] for k in ("old", "new")}
        print(f"peak RSS with 1 draw (imports): old {base['old']:.0f} MB, new {base['new']:.0f} MB")
        print(f"{'draws':>10} {'engine':>6} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
        for draws in sizes:
            rows = {k: measure(k, draws, folder) for k in ("old", "new")}
            for k, r in rows.items():
                print(
                    f"{draws:>10} {k:>6} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_mb']:8.0f}"
                )
            ratio = rows["old"]["wall_s"] / rows["new"]["wall_s"]
            mem = rows["old"]["peak_mb"] / rows["new"]["peak_mb"]
            print(f"{draws:>10}  new is {ratio:.1f}x faster (wall), {mem:.1f}x less peak memory")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])

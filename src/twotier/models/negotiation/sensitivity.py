"""What drives the answer: Sobol indices and scenario discovery for the negotiation model.

:func:`sobol_indices` is a generic pipeline (SALib's Saltelli/Sobol' design and
estimators): a function of a design matrix is evaluated in fixed-size batches, on Dask
when a scheduler is given, and every output gets first-order (S1) and total (ST)
indices with bootstrap confidence intervals. The batches are fixed by the design, not
by the scheduler, and the model has no randomness of its own, so the indices are
identical for a seed whatever the scheduler. :func:`negotiation_sobol` applies it to
the model over every parameter with a distribution in the scenario;
:func:`discover_scenarios` uses PRIM (Friedman & Fisher 1999, ``prim`` package) to
find where a lever changes an outcome by more than a given amount, and says so in
plain language.

References
----------
.. [Saltelli2010] Saltelli, A. et al. (2010). Variance based sensitivity analysis of
   model output. *Computer Physics Communications* 181(2): 259-270.
   doi:10.1016/j.cpc.2009.09.018
.. [Friedman1999] Friedman, J.H. & Fisher, N.I. (1999). Bump hunting in
   high-dimensional data. *Statistics and Computing* 9(2): 123-143.
   doi:10.1023/A:1008894516817
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from twotier.models.negotiation.engine import (
    FLAGS,
    LABELS,
    OUTPUTS,
    SETTINGS,
    evaluate_arrays,
    months_to_talks,
)
from twotier.models.negotiation.montecarlo import seed_sequence
from twotier.models.negotiation.params import (
    PARAMETERS,
    NegotiationParams,
    Uncertainty,
    check_uncertainties,
)

__all__ = ["BATCH", "Box", "discover_scenarios", "negotiation_sobol", "sobol_indices"]

BATCH = 50_000
Model = Callable[[np.ndarray], Mapping[str, np.ndarray]]


def _int_seed(rng: np.random.Generator | int | None) -> int:
    return int(seed_sequence(rng).generate_state(1, np.uint32)[0])


def _evaluate(
    model: Model, x: np.ndarray, scheduler: str | None, batch: int
) -> dict[str, np.ndarray]:
    starts = range(0, len(x), batch)
    if scheduler is None:
        parts = [model(x[s : s + batch]) for s in starts]
    else:
        import dask

        tasks = [dask.delayed(model)(x[s : s + batch]) for s in starts]
        parts = list(dask.compute(*tasks, scheduler=scheduler))
    return {k: np.concatenate([np.asarray(p[k], dtype=float) for p in parts]) for k in parts[0]}


def sobol_indices(
    model: Model,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    base_samples: int = 1024,
    rng: np.random.Generator | int | None = 0,
    scheduler: str | None = None,
    batch: int = BATCH,
) -> pd.DataFrame:
    """First-order and total Sobol indices of every output of ``model``.

    ``model`` maps an (n, k) design matrix to a dict of n-vectors. The design is
    SALib's Sobol' sequence (``base_samples`` x (k + 2) rows, no second order).
    Returns one row per (output, factor): ``S1, S1_conf, ST, ST_conf`` (95 %
    bootstrap half-widths), plus ``defined_share``: outputs that are missing or
    infinite in some rows are analysed on their defined rows only if all are
    defined; otherwise their indices are missing.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    seed = _int_seed(rng)
    x = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    outputs = _evaluate(model, x, scheduler, batch)
    rows = []
    for output, y in outputs.items():
        ok = np.isfinite(y)
        share = float(ok.mean())
        if share < 1 or np.ptp(y) == 0:
            missing = {"S1": np.nan, "S1_conf": np.nan, "ST": np.nan, "ST_conf": np.nan}
            rows += [{"output": output, "factor": n, **missing, "defined_share": share}
                     for n in names]  # fmt: skip
            continue
        res = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        for i, n in enumerate(names):
            rows.append({"output": output, "factor": n, "S1": float(res["S1"][i]),
                         "S1_conf": float(res["S1_conf"][i]), "ST": float(res["ST"][i]),
                         "ST_conf": float(res["ST_conf"][i]), "defined_share": share})  # fmt: skip
    return pd.DataFrame(rows)


def _setting(name: str) -> Any:
    for s in SETTINGS:
        if s.name == name:
            return s
    raise ValueError(
        f"setting: expected one of {', '.join(s.name for s in SETTINGS)}, found {name!r}"
    )


def _model(params: NegotiationParams, factors: Sequence[Uncertainty], setting: Any) -> Model:
    check_uncertainties(params, factors)
    base, talks = params.values(), months_to_talks(params)
    status = SETTINGS[4] if setting.sanctions else SETTINGS[0]

    def model(u: np.ndarray) -> dict[str, np.ndarray]:
        values: dict[str, Any] = dict(base)
        for i, f in enumerate(factors):
            values[f.name] = f.ppf(u[:, i])
        out, ref = evaluate_arrays(values, talks, (setting, status))
        result = {}
        for key in OUTPUTS:
            if out[key] is None:
                continue
            y = np.broadcast_to(np.asarray(out[key], dtype=float), (len(u),))
            result[key] = y
            if key not in FLAGS and ref[key] is not None:
                result[f"effect:{key}"] = y - np.asarray(ref[key], dtype=float)
        return result

    return model


def negotiation_sobol(
    params: NegotiationParams,
    factors: Sequence[Uncertainty],
    setting: str = "both threats + sanctions",
    base_samples: int = 1024,
    rng: np.random.Generator | int | None = 0,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Return Sobol indices of every output of one lever setting over the factors.

    Also of its effect against the status quo (outputs named ``effect:<output>``).

    Each factor is sampled on the unit interval and mapped through its distribution's
    quantile function, so triangular ranges keep their shape. Adds ``kind`` (lever or
    assumption) and ``label`` columns.
    """
    if not factors:
        raise ValueError("factors: expected at least one parameter with a distribution")
    model = _model(params, factors, _setting(setting))
    names = [f.name for f in factors]
    frame = sobol_indices(model, names, [(0.0, 1.0)] * len(names), base_samples, rng, scheduler)
    frame.insert(0, "setting", setting)
    frame["kind"] = ["lever" if PARAMETERS[f].lever else "assumption" for f in frame["factor"]]
    frame["label"] = [
        ("change in " + LABELS.get(o[7:], o[7:])) if o.startswith("effect:") else LABELS.get(o, o)
        for o in frame["output"]
    ]
    return frame


@dataclass(frozen=True, slots=True)
class Box:
    """A PRIM box: the factor ranges where the condition holds in most draws."""

    limits: dict[str, tuple[float, float]]
    density: float
    coverage: float
    mass: float
    sentence: str


def discover_scenarios(
    params: NegotiationParams,
    factors: Sequence[Uncertainty],
    output: str = "nash_x",
    setting: str = "both threats + sanctions",
    threshold: float = 0.05,
    samples: int = 4000,
    rng: np.random.Generator | int | None = 0,
) -> Box:
    """Find, with PRIM, where the lever setting changes ``output`` by more than a threshold.

    Against the status quo with the same sanctions; returns the box and a sentence.
    """
    import prim

    if output not in OUTPUTS or output in FLAGS:
        raise ValueError(f"output: expected a numeric output, found {output!r}")
    gen = np.random.default_rng(seed_sequence(rng))
    u = gen.uniform(size=(samples, len(factors)))
    effect = _model(params, factors, _setting(setting))(u)[f"effect:{output}"]
    hit = np.abs(np.nan_to_num(effect)) > threshold
    x = pd.DataFrame({f.name: f.ppf(u[:, i]) for i, f in enumerate(factors)})
    label = LABELS.get(output, output)
    what = f"'{setting}' changes the {label[0].lower() + label[1:]} by more than {threshold:g}"
    if not hit.any():
        return Box({}, 0.0, 0.0, 0.0, f"In none of {samples} draws does {what}.")
    box = prim.Prim(x, hit, threshold=0.5, threshold_type=">").find_box()
    limits = {str(k): (float(r["min"]), float(r["max"])) for k, r in box.limits.iterrows()}
    ranges = "; ".join(f"{k} from {lo:.3g} to {hi:.3g}" for k, (lo, hi) in limits.items())
    sentence = (
        f"Under the stated model, {what} in {hit.mean():.1%} of {samples} draws; in "
        f"{box.density:.0%} of the draws with {ranges or 'any values'} (a region holding "
        f"{box.mass:.0%} of the draws and {box.coverage:.0%} of the cases where it does)."
    )
    return Box(limits, float(box.density), float(box.coverage), float(box.mass), sentence)

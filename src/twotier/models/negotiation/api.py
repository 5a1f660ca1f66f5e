"""Public API of the negotiation model: scenarios, data-based defaults, runs.

The model itself is pure (:mod:`twotier.models.negotiation.engine`); this module reads the
scenario files and takes the aid defaults from the bundled Kiel figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from twotier._random import RngLike, as_seed
from twotier.data import NatoData, load_data
from twotier.data.toml_files import read_text_file
from twotier.errors import InputError, ScenarioError
from twotier.models.negotiation import engine
from twotier.models.negotiation.engine import PARAMETERS, NegotiationParams
from twotier.models.negotiation.scenario import Scenario, parse_scenario
from twotier.models.result import ModelResult

__all__ = [
    "NEGOTIATION_PARAMETERS",
    "AidDefaults",
    "NegotiationResult",
    "aid_defaults",
    "aid_notes",
    "aid_sweep_values",
    "load_scenario",
    "negotiate",
    "negotiation_params",
]

#: Months from the tracker's first month (2022-01) to Release 29's last (2026-04).
_TRACKER_START = (2022, 1)


@dataclass(frozen=True, slots=True)
class AidDefaults:
    """Annual military aid to Ukraine derived from the Kiel figures, with provenance."""

    patron_eur_bn: float
    others_eur_bn: float
    as_of: str
    years: float
    source: str


def aid_defaults(data: NatoData | None = None, patron: str = "USA") -> AidDefaults:
    """Average military aid per year: the patron's and all other donors' (EUR bn).

    Cumulative military aid *allocated* (Kiel Ukraine Support Tracker, newest release
    in the bundled data) divided by the tracker's period in years (from January 2022
    to the release's last month).
    """
    d = load_data() if data is None else data
    aid = d.aid
    rows = aid[(aid["category"] == "military") & (aid["measure"] == "allocated")]
    as_of = str(rows["as_of"].max())
    rows = rows[rows["as_of"] == as_of]
    year, month = (int(x) for x in as_of.split("-")[:2])
    months = (year - _TRACKER_START[0]) * 12 + month - _TRACKER_START[1] + 1
    years = months / 12
    patron_total = float(rows.loc[rows["donor_iso3"] == patron, "value_eur_bn"].sum())
    others_total = float(rows.loc[rows["donor_iso3"] != patron, "value_eur_bn"].sum())
    return AidDefaults(
        patron_eur_bn=round(patron_total / years, 3),
        others_eur_bn=round(others_total / years, 3),
        as_of=as_of,
        years=round(years, 4),
        source=str(rows["source"].iloc[0]),
    )


def load_scenario(scenario: str | Path = "default") -> Scenario:
    """A shipped scenario by name (``default``) or a scenario TOML file."""
    folder = resources.files("twotier.models.negotiation") / "scenarios"
    shipped = {
        e.name.removesuffix(".toml"): e for e in folder.iterdir() if e.name.endswith(".toml")
    }
    text = str(scenario)
    if text in shipped:
        return parse_scenario(shipped[text].read_text(encoding="utf-8"), f"{text}.toml")
    p = Path(text)
    if not p.is_file():
        raise ScenarioError(
            f"--scenario: {text!r} is neither a shipped scenario ({', '.join(sorted(shipped))}) "
            "nor a readable .toml file",
            field="scenario",
        )
    text = read_text_file(p, error=ScenarioError, field="scenario")
    return parse_scenario(text, p.name)


def negotiation_params(
    scenario: Scenario | str | Path = "default",
    overrides: Mapping[str, float] | None = None,
    data: NatoData | None = None,
) -> tuple[NegotiationParams, Scenario]:
    """Parameters of a scenario: defaults, then the scenario's values, then ``overrides``."""
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    aid = aid_defaults(data)
    values: dict[str, float] = {
        "aid_baseline_eur_bn": aid.patron_eur_bn,
        "other_aid_eur_bn": aid.others_eur_bn,
    }
    values.update(dict(s.parameters))
    for name, value in (overrides or {}).items():
        if name not in PARAMETERS:
            raise InputError(
                f"--set: unknown parameter {name!r}; accepted: {', '.join(PARAMETERS)}",
                field="set",
            )
        values[name] = value
    try:
        return NegotiationParams(**values), s
    except ValueError as exc:
        raise InputError(f"--set: {exc}", field="set") from exc


def aid_notes(data: NatoData | None = None) -> dict[str, str]:
    """Provenance of the data-based aid defaults, for :func:`parameter_table`."""
    aid = aid_defaults(data)
    text = (
        f"[Kiel data to {aid.as_of}, {aid.years:.2f} years; patron US EUR "
        f"{aid.patron_eur_bn:g} bn/yr, others EUR {aid.others_eur_bn:g} bn/yr; {aid.source}]"
    )
    return {"aid_baseline_eur_bn": text, "other_aid_eur_bn": text}


#: The model's parameter names (for ``--set NAME=VALUE`` and sweeps).
NEGOTIATION_PARAMETERS: tuple[str, ...] = tuple(PARAMETERS)

#: Largest number of Monte Carlo draws of one run.
MAX_DRAWS = 10_000_000

CAVEAT = (
    "Results of a stated bargaining model under the assumptions listed above, not "
    "forecasts of what will happen. x is Ukraine's share of the contested good "
    "(prize = 1); p the probability that Ukraine prevails if fighting continues."
)


@dataclass(frozen=True)
class NegotiationResult(ModelResult):
    """One run of the negotiation model (see :mod:`twotier.models.result`).

    ``outcomes``: one row per lever setting at the parameters (always).
    ``simulation``: per setting and output, mean and quantiles over the draws (``None``
    without draws). ``sweep``: the outcomes at each value of one parameter (``None``
    without a sweep). ``parameters``: every parameter with value, unit, distribution
    and source. ``params``: the parameters used. ``meta``: model, scenario, draws,
    seed, sweep, aid data date, version, caveat.
    """

    outcomes: pd.DataFrame
    simulation: pd.DataFrame | None
    sweep: pd.DataFrame | None
    parameters: pd.DataFrame
    params: NegotiationParams
    meta: dict[str, object]


def aid_sweep_values(params: NegotiationParams, points: int = 13) -> list[float]:
    """Return the dashboard's aid grid: from the baseline aid to four times it.

    Parameters
    ----------
    params
        The parameters (their ``aid_baseline_eur_bn``).
    points
        Number of values.

    Returns
    -------
    list of float
        Evenly spaced values, EUR bn per year.
    """
    a0 = params.aid_baseline_eur_bn
    return [float(v) for v in np.linspace(a0, 4 * a0, points)]


def _check_draws(draws: object) -> int:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 0 <= draws <= MAX_DRAWS:
        raise InputError(f"draws: expected 0 to {MAX_DRAWS}, found {draws!r}", field="draws")
    return draws


def _sweep(params: NegotiationParams, sweep: tuple[str, Sequence[float]]) -> pd.DataFrame:
    name, values = sweep
    if name not in PARAMETERS:
        raise InputError(
            f"sweep: unknown parameter {name!r}; accepted: {', '.join(PARAMETERS)}",
            field="sweep",
        )
    try:
        return engine.sweep_negotiation(params, name, values)
    except ValueError as exc:
        raise InputError(f"sweep: {exc}", field="sweep") from None


def negotiate(
    scenario: Scenario | str | Path = "default",
    overrides: Mapping[str, float] | None = None,
    *,
    draws: int = 0,
    rng: RngLike = None,
    sweep: tuple[str, Sequence[float]] | None = None,
    data: NatoData | None = None,
) -> NegotiationResult:
    """Run the aid-leverage bargaining model.

    Parameters
    ----------
    scenario
        ``"default"``, a scenario file, or a :class:`Scenario`.
    overrides
        Parameter values that replace the scenario's (``{"p0": 0.4}``).
    draws
        Monte Carlo draws over the scenario's uncertainties (0: none).
    rng
        SPEC 7: an int seed or a Generator (``None``: a fresh seed, recorded in
        ``meta["seed"]`` so the run can be repeated).
    sweep
        ``(parameter, values)``: the outcomes at each value, others fixed.
    data
        The data the aid defaults come from (default: the loaded data).

    Returns
    -------
    NegotiationResult
        Frames, parameters used and metadata.

    Raises
    ------
    InputError
        Unknown parameter, bad value, draws out of range, bad seed (fields ``set``,
        ``draws``, ``rng``, ``sweep``).
    ScenarioError
        The scenario file does not parse or validate.
    """
    from twotier import __version__

    n = _check_draws(draws)
    params, scen = negotiation_params(scenario, overrides, data)
    seed = as_seed(rng, field="rng") if n else None
    simulation = None
    if n:
        sim = engine.simulate_negotiation(params, scen.uncertainties, n, rng=seed)
        simulation = engine.summarize_simulation(sim)
    aid = aid_defaults(data)
    meta: dict[str, object] = {
        "model": "negotiation", "scenario": scen.id, "scenario_title": scen.title,
        "draws": n, "seed": seed, "sweep": sweep[0] if sweep else None, "edition": None,
        "aid_as_of": aid.as_of, "version": __version__, "caveat": CAVEAT,
    }  # fmt: skip
    return NegotiationResult(
        outcomes=engine.evaluate_negotiation(params),
        simulation=simulation,
        sweep=_sweep(params, sweep) if sweep else None,
        parameters=engine.parameter_table(params, scen.uncertainties if n else (), aid_notes(data)),
        params=params,
        meta=meta,
    )

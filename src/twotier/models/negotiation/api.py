"""Public API of the negotiation model: scenarios, data-based defaults, runs.

The model itself is pure (:mod:`twotier.models.negotiation.engine`); this module takes
the defaults that come from data (Kiel aid figures, military expenditure) and reads
scenario files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from twotier._arguments import checked, is_file
from twotier._random import RngLike, as_seed
from twotier.data import NatoData, load_data
from twotier.data.milex import BASES
from twotier.data.milex import resources as milex_resources
from twotier.data.toml_files import read_text_file
from twotier.errors import InputError, ScenarioError
from twotier.models.negotiation.engine import (
    evaluate_negotiation,
    readable_columns,
    sweep_negotiation,
)
from twotier.models.negotiation.params import (
    DATES,
    PARAMETERS,
    NegotiationParams,
    check_uncertainties,
    parameter_table,
)
from twotier.models.negotiation.scenario import Scenario, parse_scenario
from twotier.models.result import ModelResult

__all__ = [
    "AID_WINDOWS",
    "KIEL_CAVEAT",
    "NEGOTIATION_PARAMETERS",
    "AidDefaults",
    "NegotiationResult",
    "aid_defaults",
    "aid_notes",
    "aid_sweep_values",
    "assumption_notes",
    "load_scenario",
    "negotiate",
    "negotiation_params",
]

_TRACKER_START = dt.date(2022, 1, 1)
#: Last month with new US aid in the Kiel tracker: the last package was announced on
#: 9 January 2025; no new US military, financial or humanitarian aid was observed after
#: it (Kiel Institute, Ukraine Support Tracker update with data to February 2025).
_US_LAST_MONTH = dt.date(2025, 1, 1)
_US_STOP_SOURCE = (
    "Kiel Institute, Ukraine Support Tracker update (data to February 2025): no new US "
    "aid observed after the package of 9 January 2025 [retrieved from "
    "https://idw-online.de/de/news850744]"
)
AID_WINDOWS = ("pre-inauguration", "tracker", "post-inauguration")
KIEL_CAVEAT = (
    "Kiel figures from the tracker's website repository (SOURCES.md §3): it may be a "
    "development or staging copy; we could not confirm it is an official Kiel Institute "
    "release. Check against the Excel file on ifw-kiel.de before citing."
)


@dataclass(frozen=True, slots=True)
class AidDefaults:
    """Annual military aid to Ukraine derived from the Kiel figures, with provenance."""

    patron_eur_bn: float
    others_eur_bn: float
    as_of: str
    years: float
    source: str
    window: str = "pre-inauguration"
    window_text: str = ""


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@checked
def aid_defaults(
    data: NatoData | None = None, patron: str = "USA", window: str = "pre-inauguration"
) -> AidDefaults:
    """Return military aid per year (EUR bn) from the Kiel figures.

    The patron's over ``window``, other donors' over the tracker's whole period.

    ``window``: ``pre-inauguration`` (default) divides the patron's cumulative
    allocations by January 2022 - January 2025, since the tracker records no new US aid
    after 9 January 2025 (the aid level the reported plan would act on);
    ``tracker`` by the tracker's whole period; ``post-inauguration`` is 0 (no new US
    aid after January 2025).
    """
    if window not in AID_WINDOWS:
        raise InputError(f"aid_window: expected one of {', '.join(AID_WINDOWS)}, found {window!r}",
                         field="aid_window")  # fmt: skip
    d = load_data() if data is None else data
    aid = d.aid
    rows = aid[(aid["category"] == "military") & (aid["measure"] == "allocated")]
    as_of = str(rows["as_of"].max())
    rows = rows[rows["as_of"] == as_of]
    year, month = (int(x) for x in as_of.split("-")[:2])
    last = dt.date(year, month, 1)
    if patron not in set(rows["donor_iso3"]):
        raise InputError(f"patron: {patron!r} has no military aid rows in the Kiel data",
                         field="patron")  # fmt: skip
    patron_total = float(rows.loc[rows["donor_iso3"] == patron, "value_eur_bn"].sum())
    others_total = float(rows.loc[rows["donor_iso3"] != patron, "value_eur_bn"].sum())
    years = _months(_TRACKER_START, last) / 12
    window_years = {"pre-inauguration": _months(_TRACKER_START, _US_LAST_MONTH) / 12,
                    "tracker": years, "post-inauguration": 0.0}[window]  # fmt: skip
    patron_rate = patron_total / window_years if window_years else 0.0
    text = {
        "pre-inauguration": f"US total to {as_of} over Jan 2022-Jan 2025; {_US_STOP_SOURCE}",
        "tracker": f"US total over the tracker's period Jan 2022-{as_of}",
        "post-inauguration": f"0 after January 2025; {_US_STOP_SOURCE}",
    }[window]
    return AidDefaults(
        patron_eur_bn=round(patron_rate, 3),
        others_eur_bn=round(others_total / years, 3),
        as_of=as_of,
        years=round(years, 4),
        source=str(rows["source"].iloc[0]),
        window=window,
        window_text=text,
    )


@checked
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
    if not is_file(p):
        raise ScenarioError(
            f"scenario: {text!r} is neither a shipped scenario ({', '.join(sorted(shipped))}) "
            "nor a readable .toml file",
            field="scenario",
        )
    text = read_text_file(p, error=ScenarioError, field="scenario")
    return parse_scenario(text, p.name)


def _choice(value: str | None, default: str, accepted: tuple[str, ...], name: str) -> str:
    chosen = default if value is None else value
    if chosen not in accepted:
        raise InputError(f"{name}: expected one of {', '.join(accepted)}, "
                         f"found {chosen!r}", field=name)  # fmt: skip
    return chosen


@checked
def negotiation_params(
    scenario: Scenario | str | Path = "default",
    overrides: Mapping[str, float | str] | None = None,
    data: NatoData | None = None,
    *,
    resources_basis: str | None = None,
    aid_window: str | None = None,
) -> tuple[NegotiationParams, Scenario]:
    """Return the parameters of a scenario, and the scenario.

    Data defaults, then the scenario's values, then ``overrides``.
    ``resources_basis`` (``market`` or ``ppp``) and ``aid_window`` (see
    :func:`aid_defaults`) default to the scenario's choices.
    """
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    basis = _choice(resources_basis, s.resources_basis, BASES, "resources_basis")
    window = _choice(aid_window, s.aid_window, AID_WINDOWS, "aid_window")
    aid = aid_defaults(data, window=window)
    res = milex_resources(basis)
    values: dict[str, float | str] = {
        "aid_baseline_eur_bn": aid.patron_eur_bn,
        "other_aid_eur_bn": aid.others_eur_bn,
        "resources_ukraine_usd_bn": res.ukraine_usd_bn,
        "resources_russia_usd_bn": res.russia_usd_bn,
    }
    values.update(dict(s.parameters))
    for name, value in (overrides or {}).items():
        if name not in PARAMETERS and name not in DATES:
            raise InputError(
                f"set: unknown parameter {name!r}; accepted: {', '.join([*PARAMETERS, *DATES])}",
                field="set",
            )
        values[name] = value
    try:
        return NegotiationParams(**values), s  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError(f"set: {exc}", field="set") from exc


@checked
def aid_notes(data: NatoData | None = None, window: str = "pre-inauguration") -> dict[str, str]:
    """Provenance of the data-based aid defaults, for the parameter table."""
    aid = aid_defaults(data, window=window)
    text = (
        f"[Kiel data to {aid.as_of}; window {aid.window}: {aid.window_text}; patron US EUR "
        f"{aid.patron_eur_bn:g} bn/yr; others EUR {aid.others_eur_bn:g} bn/yr over "
        f"{aid.years:.2f} years; {aid.source}. Caveat: {KIEL_CAVEAT}]"
    )
    return {"aid_baseline_eur_bn": text, "other_aid_eur_bn": text}


def assumption_notes(
    data: NatoData | None = None, *, resources_basis: str = "market",
    aid_window: str = "pre-inauguration",
) -> dict[str, str]:  # fmt: skip
    """Source or reason of every data-based default (aid, resources, dates)."""
    res = milex_resources(resources_basis)
    notes = aid_notes(data, aid_window)
    notes["resources_ukraine_usd_bn"] = f"[{res.basis} basis: {res.source_ukraine}]"
    notes["resources_russia_usd_bn"] = f"[{res.basis} basis: {res.source_russia}]"
    notes.update(DATES)
    return notes


#: The model's parameter names (for ``--set NAME=VALUE`` and sweeps).
NEGOTIATION_PARAMETERS: tuple[str, ...] = (*PARAMETERS, *DATES)

CAVEAT = (
    "Results of a stated bargaining model under the assumptions listed above, not "
    "forecasts of what will happen and not recommendations. x is Ukraine's share of the "
    "contested good (prize = 1); p the probability that Ukraine prevails if fighting "
    "continues. A threat counts only where the patron would carry it out."
)
#: The setting the one-sentence reading describes.
SENTENCE_SETTING = "both threats + sanctions"


@dataclass(frozen=True)
class NegotiationResult(ModelResult):
    """One run of the negotiation model (see :mod:`twotier.models.result`).

    ``outcomes``: one row per lever setting at the parameters (always).
    ``simulation``: per setting and output, n, mean, Monte Carlo standard error and
    quantiles over the draws (``None`` without draws). ``sweep``: the outcomes at each
    value of one parameter, plain-language column names (``None`` without a sweep).
    ``sensitivity``: Sobol indices (``None`` unless asked). ``parameters``: every
    parameter with value, unit, kind, distribution and source (with the Kiel caveat).
    ``params``: the parameters used. ``meta``: model, scenario, draws, seed, sweep,
    resources basis, aid window, aid data date, version, caveat and ``sentence`` (a
    plain-language reading of "both threats + sanctions").
    """

    outcomes: pd.DataFrame
    simulation: pd.DataFrame | None
    sweep: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    parameters: pd.DataFrame
    params: NegotiationParams
    meta: dict[str, object]


@checked
def aid_sweep_values(params: NegotiationParams, points: int = 13) -> list[float]:
    """Return the dashboard's grid of the aid rise: from 0 to three times the baseline.

    Parameters
    ----------
    params
        The parameters (their ``aid_baseline_eur_bn``).
    points
        Number of values, 0 to 1000.

    Returns
    -------
    list of float
        Evenly spaced values, EUR bn per year.
    """
    points = _check_count(points, "points", 1000)
    return [float(v) for v in np.linspace(0.0, 3.0 * params.aid_baseline_eur_bn, points)]


def _check_count(value: object, field: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InputError(f"{field}: expected 0 to {high}, found {value!r}", field=field)
    return value


def _sweep(params: NegotiationParams, sweep: tuple[str, Sequence[float]]) -> pd.DataFrame:
    name, values = sweep
    if name not in PARAMETERS:
        raise InputError(
            f"sweep: unknown parameter {name!r}; accepted: {', '.join(PARAMETERS)}",
            field="sweep",
        )
    try:
        return readable_columns(sweep_negotiation(params, name, values))
    except ValueError as exc:
        raise InputError(f"sweep: {str(exc).split(': ', 1)[-1]}", field="sweep") from None


@checked
def negotiate(
    scenario: Scenario | str | Path = "default",
    overrides: Mapping[str, float | str] | None = None,
    *,
    draws: int = 0,
    rng: RngLike = None,
    sweep: tuple[str, Sequence[float]] | None = None,
    sobol: int = 0,
    resources_basis: str | None = None,
    aid_window: str | None = None,
    data: NatoData | None = None,
) -> NegotiationResult:
    """Run the aid-leverage bargaining model.

    Parameters
    ----------
    scenario
        ``"default"``, a shipped scenario name, a scenario file, or a :class:`Scenario`.
    overrides
        Parameter values that replace the scenario's (``{"audience_cost_eur_bn": 5}``).
    draws
        Monte Carlo draws over the scenario's uncertainties (0: none), summarised in
        bounded memory with standard errors.
    rng
        SPEC 7: an int seed or a Generator (``None``: a fresh seed, recorded in
        ``meta["seed"]`` so the run can be repeated).
    sweep
        ``(parameter, values)``: the outcomes at each value, others fixed.
    sobol
        Sobol indices with this many base samples (a power of 2; 0: none).
    resources_basis, aid_window
        ``market``/``ppp`` and ``pre-inauguration``/``tracker``/``post-inauguration``
        (default: the scenario's).
    data
        The data the aid defaults come from (default: the loaded data).

    Returns
    -------
    NegotiationResult
        Frames, parameters used and metadata.

    Raises
    ------
    InputError
        Unknown parameter, bad value, draws or sobol out of range, bad seed (fields
        ``set``, ``draws``, ``sobol``, ``rng``, ``sweep``, ``resources_basis``,
        ``aid_window``).
    ScenarioError
        The scenario file does not parse or validate, or its distributions could
        draw values that break a cross-parameter rule (with ``overrides`` applied).
    """
    from twotier import __version__
    from twotier.models.negotiation.montecarlo import MAX_DRAWS, simulate_negotiation
    from twotier.models.negotiation.sensitivity import negotiation_sobol
    from twotier.models.negotiation.summary import result_sentence

    n = _check_count(draws, "draws", MAX_DRAWS)
    k = _check_count(sobol, "sobol", 65_536)
    if k & (k - 1):
        raise InputError(f"sobol: expected a power of 2, found {k}", field="sobol")
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    params, scen = negotiation_params(
        s, overrides, data, resources_basis=resources_basis, aid_window=aid_window
    )
    basis = resources_basis or scen.resources_basis
    window = aid_window or scen.aid_window
    seed = as_seed(rng, field="rng") if (n or k) else None
    if n or k:
        try:
            check_uncertainties(params, scen.uncertainties)
        except InputError as exc:  # the ranges come from the scenario, the bounds maybe from --set
            raise ScenarioError(f"scenario {scen.id!r}: {exc}", field=exc.field) from None
    simulation = (
        simulate_negotiation(params, scen.uncertainties, n, rng=seed).summary if n else None
    )
    sensitivity = (
        negotiation_sobol(params, scen.uncertainties, base_samples=k, rng=seed) if k else None
    )
    outcomes = evaluate_negotiation(params)
    notes = assumption_notes(data, resources_basis=basis, aid_window=window)
    meta: dict[str, object] = {
        "model": "negotiation", "scenario": scen.id, "scenario_title": scen.title,
        "draws": n, "sobol": k, "seed": seed, "sweep": sweep[0] if sweep else None,
        "edition": None, "resources_basis": basis, "aid_window": window,
        "aid_as_of": aid_defaults(data, window=window).as_of, "version": __version__,
        "caveat": CAVEAT, "sentence": result_sentence(outcomes, SENTENCE_SETTING),
    }  # fmt: skip
    return NegotiationResult(
        outcomes=outcomes,
        simulation=simulation,
        sweep=_sweep(params, sweep) if sweep else None,
        sensitivity=sensitivity,
        parameters=parameter_table(params, scen.uncertainties if (n or k) else (), notes),
        params=params,
        meta=meta,
    )

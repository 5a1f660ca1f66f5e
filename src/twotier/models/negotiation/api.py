"""Public API of the negotiation model: scenarios, data-based defaults, runs.

The model itself is pure (:mod:`twotier.models.negotiation.engine`); this module reads the
scenario files and takes the aid defaults from the bundled Kiel figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from twotier.data import NatoData, load_data
from twotier.data.toml_files import read_text_file
from twotier.errors import InputError, ScenarioError
from twotier.models.negotiation.engine import PARAMETERS, NegotiationParams
from twotier.models.negotiation.scenario import Scenario, parse_scenario

__all__ = ["AidDefaults", "aid_defaults", "aid_notes", "load_scenario", "negotiation_params"]

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

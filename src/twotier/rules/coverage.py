"""Coverage under a policy, its summary, and the allies that flip between editions.

These functions are the public Python API behind ``twotier coverage`` and
``twotier diff``. They take an optional ``data`` (default: the bundled figures,
plus imported editions) and return tidy frames and frozen summaries.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twotier._arguments import checked
from twotier.data import NatoData, load_data
from twotier.data.select import LATEST
from twotier.errors import InputError, YearError
from twotier.rules.evaluate import evaluate_policy
from twotier.rules.policy import Policy
from twotier.rules.registry import get_policy

__all__ = [
    "TABLE_COLUMNS",
    "CoverageSummary",
    "coverage",
    "coverage_summary",
    "diff",
    "to_json_dict",
]

#: The columns shown when a coverage frame is displayed as a table (CLI, dashboard,
#: reports); the frame itself has more (see :func:`coverage`). ``source`` cites NATO's
#: publication; ``retrieved_from`` is the page or file the figure was transcribed from.
TABLE_COLUMNS = (
    "iso3", "ally", "tier", "reason", "value", "edition", "estimate", "margin_pp",
    "shortfall_usd_m", "backing_share", "source", "retrieved_from",
)  # fmt: skip


def _data(data: NatoData | None) -> NatoData:
    return load_data() if data is None else data


@checked
def coverage(
    policy: str | Path | Policy,
    year: int,
    edition: str = LATEST,
    *,
    data: NatoData | None = None,
) -> pd.DataFrame:
    """Which allies a policy covers in ``year``, by the figures of ``edition``.

    Parameters
    ----------
    policy
        A built-in id (``"two-tier-2pct"``), a path to a policy TOML file, or a
        :class:`~twotier.Policy` (e.g. ``threshold_policy(2.5)``).
    year
        Calendar year as NATO labels it.
    edition
        ``"latest"`` (newest edition per figure; the ``edition`` column says which)
        or an explicit edition such as ``"2024-06"`` (only that edition's figures;
        a figure it lacks is unknown).
    data
        Data to use; default: :func:`twotier.load_data`.

    Returns
    -------
    DataFrame
        One row per member (32). Main columns: ``iso3, ally, tier`` (1 covered,
        2 not covered, missing = unknown), ``covered``, ``reason``, ``value``,
        ``edition``, ``estimate``, ``margin_pp`` (value minus threshold, points),
        ``shortfall_usd_m`` (``max(0, threshold - pct_gdp) / 100 * GDP``, current
        US$ million of that year and edition; 0 for covered allies; missing when
        unknown). See :data:`twotier.rules.evaluate.COVERAGE_COLUMNS`.

    Raises
    ------
    twotier.errors.InputError
        Unknown policy or edition, or a year without figures.

    Examples
    --------
    >>> import twotier
    >>> frame = twotier.coverage("two-tier-2pct", 2024, "2024-06")
    >>> int(frame["covered"].sum())
    23
    """
    return _evaluate_cached(_data(data), get_policy(policy), whole_year(year), edition).copy(
        deep=True
    )


def whole_year(year: object) -> int:
    """Return ``year`` as an int, refusing what is not a whole number (2024.9, True, '2024').

    Examples
    --------
    >>> whole_year(2024), whole_year(2024.0)
    (2024, 2024)
    """
    if isinstance(year, numbers.Integral) and not isinstance(year, bool):
        return int(year)
    if isinstance(year, float) and year.is_integer():
        return int(year)
    raise YearError(f"year: expected a whole year such as 2024, found {year!r}", field="year")


@functools.lru_cache(maxsize=64)
def _evaluate_cached(data: NatoData, policy: Policy, year: int, edition: str) -> pd.DataFrame:
    # Policies are frozen (hashable) and data sets compare by identity, so a result
    # can be reused; callers get a deep copy and cannot alter the cached frame. Kept
    # for 64 questions (a long-running server scans every kept frame when it collects).
    return evaluate_policy(data, policy, year, edition)


@dataclass(frozen=True, slots=True)
class CoverageSummary:
    """Alliance-level summary of a coverage frame.

    ``None`` means unknown: e.g. ``shortfall_usd_m`` is ``None`` when the
    shortfall of some uncovered ally is unknown (``shortfall_known_usd_m`` then
    gives the part that is known). Totals and shares count the members of that
    year only; ``not_members`` lists the allies that had not yet joined.

    Completeness: ``allies_required`` is the number of members with armed forces
    (NATO publishes no figures for Iceland); ``allies_with_figure`` how many of them
    have a figure for the year in the edition(s) used (``figure_editions``);
    ``missing_figures`` the ones without. ``basis_note`` says when the figures are on
    NATO's core-defence basis (2026 edition) rather than total defence expenditure.
    ``guarantors`` is ``("all",)`` or the allies that apply the condition;
    ``outside_guarantee`` maps each of those to the members it does not defend.
    """

    policy: str
    year: int
    edition: str
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]
    unknown: tuple[str, ...]
    not_members: tuple[str, ...]
    uncovered_population_m: float
    uncovered_population_share: float
    uncovered_gdp_share: float | None
    uncovered_frontline: tuple[str, ...]
    shortfall_usd_m: float | None
    shortfall_known_usd_m: float
    allies_required: int
    allies_with_figure: int
    missing_figures: tuple[str, ...]
    figure_editions: tuple[str, ...]
    sources: tuple[str, ...]
    basis_note: str | None
    guarantors: tuple[str, ...]
    outside_guarantee: dict[str, tuple[str, ...]]

    @property
    def completeness(self) -> str:
        """One sentence: how many allies have a figure, in which edition, who lacks one."""
        editions = ", ".join(self.figure_editions) or "none"
        missing = ", ".join(self.missing_figures) or "none"
        return (
            f"{self.allies_with_figure} of {self.allies_required} allies with armed forces "
            f"have a figure for {self.year} in edition {editions}; without a figure: {missing}."
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (lists instead of tuples) for JSON."""
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["outside_guarantee"] = {k: list(v) for k, v in self.outside_guarantee.items()}
        out["completeness"] = self.completeness
        return out


def _none_if_nan(value: object) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _basis_note(bases: dict[str, str]) -> str | None:
    core = sorted(e for e, b in bases.items() if "core" in b)
    if not core:
        return None
    other = sorted(e for e in bases if e not in core)
    note = (
        f"Edition {', '.join(core)} measures core defence expenditure (The Hague 2025 "
        "definition), not total defence expenditure as earlier editions do; the two bases "
        "are not comparable."
    )
    return note + (f" Figures here mix both bases ({', '.join(other)})." if other else "")


def _outside(
    iso3: np.ndarray, not_covered: np.ndarray, guarantors: object
) -> tuple[tuple[str, ...], dict]:
    """Who applies the condition, and whom each of them does not defend (known only)."""
    if guarantors == "all" or not isinstance(guarantors, tuple):
        return ("all",), {}
    outside = tuple(iso3[not_covered])
    return guarantors, {g: tuple(c for c in outside if c != g) for g in guarantors}


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric (or true/false) column as floats, NaN where missing."""
    try:
        return frame[column].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(
            f"frame: column {column!r} must hold numbers or true/false (missing allowed), "
            f"as twotier.coverage returns it",
            field="frame",
        ) from None


#: The columns coverage_summary and to_json_dict read (every coverage frame has them).
_FRAME_COLUMNS = (
    "iso3", "ally", "year", "policy", "tier", "covered", "reason", "value", "indicator",
    "edition", "estimate", "source", "retrieved_from", "margin_pp", "value_decimals",
    "shortfall_usd_m", "gdp_usd_current_bn", "gdp_edition", "population_m", "frontline",
    "armed_forces", "member_in_year", "exp_usd_current_m", "backing_usd_m",
    "backing_share", "backing_lost_usd_m",
)  # fmt: skip


def _check_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` if it is a coverage frame with at least one member ally (review D26)."""
    missing = [c for c in _FRAME_COLUMNS if c not in frame.columns]
    found = None
    if missing:
        found = f"a frame without the column {missing[0]!r}"
    elif not frame["member_in_year"].astype(bool).any():
        found = "a frame without a member ally" if len(frame) else "an empty frame"
    if found is not None:
        raise InputError(
            f"frame: expected a frame returned by twotier.coverage (rows may be left out, "
            f"not columns or every member), found {found}",
            field="frame",
        )
    return frame


@checked
def coverage_summary(frame: pd.DataFrame) -> CoverageSummary:
    """Summarise a frame returned by :func:`coverage`.

    Shares are of the alliance total of that year: population of its members (World
    Bank), GDP of the members NATO reports GDP for (Iceland is not in NATO's tables).
    """
    # On numpy arrays of the members' rows: pandas selections cost more than the
    # summary itself (tests/rules/test_evaluate_fast.py compares with the pandas form).
    member = _check_frame(frame)["member_in_year"].astype(bool).to_numpy()
    col = {c: frame[c].to_numpy()[member] for c in ("iso3", "edition", "source")}
    num = {
        c: _numbers(frame, c)[member]
        for c in ("covered", "population_m", "gdp_usd_current_bn", "shortfall_usd_m", "value")
    }
    is_cov = num["covered"] == 1.0
    not_cov = num["covered"] == 0.0
    pop_total = float(np.nansum(num["population_m"]))
    pop_unc = float(np.nansum(num["population_m"][not_cov]))
    gdp = num["gdp_usd_current_bn"]
    with_forces = frame["armed_forces"].astype(bool).to_numpy()[member]
    gdp_share: float | None = None
    if not np.isnan(gdp[with_forces]).any():
        gdp_share = round(float(np.nansum(gdp[not_cov])) / float(np.nansum(gdp)), 6)
    shortfalls = num["shortfall_usd_m"][not_cov]
    known = round(float(np.nansum(shortfalls)), 1)
    has_figure = ~np.isnan(num["value"][with_forces])
    required_iso3 = col["iso3"][with_forces]
    frontline = frame["frontline"].astype(bool).to_numpy()[member]
    guarantors, outside = _outside(col["iso3"], not_cov, frame.attrs.get("guarantors", "all"))
    editions = col["edition"][with_forces]
    return CoverageSummary(
        policy=str(frame.attrs.get("policy", frame["policy"].iloc[0])),
        year=int(frame["year"].iloc[0]),
        edition=str(frame.attrs.get("edition", "")),
        covered=tuple(col["iso3"][is_cov]),
        uncovered=tuple(col["iso3"][not_cov]),
        unknown=tuple(col["iso3"][np.isnan(num["covered"])]),
        not_members=tuple(frame["iso3"][~member]),
        uncovered_population_m=round(pop_unc, 3),
        uncovered_population_share=round(pop_unc / pop_total, 6),
        uncovered_gdp_share=gdp_share,
        uncovered_frontline=tuple(col["iso3"][not_cov & frontline]),
        shortfall_usd_m=None if np.isnan(shortfalls).any() else known,
        shortfall_known_usd_m=known,
        allies_required=int(with_forces.sum()),
        allies_with_figure=int(has_figure.sum()),
        missing_figures=tuple(required_iso3[~has_figure]),
        figure_editions=tuple(sorted({str(e) for e in editions[~pd.isna(editions)]})),
        sources=tuple(sorted({str(e) for e in col["source"][~pd.isna(col["source"])]})),
        basis_note=_basis_note(dict(frame.attrs.get("bases", {}))),
        guarantors=guarantors,
        outside_guarantee=outside,
    )


@checked
def to_json_dict(frame: pd.DataFrame) -> dict[str, Any]:
    """The JSON document of ``twotier coverage --format json`` (documented shape)."""
    summary = coverage_summary(frame)  # checks the frame first
    allies = []
    for row in frame.itertuples(index=False):
        allies.append(
            {
                "iso3": row.iso3,
                "ally": row.ally,
                "tier": _none_if_nan(row.tier if row.tier is not pd.NA else None),
                "covered": _none_if_nan(row.covered),
                "reason": row.reason,
                "value": _none_if_nan(row.value),
                "value_decimals": _none_if_nan(row.value_decimals),
                "indicator": row.indicator,
                "edition": _none_if_nan(row.edition),
                "estimate": _none_if_nan(row.estimate),
                "margin_pp": _none_if_nan(row.margin_pp),
                "shortfall_usd_m": _none_if_nan(row.shortfall_usd_m),
                "gdp_usd_current_bn": _none_if_nan(row.gdp_usd_current_bn),
                "gdp_edition": _none_if_nan(row.gdp_edition),
                "source": _none_if_nan(row.source),
                "retrieved_from": _none_if_nan(row.retrieved_from),
                "member_in_year": bool(row.member_in_year),
                "exp_usd_current_m": _none_if_nan(row.exp_usd_current_m),
                "backing_usd_m": _none_if_nan(row.backing_usd_m),
                "backing_share": _none_if_nan(row.backing_share),
                "backing_lost_usd_m": _none_if_nan(row.backing_lost_usd_m),
            }
        )
    for entry in allies:
        for key in ("tier", "value_decimals"):
            if entry[key] is not None:
                entry[key] = int(entry[key])
        if entry["covered"] is not None:
            entry["covered"] = bool(entry["covered"])
        if entry["estimate"] is not None:
            entry["estimate"] = bool(entry["estimate"])
    return {
        "policy": summary.policy,
        "year": summary.year,
        "edition": summary.edition,
        "summary": summary.as_dict(),
        "allies": allies,
    }


@checked
def diff(
    policy: str | Path | Policy,
    year: int,
    edition_a: str,
    edition_b: str,
    *,
    data: NatoData | None = None,
    include_unknown: bool = False,
) -> pd.DataFrame:
    """Allies whose tier differs between two editions, with both values.

    Returns
    -------
    DataFrame
        Columns ``iso3, ally, value_a, edition_a, tier_a, value_b, edition_b,
        tier_b, change`` (``"loses coverage"`` / ``"gains coverage"``, or
        ``"becomes unknown"`` / ``"becomes known"`` with ``include_unknown``).
        ``attrs["uncomparable"]`` lists the members with armed forces whose tier is
        unknown in either edition (a figure missing in one of them, or too close to
        call); ``attrs["compared"]`` counts the others. Allies that were not members
        in ``year`` are neither.
    """
    d = _data(data)
    a = coverage(policy, year, edition_a, data=d)
    b = coverage(policy, year, edition_b, data=d)
    cols = ["iso3", "ally", "value", "edition", "tier"]
    merged = a[cols].merge(b[cols].drop(columns="ally"), on="iso3", suffixes=("_a", "_b"))
    ta, tb = merged["tier_a"], merged["tier_b"]
    both = ta.notna() & tb.notna()
    changed = both & (ta != tb)
    if include_unknown:
        changed = changed | (ta.isna() != tb.isna())
    out = merged[changed.fillna(False).astype(bool)].copy()
    out["change"] = "loses coverage"
    out.loc[out["tier_b"].eq(1).fillna(False).astype(bool), "change"] = "gains coverage"
    out.loc[out["tier_b"].isna(), "change"] = "becomes unknown"
    out.loc[out["tier_a"].isna() & out["tier_b"].notna(), "change"] = "becomes known"
    out = out.reset_index(drop=True)
    # Members with armed forces whose tier is unknown in either edition cannot be compared.
    relevant = (a["member_in_year"] & a["armed_forces"]).astype(bool).to_numpy()
    unknown = (ta.isna() | tb.isna()).fillna(True).astype(bool).to_numpy()
    out.attrs = {
        "policy": a.attrs["policy"],
        "year": year,
        "editions": [edition_a, edition_b],
        "uncomparable": sorted(merged.loc[relevant & unknown, "iso3"]),
        "compared": int((relevant & ~unknown).sum()),
        "bases": {**a.attrs.get("bases", {}), **b.attrs.get("bases", {})},
    }
    return out

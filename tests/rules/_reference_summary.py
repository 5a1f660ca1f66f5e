"""Reference: ``coverage_summary`` as it was at e7356d5 (whole-row selections), verbatim.

The faster one in :mod:`twotier.rules.coverage` must give the same summary; the
equivalence test in ``test_evaluate_fast.py`` compares them.
"""

from __future__ import annotations

import pandas as pd

from twotier.rules.coverage import CoverageSummary


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


def _outside(frame: pd.DataFrame, guarantors: object) -> tuple[tuple[str, ...], dict]:
    """Who applies the condition, and whom each of them does not defend (known only)."""
    if guarantors == "all" or not isinstance(guarantors, tuple):
        return ("all",), {}
    members = frame[frame["member_in_year"].astype(bool)]
    outside = tuple(members.loc[members["covered"].eq(False).fillna(False).astype(bool), "iso3"])
    return guarantors, {g: tuple(c for c in outside if c != g) for g in guarantors}


def reference_summary(frame: pd.DataFrame) -> CoverageSummary:
    """Summarise a frame returned by :func:`coverage`.

    Shares are of the alliance total of that year: population of its members (World
    Bank), GDP of the members NATO reports GDP for (Iceland is not in NATO's tables).
    """
    member = frame["member_in_year"].astype(bool)
    members = frame[member]
    covered = members["covered"]
    is_cov = covered.eq(True).fillna(False).astype(bool)
    uncovered = members[covered.eq(False).fillna(False).astype(bool)]
    pop_total = float(members["population_m"].sum())
    pop_unc = float(uncovered["population_m"].sum())
    gdp = members["gdp_usd_current_bn"]
    with_forces = members["armed_forces"].astype(bool)
    gdp_share: float | None = None
    if gdp[with_forces].notna().all():
        gdp_share = round(float(uncovered["gdp_usd_current_bn"].sum()) / float(gdp.sum()), 6)
    shortfalls = uncovered["shortfall_usd_m"]
    known = round(float(shortfalls.dropna().sum()), 1)
    required = members[with_forces]
    has_figure = required["value"].notna()
    guarantors, outside = _outside(frame, frame.attrs.get("guarantors", "all"))
    return CoverageSummary(
        policy=str(frame.attrs.get("policy", frame["policy"].iloc[0])),
        year=int(frame["year"].iloc[0]),
        edition=str(frame.attrs.get("edition", "")),
        covered=tuple(members.loc[is_cov, "iso3"]),
        uncovered=tuple(uncovered["iso3"]),
        unknown=tuple(members.loc[covered.isna(), "iso3"]),
        not_members=tuple(frame.loc[~member, "iso3"]),
        uncovered_population_m=round(pop_unc, 3),
        uncovered_population_share=round(pop_unc / pop_total, 6),
        uncovered_gdp_share=gdp_share,
        uncovered_frontline=tuple(uncovered.loc[uncovered["frontline"].astype(bool), "iso3"]),
        shortfall_usd_m=known if shortfalls.notna().all() else None,
        shortfall_known_usd_m=known,
        allies_required=len(required),
        allies_with_figure=int(has_figure.sum()),
        missing_figures=tuple(required.loc[~has_figure, "iso3"]),
        figure_editions=tuple(sorted(set(required["edition"].dropna().astype(str)))),
        sources=tuple(sorted(set(members["source"].dropna().astype(str)))),
        basis_note=_basis_note(dict(frame.attrs.get("bases", {}))),
        guarantors=guarantors,
        outside_guarantee=outside,
    )

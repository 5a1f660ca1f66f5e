"""Explain one ally's status under a policy (pure: figures in, a frozen answer out).

:func:`explain` answers the questions a reader asks about one ally: why it is covered
or not (each criterion, its figure against the line and the margin), how much money
reaching the line would take (with the GDP figure and its edition), what every NATO
edition said about it (revision history), and what would change if its figure were
different (a per-ally what-if: its tier and the alliance counts recomputed by the
same evaluator). Every number comes from :func:`twotier.coverage`; nothing is
computed a second way.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pandas as pd

from twotier._arguments import checked
from twotier.data import INDICATORS, NatoData, load_data
from twotier.data._index import figure_index
from twotier.data.select import LATEST, check_edition, edition_names
from twotier.errors import InputError, YearError
from twotier.rules.allies import resolve_ally
from twotier.rules.coverage import coverage, coverage_summary, whole_year
from twotier.rules.evaluate import criterion_columns, evaluate_policy
from twotier.rules.explanation import (
    SHORTFALL_UNIT,
    AllianceCounts,
    CriterionCheck,
    Explanation,
    Revision,
    Shortfall,
    WhatIf,
)
from twotier.rules.policy import Criterion, Policy
from twotier.rules.registry import resolve_policy

__all__ = ["explain"]


def _opt(value: object) -> Any:
    """A frame cell as a plain Python value, ``None`` when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _policy(policy: str | Path | Policy | float) -> Policy:
    if isinstance(policy, bool):
        raise InputError("policy: expected a policy id, file, Policy or threshold", field="policy")
    if isinstance(policy, int | float):
        return resolve_policy(threshold=policy)
    return resolve_policy(policy)


def _criterion_years(criterion: Criterion, year: int) -> tuple[int, ...]:
    if criterion.basis == "previous_year":
        return (year - 1,)
    if criterion.basis == "mean":
        return tuple(range(year - criterion.window + 1, year + 1))
    return (year,)


def _checks(data: NatoData, policy: Policy, row: pd.Series, edition: str) -> list[CriterionCheck]:
    lookup = figure_index(data)
    checks = []
    for c, name in zip(policy.criteria, criterion_columns(policy.criteria), strict=True):
        years = _criterion_years(c, int(row["year"]))
        figures = [lookup.get((edition, c.indicator, y), {}).get(str(row["iso3"])) for y in years]
        sources = [f[3] for f in figures if f is not None]
        value = _opt(row[name])
        checks.append(
            CriterionCheck(
                indicator=c.indicator,
                description=INDICATORS[c.indicator].description,
                unit=INDICATORS[c.indicator].unit,
                comparison=c.comparison,
                threshold=c.threshold,
                basis=c.basis,
                years=years,
                value=value,
                edition=_opt(row[f"{name}_edition"]),
                estimate=_opt(row[f"{name}_estimate"]),
                source=" ; ".join(dict.fromkeys(sources)) if value is not None else None,
                passed=_opt(row[f"{name}_passed"]),
                margin=None if value is None else round(value - c.threshold, 4),
            )
        )
    return checks


def _shortfall(data: NatoData, policy: Policy, row: pd.Series, edition: str) -> Shortfall:
    gdp_criteria = [c for c in policy.criteria if c.indicator == "pct_gdp"]
    year, iso3 = int(row["year"]), str(row["iso3"])
    gdp = figure_index(data).get((edition, "gdp_usd_current_bn", year), {}).get(iso3)
    names = criterion_columns(policy.criteria)
    first = next((n for c, n in zip(policy.criteria, names, strict=True) if c in gdp_criteria), "")
    return Shortfall(
        applies=bool(gdp_criteria),
        usd_m=_opt(row["shortfall_usd_m"]),
        unit=SHORTFALL_UNIT,
        threshold_pct=gdp_criteria[0].threshold if gdp_criteria else None,
        value_pct=_opt(row[first]) if first else None,
        gdp_usd_bn=_opt(row["gdp_usd_current_bn"]),
        gdp_edition=_opt(row["gdp_edition"]),
        gdp_source=None if gdp is None else gdp[3],
    )


def _revisions(data: NatoData, policy: Policy, iso3: str, year: int) -> list[Revision]:
    described = data.editions.set_index("edition")
    revisions = []
    for name in edition_names(data):
        try:
            frame = coverage(policy, year, name, data=data)
        except YearError:
            row = None
        else:
            row = frame.loc[frame["iso3"] == iso3].iloc[0]
        revisions.append(
            Revision(
                edition=name,
                title=str(described.loc[name, "title"]),
                published=str(described.loc[name, "published"]),
                value=None if row is None else _opt(row["value"]),
                estimate=None if row is None else _opt(row["estimate"]),
                source=None if row is None else _opt(row["source"]),
                covered=None if row is None else _opt(row["covered"]),
                reason=f"no figures for {year} in this edition" if row is None else row["reason"],
            )
        )
    return revisions


def _counts(frame: pd.DataFrame) -> AllianceCounts:
    summary = coverage_summary(frame)
    return AllianceCounts(
        covered=len(summary.covered),
        uncovered=len(summary.uncovered),
        unknown=len(summary.unknown),
        shortfall_usd_m=summary.shortfall_usd_m,
        uncovered_population_m=summary.uncovered_population_m,
    )


def _with_figure(
    data: NatoData, policy: Policy, iso3: str, year: int, edition: str, value: float
) -> NatoData:
    """A copy of ``data`` with the ally's figures changed.

    The figures read by the policy's first criterion equal ``value``.
    """
    criterion = policy.primary or Criterion(indicator="pct_gdp", threshold=0.0)
    criteria = policy.criteria
    figures = data.figures
    years = list(_criterion_years(criterion, year))
    mine = (
        (figures["iso3"] == iso3)
        & (figures["indicator"] == criterion.indicator)
        & figures["year"].isin(years)
    )
    if edition != LATEST:
        mine &= figures["edition"] == edition
    target = edition if edition != LATEST else edition_names(data)[-1]
    ally = str(data.allies.set_index("iso3").loc[iso3, "name"])
    added = pd.DataFrame(
        {
            "iso3": iso3,
            "ally": ally,
            "year": years,
            "indicator": criterion.indicator,
            "value": float(value),
            "unit": "what-if value (exact)",
            "edition": target,
            "estimate": pd.array([None] * len(years), dtype="boolean"),
            "source": "what-if",
        }
    )
    # The evaluator reads only these indicators; fewer rows make the what-if cheaper.
    needed = {criterion.indicator, "pct_gdp", "gdp_usd_current_bn", "exp_usd_current_m"}
    kept = figures[~mine & figures["indicator"].isin(needed | {c.indicator for c in criteria})]
    merged = pd.concat([kept, added], ignore_index=True)
    merged["estimate"] = merged["estimate"].astype("boolean")
    return dataclasses.replace(data, figures=merged)


def _what_if(
    data: NatoData, policy: Policy, iso3: str, year: int, edition: str, value: float
) -> WhatIf:
    criterion = policy.primary or Criterion(indicator="pct_gdp", threshold=0.0)
    ceiling = max(100.0, INDICATORS[criterion.indicator].high)  # as a policy's threshold
    if not math.isfinite(value) or not 0 <= value <= ceiling:
        raise InputError(
            f"what_if: expected a number from 0 to {ceiling:g}, got {value!r}", field="what_if"
        )
    frame = evaluate_policy(
        _with_figure(data, policy, iso3, year, edition, value), policy, year, edition
    )
    row = frame.loc[frame["iso3"] == iso3].iloc[0]
    return WhatIf(
        value=float(value),
        indicator=criterion.indicator,
        covered=_opt(row["covered"]),
        reason=str(row["reason"]),
        margin=_opt(row["margin_pp"]),
        shortfall_usd_m=_opt(row["shortfall_usd_m"]),
        counts=_counts(frame),
    )


def _status(covered: bool | None) -> str:
    if covered is None:
        return "of unknown status"
    return "covered" if covered else "not covered"


def _number(value: float, unit: str, spec: str = ".2f") -> str:
    """``1.28% of GDP``; ``12 thousands`` for units that are not shares."""
    text = format(value, spec)
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def _summary(row: pd.Series, policy: Policy, checks: list[CriterionCheck], armed: bool) -> str:
    """One plain sentence: status, and the first criterion's figure against its line."""
    ally, year = row["ally"], int(row["year"])
    head = f"{ally} is {_status(_opt(row['covered']))} under {policy.title} in {year}"
    reason = str(row["reason"])
    if reason == "exempt":
        return f"{head}: exempt ({policy.exempt[str(row['iso3'])]})."
    if not checks:
        return f"{head}: the rule sets no spending condition."
    first = checks[0]
    if first.value is None:
        why = "has no armed forces and no NATO figures" if not armed else "has no figure"
        return f"{head}: {ally} {why} for {', '.join(map(str, first.years))} in this edition."
    margin = first.margin or 0.0
    side = "above" if margin > 0 else ("below" if margin < 0 else "exactly at")
    gap = f"{abs(margin):.2f} points " if margin else ""
    estimate = ", an estimate" if first.estimate else ""
    text = (
        f"{head}: {_number(first.value, first.unit)} ({first.edition} edition{estimate}) "
        f"is {gap}{side} the {_number(first.threshold, first.unit, 'g')} line"
    )
    extra = {
        "too close to call (rounded figure)": "; the figure is rounded to one decimal, "
        "too close to the line to place",
        "grace": "; covered by the credible-path clause",
        "below threshold; path unknown": "; whether it is on a credible path is unknown",
    }.get(reason, "")
    return f"{text}{extra}."


@checked
def explain(
    ally: str,
    policy: str | Path | Policy | float,
    year: int,
    edition: str = LATEST,
    *,
    what_if: float | None = None,
    data: NatoData | None = None,
) -> Explanation:
    """Explain why one ally is covered or not under a policy in ``year``.

    Parameters
    ----------
    ally
        ISO-3 code or name, in any case (``"ESP"``, ``"spain"``, ``"Türkiye"``).
    policy
        A built-in id, a policy file, a :class:`~twotier.Policy`, or a number: the
        alliance-wide threshold in % of GDP (:func:`~twotier.threshold_policy`).
    year, edition
        As for :func:`twotier.coverage`.
    what_if
        A hypothetical value of the policy's first criterion's figure for this ally
        (its unit, e.g. 2.1 for 2.1 % of GDP); the ally and the alliance counts are
        then evaluated again with that figure and every other one as published.
    data
        Data to use; default: :func:`twotier.load_data`.

    Returns
    -------
    Explanation
        Status, reason and a one-sentence summary; each criterion with figure,
        edition, estimate flag, source and margin; the shortfall in US$ million with
        the GDP figure it uses; the first criterion's figure in every edition; the
        alliance counts; and the what-if result if asked. Status, value, margin and
        shortfall are those of :func:`twotier.coverage`.

    Raises
    ------
    twotier.errors.InputError
        Unknown ally, policy or edition, a year without figures, or a bad what-if.

    Examples
    --------
    >>> import twotier
    >>> e = twotier.explain("spain", "two-tier-2pct", 2024, "2024-06", what_if=2.1)
    >>> e.covered, e.criteria[0].value, e.what_if.covered
    (False, 1.28, True)
    """
    d = load_data() if data is None else data
    iso3 = resolve_ally(ally, d)
    rule = _policy(policy)
    check_edition(d, edition)
    year = whole_year(year)
    frame = coverage(rule, year, edition, data=d)
    row = frame.loc[frame["iso3"] == iso3].iloc[0]
    checks = _checks(d, rule, row, edition)
    return Explanation(
        iso3=iso3,
        ally=str(row["ally"]),
        policy=rule.id,
        policy_title=rule.title,
        year=year,
        edition=edition,
        tier=_opt(row["tier"]),
        covered=_opt(row["covered"]),
        reason=str(row["reason"]),
        summary=_summary(row, rule, checks, bool(row["armed_forces"])),
        combine=rule.combine,
        exemption=rule.exempt.get(iso3),
        criteria=tuple(checks),
        shortfall=_shortfall(d, rule, row, edition),
        revisions=tuple(_revisions(d, rule, iso3, year)),
        counts=_counts(frame),
        what_if=None if what_if is None else _what_if(d, rule, iso3, year, edition, float(what_if)),
    )

"""Reference: the evaluator as it was at e7356d5 (pandas, column by column), kept verbatim.

The fast evaluator in :mod:`twotier.rules.evaluate` must give the same frames; this
copy is the independent computation the equivalence tests compare it with.

The one evaluator every policy goes through (pure: frames in, frames out).

Three-valued logic throughout: a criterion whose figure is unknown is neither
passed nor failed, and an ally whose tier depends on an unknown figure has an
unknown tier (``tier`` and ``covered`` missing), never a guessed one.
"""

from __future__ import annotations

import pandas as pd

from twotier.data import NatoData
from twotier.data._index import Figure, figure_index
from twotier.data.select import LATEST, check_edition, check_year, edition_basis, edition_names
from twotier.rules.graph import backing, commitment_matrix, contributions
from twotier.rules.policy import Criterion, Policy

__all__ = ["COVERAGE_COLUMNS", "NOT_A_MEMBER", "evaluate_policy"]

#: The reason given for an ally that had not joined NATO in the evaluated year.
NOT_A_MEMBER = "not a member"

#: Columns every coverage frame has, in order (criterion columns follow).
COVERAGE_COLUMNS = [
    "iso3",
    "ally",
    "year",
    "policy",
    "tier",
    "covered",
    "reason",
    "value",
    "indicator",
    "edition",
    "estimate",
    "source",
    "retrieved_from",
    "threshold",
    "margin_pp",
    "value_decimals",
    "shortfall_usd_m",
    "gdp_usd_current_bn",
    "gdp_edition",
    "population_m",
    "frontline",
    "armed_forces",
    "member_in_year",
    "exp_usd_current_m",
    "exp_edition",
    "backing_usd_m",
    "backing_share",
    "backing_lost_usd_m",
]


def _years(criterion: Criterion, year: int) -> list[int]:
    if criterion.basis == "same_year":
        return [year]
    if criterion.basis == "previous_year":
        return [year - 1]
    return list(range(year - criterion.window + 1, year + 1))


def _figures_of_one_edition(
    data: NatoData, indicator: str, years: list[int], edition: str, iso3: str
) -> list[Figure] | None:
    """One ally's figures of ``indicator`` for ``years``, all from one edition, or None.

    Under ``latest`` a one-year figure is the newest edition's; figures for several
    years (a mean, a path) come from the newest edition that has every year: a series
    never splices editions.
    """
    lookup = figure_index(data)
    candidates = [edition] if edition != LATEST or len(years) == 1 else edition_names(data)[::-1]
    for name in candidates:
        figures = [lookup.get((name, indicator, y), {}).get(iso3) for y in years]
        if all(f is not None for f in figures):
            return [f for f in figures if f is not None]
    return None


def _estimate(flags: list[bool | None]) -> bool | None:
    """One estimate flag for figures of several years, as ``figures`` shows them.

    True if any year is NATO's estimate, unknown if any flag is unknown, else False.
    """
    if any(f is True for f in flags):
        return True
    return None if any(f is None for f in flags) else False


def _criterion_values(
    data: NatoData, criterion: Criterion, year: int, edition: str, index: pd.Index
) -> pd.DataFrame:
    """Value, edition, estimate flag, source and rounding of a criterion's figure.

    One row per ally: value, edition, estimate flag, cited source, retrieval path and
    rounding half-width.

    A mean over several years needs every year's figure from one edition; otherwise it
    is unknown. It counts as an estimate if any year is one (or is not known not to be).
    """
    rows: list[tuple[object, ...]] = []
    for iso3 in index:
        known = _figures_of_one_edition(
            data, criterion.indicator, _years(criterion, year), edition, iso3
        )
        if known is None:
            rows.append((None, None, None, None, None, 0.0))
            continue
        rows.append(
            (
                sum(f[0] for f in known) / len(known),
                known[0][1],
                _estimate([f[2] for f in known]),
                known[0][3],
                " ; ".join(dict.fromkeys(f[5] for f in known)),
                max(f[4] for f in known),
            )
        )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return pd.DataFrame(
        {
            "value": pd.array(columns[0], dtype="Float64"),
            "edition": pd.array(columns[1], dtype=object),
            "estimate": pd.array(columns[2], dtype="boolean"),
            "source": pd.array(columns[3], dtype=object),
            "retrieved_from": pd.array(columns[4], dtype=object),
            "halfwidth": pd.array(columns[5], dtype=float),
        },
        index=index,
    )


def criterion_columns(criteria: tuple[Criterion, ...]) -> list[str]:
    """Column name of each criterion's figure: the indicator, suffixed by its basis."""
    names: list[str] = []
    for c in criteria:
        name = c.indicator
        if c.basis == "previous_year":
            name += "_previous_year"
        elif c.basis == "mean":
            name += f"_mean{c.window}"
        if name in names:
            name += f"_{len(names)}"
        names.append(name)
    return names


def _passes(values: pd.Series, criterion: Criterion, halfwidth: pd.Series) -> pd.Series:
    """Pass / fail / unknown.

    A figure known only to one decimal whose rounding interval ``[v - h, v + h)``
    straddles the threshold cannot be placed: unknown.
    """
    numbers = values.astype("Float64")
    low, high = numbers - halfwidth, numbers + halfwidth
    t = criterion.threshold
    if criterion.comparison == ">=":
        passed, failed = low >= t, high < t
    else:
        passed, failed = low > t, high <= t
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[passed.fillna(False).astype(bool)] = True
    result[failed.fillna(False).astype(bool)] = False
    return result


def _combine(passes: list[pd.Series], how: str, index: pd.Index) -> pd.Series:
    if not passes:
        return pd.Series(True, index=index, dtype="boolean")
    result = passes[0]
    for p in passes[1:]:
        result = (result & p) if how == "all" else (result | p)  # Kleene logic
    return result


def _grace(data: NatoData, policy: Policy, year: int, edition: str, index: pd.Index) -> pd.Series:
    """True where the first criterion's indicator rose fast enough (credible path)."""
    if policy.grace is None or policy.primary is None:
        return pd.Series(False, index=index, dtype="boolean")
    grace = policy.grace
    # The rise is read from one edition (both years), never across two.
    years = [year - grace.years, year]
    needed = round(grace.min_annual_rise_pp * grace.years * 100)
    result: list[bool | None] = []
    for iso3 in index:
        figures = _figures_of_one_edition(data, policy.primary.indicator, years, edition, iso3)
        if figures is None:
            result.append(None)
        else:
            # Compare in hundredths of a point: NATO publishes shares to two decimals.
            result.append(round((figures[-1][0] - figures[0][0]) * 100) >= needed)
    return pd.Series(pd.array(result, dtype="boolean"), index=index)


def _figure_columns(
    data: NatoData, indicator: str, year: int, edition: str, index: pd.Index, names: list[str]
) -> pd.DataFrame:
    """One indicator's value and edition per ally, as columns ``names``."""
    table = figure_index(data).get((edition, indicator, year), {})
    return pd.DataFrame(
        {
            names[0]: pd.array(
                [table[i][0] if i in table else None for i in index], dtype="Float64"
            ),
            names[1]: pd.array([table[i][1] if i in table else None for i in index]),
        },
        index=index,
    )


def _backing(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Backing columns from the commitment graph (see :mod:`twotier.rules.graph`)."""
    codes = list(frame["iso3"])
    covered = pd.Series(frame["covered"].to_numpy(), index=codes, dtype="boolean")
    matrix = commitment_matrix(codes, covered, policy)
    member = pd.Series(frame["member_in_year"].to_numpy(dtype=bool), index=codes)
    contribution = contributions(
        pd.Series(frame["exp_usd_current_m"].to_numpy(), index=codes, dtype="Float64"),
        pd.Series(frame["armed_forces"].to_numpy(), index=codes),
    ).mask(~member, 0.0)  # a non-member guarantees no one and adds nothing
    backed = backing(matrix, contribution)
    total = contribution.sum() if contribution.notna().all() else pd.NA
    out = pd.DataFrame(
        {"backing_usd_m": pd.array(backed.array, dtype="Float64")}, index=frame.index
    )
    if total is pd.NA:
        out["backing_share"] = pd.array([None] * len(frame), dtype="Float64")
        out["backing_lost_usd_m"] = pd.array([None] * len(frame), dtype="Float64")
    else:
        out["backing_share"] = (out["backing_usd_m"] / total).round(6)
        out["backing_lost_usd_m"] = (total - out["backing_usd_m"]).round(1)
    out.loc[~member.to_numpy(), :] = pd.NA  # backing is for members only
    return out


def _true(mask: pd.Series) -> pd.Series:
    """Nullable boolean to plain boolean, missing counted as False."""
    return mask.fillna(False).astype(bool)


def _reasons(frame: pd.DataFrame, policy: Policy, first: str) -> pd.Series:
    reason = pd.Series("meets criteria", index=frame.index, dtype=object)
    if not policy.criteria:
        reason[:] = "no condition"
        return reason
    failed = _true(frame["_passed"].eq(False))
    reason[failed] = "below threshold"
    reason[frame["_passed"].isna()] = "no figures"
    rounded = frame["_passed"].isna() & frame[first].notna()
    reason[rounded.to_numpy()] = "too close to call (rounded figure)"
    reason[_true(frame["_grace"].astype("boolean")) & failed] = "grace"
    if policy.grace is not None:
        reason[frame["_grace"].isna() & failed] = "below threshold; path unknown"
    reason[frame["iso3"].isin(list(policy.exempt))] = "exempt"
    return reason


def _tier(frame: pd.DataFrame, policy: Policy) -> pd.Series:
    passed = frame["_passed"].astype("boolean").copy()
    graced = frame["_grace"].astype("boolean")
    failed = _true(passed.eq(False))
    # A failed ally on a credible path is covered; one whose path is unknown is unknown.
    passed[failed & _true(graced)] = True
    if policy.grace is not None:
        passed[failed & graced.isna().to_numpy()] = None
    passed[frame["iso3"].isin(list(policy.exempt)).to_numpy()] = True
    return passed


def _shortfall(frame: pd.DataFrame, policy: Policy, names: list[str]) -> pd.Series:
    """US$ m to add to reach the first % of GDP criterion: ``max(0, t - v)/100 * GDP``."""
    gdp_criteria = [
        (c, n) for c, n in zip(policy.criteria, names, strict=False) if c.indicator == "pct_gdp"
    ]
    if not gdp_criteria:
        return pd.Series(pd.NA, index=frame.index, dtype="Float64")
    c, name = gdp_criteria[0]
    value = frame[name].astype("Float64")
    gap = (c.threshold - value).clip(lower=0)
    shortfall = gap / 100 * frame["gdp_usd_current_bn"] * 1000
    # Covered allies owe nothing, whether or not their GDP is known.
    shortfall = shortfall.mask(_true(frame["covered"]), 0.0)
    return shortfall.round(1)


def evaluate_policy(
    data: NatoData, policy: Policy, year: int, edition: str = LATEST
) -> pd.DataFrame:
    """Evaluate ``policy`` for every member in ``year`` by the figures of ``edition``.

    Returns
    -------
    DataFrame
        One row per member (32), columns :data:`COVERAGE_COLUMNS` followed by, for
        each criterion indicator ``X``: ``X``, ``X_edition``, ``X_estimate``,
        ``X_passed``. ``tier`` is 1 (covered), 2 (not covered) or missing
        (unknown); ``covered`` is True/False/missing. ``value``, ``edition``,
        ``estimate``, ``source``, ``threshold`` and ``margin_pp`` describe the first
        criterion (or NATO's headline % of GDP for a policy without criteria).
        ``frame.attrs`` records policy, year and edition.
    """
    check_edition(data, edition)
    primary = policy.primary or Criterion(indicator="pct_gdp", threshold=0.0)
    check_year(data, year, edition, primary.indicator)
    allies = data.allies.set_index("iso3")
    index = allies.index
    frame = pd.DataFrame(index=index)
    frame["ally"] = allies["name"]
    passes = []
    criteria = policy.criteria or (primary,)
    names = criterion_columns(criteria)
    for c, name in zip(criteria, names, strict=True):
        values = _criterion_values(data, c, year, edition, index)
        frame[name] = values["value"].astype("Float64")
        frame[f"{name}_edition"] = values["edition"]
        frame[f"{name}_estimate"] = values["estimate"]
        frame[f"{name}_source"] = values["source"]
        frame[f"{name}_retrieved_from"] = values["retrieved_from"]
        frame[f"{name}_halfwidth"] = values["halfwidth"]
        if policy.criteria:
            frame[f"{name}_passed"] = _passes(values["value"], c, values["halfwidth"])
            passes.append(frame[f"{name}_passed"])
    frame = frame.reset_index()
    combined = _combine(passes, policy.combine, index)
    frame["_passed"] = pd.array(combined.to_numpy(), dtype="boolean")
    frame["_grace"] = pd.array(
        _grace(data, policy, year, edition, index).to_numpy(), dtype="boolean"
    )
    # A rule applies to the members of that year only (NATO's tables list Finland and
    # Sweden, for example, for every year): a non-member is neither covered nor not.
    frame["member_in_year"] = (frame["iso3"].map(allies["accession_year"]) <= year).astype(bool)
    covered = _tier(frame, policy)
    covered[~frame["member_in_year"].to_numpy()] = pd.NA
    frame["covered"] = covered
    frame["tier"] = covered.map({True: 1, False: 2}, na_action="ignore").astype("Int64")
    frame["reason"] = _reasons(frame, policy, names[0])
    frame.loc[~frame["member_in_year"], "reason"] = NOT_A_MEMBER
    frame["year"] = year
    frame["policy"] = policy.id
    frame["indicator"] = primary.indicator
    frame["value"] = frame[names[0]].astype("Float64")
    frame["edition"] = frame[f"{names[0]}_edition"]
    frame["estimate"] = frame[f"{names[0]}_estimate"]
    frame["source"] = frame[f"{names[0]}_source"]
    frame["retrieved_from"] = frame[f"{names[0]}_retrieved_from"]
    frame["threshold"] = primary.threshold if policy.criteria else float("nan")
    frame["margin_pp"] = (frame["value"] - frame["threshold"]).round(4)
    # Published precision: NATO's shares have 2 decimals; a few transcriptions only 1.
    decimals = frame[f"{names[0]}_halfwidth"].map(lambda h: 1 if h >= 0.05 else 2)
    frame["value_decimals"] = decimals.where(frame["value"].notna()).astype("Int64")
    frame = frame.join(
        _figure_columns(
            data, "gdp_usd_current_bn", year, edition, index, ["gdp_usd_current_bn", "gdp_edition"]
        ),
        on="iso3",
    )
    frame = frame.join(
        _figure_columns(
            data, "exp_usd_current_m", year, edition, index, ["exp_usd_current_m", "exp_edition"]
        ),
        on="iso3",
    )
    frame["shortfall_usd_m"] = _shortfall(frame, policy, names).mask(~frame["member_in_year"])
    frame["population_m"] = frame["iso3"].map(allies["population_m"])
    frame["frontline"] = frame["iso3"].map(
        allies["land_border_russia"] | allies["land_border_belarus"]
    )
    frame["armed_forces"] = frame["iso3"].map(allies["armed_forces"])
    frame = pd.concat([frame, _backing(frame, policy)], axis=1)
    extra = [
        f"{name}{suffix}"
        for name in (names if policy.criteria else [])
        for suffix in ("", "_edition", "_estimate", "_passed")
    ]
    out = frame.loc[:, COVERAGE_COLUMNS + extra].sort_values("iso3").reset_index(drop=True)
    used = sorted({str(e) for e in out["edition"].dropna()})
    out.attrs = {
        "policy": policy.id,
        "title": policy.title,
        "year": year,
        "edition": edition,
        "bases": {e: edition_basis(data, e) for e in used},
        "guarantors": policy.guarantee.guarantors,
    }
    return out

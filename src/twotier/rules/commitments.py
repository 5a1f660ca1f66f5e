"""Who is bound to defend whom, and several policies side by side (public API).

Built on :mod:`twotier.rules.graph`; see there for the rules of the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from twotier._arguments import checked
from twotier.data import NatoData, load_data
from twotier.data.select import LATEST
from twotier.errors import InputError
from twotier.rules.coverage import coverage, coverage_summary
from twotier.rules.graph import commitment_matrix, edges_frame
from twotier.rules.policy import Policy
from twotier.rules.registry import get_policy

__all__ = ["commitment_graph", "compare", "guarantee_gaps"]

PolicyLike = str | Path | Policy


def _matrix(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    codes = list(frame["iso3"])
    covered = pd.Series(frame["covered"].to_numpy(), index=codes, dtype="boolean")
    return commitment_matrix(codes, covered, policy)


@checked
def commitment_graph(
    policy: PolicyLike, year: int, edition: str = LATEST, *, data: NatoData | None = None
) -> pd.DataFrame:
    """Edges of the commitment graph: ``guarantor, protected, bound``.

    One row per pair of that year's members (32 x 32 from 2024).

    ``bound`` is True when the guarantor is bound to defend the protected ally under
    the policy, False when not, missing when the protected (or, for a club, the
    guarantor's) tier is unknown.
    """
    p = get_policy(policy)
    frame = coverage(p, year, edition, data=data)
    frame = frame[frame["member_in_year"].astype(bool)]  # members of that year only
    edges = edges_frame(_matrix(frame, p))
    edges.insert(0, "policy", p.id)
    edges.insert(1, "year", int(year))
    return edges


@checked
def guarantee_gaps(
    policy: PolicyLike, year: int, edition: str = LATEST, *, data: NatoData | None = None
) -> pd.DataFrame:
    """Per guarantor: what its guarantee leaves outside.

    Columns ``guarantor, n_outside, outside, outside_unknown, outside_population_share,
    outside_gdp_share, outside_frontline, outside_frontline_share``. Shares are of the
    alliance's population (32 members) and GDP (allies NATO reports GDP for);
    ``outside_frontline_share`` is the share of the allies with a land border with
    Russia or Belarus (6) that the guarantor is not bound to defend. Border lengths
    are not in the bundled data, so the share of border length is not computed.
    "Outside" counts the allies known to be outside; allies whose tier is unknown
    (e.g. Iceland, which has no figures) are listed in ``outside_unknown`` and not
    counted. ``outside_gdp_share`` is missing when the GDP of an ally outside is unknown.
    Allies that had not joined by ``year`` are left out (neither guarantors nor
    guaranteed; shares are of that year's members).
    """
    p = get_policy(policy)
    frame = coverage(p, year, edition, data=data)
    # Only the members of that year guarantee or are guaranteed.
    frame = frame[frame["member_in_year"].astype(bool)].set_index("iso3")
    matrix = _matrix(frame.reset_index(), p)
    pop = frame["population_m"].astype(float)
    gdp = frame["gdp_usd_current_bn"].astype("Float64")
    frontline = frame["frontline"].astype(bool)
    gdp_total = float(gdp.sum()) if gdp[frame["armed_forces"].astype(bool)].notna().all() else None
    rows = []
    for g in matrix.index:
        edges = matrix.loc[g]
        outside = edges.eq(False).fillna(False).astype(bool)
        unknown = edges.isna()
        out_codes = list(edges.index[outside])
        gdp_out = gdp[outside]
        rows.append(
            {
                "guarantor": g,
                "n_outside": len(out_codes),
                "outside": ",".join(out_codes),
                "outside_unknown": ",".join(edges.index[unknown]),
                "outside_population_share": round(float(pop[outside].sum()) / float(pop.sum()), 6),
                "outside_gdp_share": None
                if gdp_total is None or gdp_out.isna().any()
                else round(float(gdp_out.sum()) / gdp_total, 6),
                "outside_frontline": ",".join(c for c in out_codes if frontline[c]),
                "outside_frontline_share": round(
                    float((outside & frontline).sum()) / float(frontline.sum()), 6
                ),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("outside_population_share", "outside_gdp_share", "outside_frontline_share"):
        out[col] = out[col].astype("Float64")
    out.attrs = {"policy": p.id, "year": int(year), "edition": edition}
    return out


COMPARE_FIELDS = ("tier", "value", "backing_usd_m", "backing_share", "backing_lost_usd_m")


@checked
def compare(
    policies: Sequence[PolicyLike],
    year: int,
    edition: str = LATEST,
    *,
    data: NatoData | None = None,
) -> pd.DataFrame:
    """Several policies side by side: one row per ally, one column group per policy.

    Columns ``iso3, ally`` then ``<policy>:<field>`` for the fields ``tier, value,
    backing_usd_m, backing_share, backing_lost_usd_m``. A last row with ``iso3 =
    "ALLIANCE"`` summarises each policy: number of allies in tier 1 (``tier``), the
    uncovered population share (``value``), and the backing lost summed over the
    allies whose backing is known (``backing_lost_usd_m``).

    ``policies`` is a list, even of one policy: a lone string is refused (InputError),
    not read letter by letter, nor guessed to be one id or a comma-separated list.
    """
    d = load_data() if data is None else data
    resolved = [get_policy(p) for p in policies]
    if not resolved:
        raise InputError("policies: give at least one policy to compare", field="policies")
    ids = [p.id for p in resolved]
    if len(set(ids)) != len(ids):
        raise InputError(f"policies: each policy once, found {ids}", field="policies")
    out: pd.DataFrame | None = None
    summary: dict[str, object] = {"iso3": "ALLIANCE", "ally": "summary"}
    for p in resolved:
        frame = coverage(p, year, edition, data=d)
        s = coverage_summary(frame)
        part = frame[["iso3", "ally", *COMPARE_FIELDS]].rename(
            columns={f: f"{p.id}:{f}" for f in COMPARE_FIELDS}
        )
        out = part if out is None else out.merge(part.drop(columns="ally"), on="iso3")
        lost = frame["backing_lost_usd_m"]
        summary |= {
            f"{p.id}:tier": len(s.covered),
            f"{p.id}:value": s.uncovered_population_share,
            f"{p.id}:backing_usd_m": None,
            f"{p.id}:backing_share": None,
            f"{p.id}:backing_lost_usd_m": round(float(lost.dropna().sum()), 1),
        }
    assert out is not None
    result = pd.concat([out, pd.DataFrame([summary])], ignore_index=True)
    result.attrs = {"policies": ids, "year": int(year), "edition": edition}
    return result

"""Commands about coverage: coverage, diff, compare, graph and the demo."""

from __future__ import annotations

from typing import Annotated

import typer

import twotier
from twotier.cli._app import (
    CAVEAT,
    EditionOpt,
    FormatOpt,
    PolicyOpt,
    ThresholdOpt,
    YearOpt,
    _builtin_ids,
    _console,
    _fmt,
    _policy,
    _print_coverage,
    _year,
    app,
)
from twotier.errors import InputError
from twotier.render import tables as _render

AllyOpt = Annotated[
    str | None,
    typer.Option("--ally", help="Show only these allies: ISO-3 codes or names, comma-separated."),
]
OptionalYearOpt = Annotated[
    str | None,
    typer.Option(
        help="Year evaluated (default: the latest year with a figure for every ally with "
        "armed forces in the chosen edition)."
    ),
]


def _default_year(year: str | None, edition: str, fmt: str) -> int:
    if year is not None:
        return _year(year)
    chosen = twotier.latest_complete_year(twotier.load_data(), edition)
    if fmt == "table":
        _console().print(
            f"Year {chosen}: the latest year with a figure for every ally with armed forces "
            f"in edition {edition} (give --year for another).",
            highlight=False,
        )
    return chosen


@app.command("coverage")
def coverage_cmd(
    year: OptionalYearOpt = None,
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    edition: EditionOpt = "latest",
    ally: AllyOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Which allies a rule would cover in a year, and what each uncovered ally would need."""
    fmt = _fmt(fmt)
    rule = _policy(policy, threshold)
    data = twotier.load_data()
    twotier.check_edition(data, edition)
    codes = [twotier.resolve_ally(a, data) for a in ally.split(",")] if ally else None
    frame = twotier.coverage(rule, _default_year(year, edition, fmt), edition)
    _print_coverage(frame, fmt, _console(), allies=codes)


@app.command("diff")
def diff_cmd(
    year: YearOpt,
    editions: Annotated[str, typer.Option("--editions", help="Two editions: E1,E2.")],
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Allies whose tier differs between two NATO editions, and those not comparable."""
    fmt = _fmt(fmt)
    rule = _policy(policy, threshold)
    parts = [e.strip() for e in editions.split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError(
            f"--editions: expected two editions E1,E2, found {editions!r}; accepted: "
            f"{', '.join(twotier.edition_names(twotier.load_data()))}",
            field="editions",
        )
    frame = twotier.diff(rule, _year(year), parts[0], parts[1])
    uncomparable = frame.attrs["uncomparable"]
    if fmt == "json":
        _render.print_json(
            {
                "policy": rule.id,
                "year": frame.attrs["year"],
                "editions": parts,
                "compared": frame.attrs["compared"],
                "uncomparable": uncomparable,
                "allies": frame.to_dict(orient="records"),
            },
            _console(),
        )
        return
    notes = [
        f"{len(frame)} allies change tier among the {frame.attrs['compared']} compared. "
        f"Not comparable (tier unknown in one or both editions): {len(uncomparable)}"
        f" ({', '.join(uncomparable) or 'none'}).",
        "NATO revises its estimates every year.",
    ]
    bases = frame.attrs.get("bases", {})
    if len({b for b in bases.values() if b}) > 1:
        notes.append(
            "The editions measure different things: "
            + "; ".join(f"{e}: {b}" for e, b in sorted(bases.items()))
            + ". A change of tier may reflect the change of basis."
        )
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title=f"{rule.id}, {year}: {parts[0]} vs {parts[1]}",
        digits={"value_a": 2, "value_b": 2},
        notes=notes if fmt == "table" else (),
    )


@app.command("compare")
def compare_cmd(
    policies: Annotated[str, typer.Option("--policies", help="Policies A,B,... (ids or files).")],
    year: YearOpt,
    edition: EditionOpt = "latest",
    fmt: FormatOpt = "table",
) -> None:
    """Several policies side by side: tier and backing per ally, plus a summary row."""
    fmt = _fmt(fmt)
    names = [p.strip() for p in policies.split(",") if p.strip()]
    if len(names) < 2:
        raise InputError(
            f"--policies: expected at least two policies A,B, found {policies!r}; accepted: "
            f"{', '.join(sorted(_builtin_ids()))} or .toml files",
            field="policies",
        )
    frame = twotier.compare(names, _year(year), edition)
    if fmt == "json":
        _render.print_json(
            {
                "policies": frame.attrs["policies"],
                "year": frame.attrs["year"],
                "edition": edition,
                "rows": frame.to_dict(orient="records"),
            },
            _console(),
        )
        return
    ids = frame.attrs["policies"]
    cols = ["iso3", "ally"] + [f"{p}:{f}" for p in ids for f in ("tier", "backing_share")]
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title=f"Policies compared, {year}, edition {edition}",
        columns=cols if fmt == "table" else None,
        digits={c: 3 for c in cols if c.endswith("backing_share")},
        notes=[
            "backing_share: share of the alliance's defence expenditure (current US$) "
            "bound to defend the ally, its own included. Summary row: allies in tier 1, "
            "share of population not covered (value), backing lost (US$ m, known allies).",
            CAVEAT,
        ],
    )


@app.command("graph")
def graph_cmd(
    year: YearOpt,
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    edition: EditionOpt = "latest",
    edges: Annotated[bool, typer.Option("--edges", help="Print every edge.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Who is bound to defend whom: per guarantor, what its guarantee leaves outside."""
    fmt = _fmt(fmt)
    p = _policy(policy, threshold)
    if edges:
        frame = twotier.commitment_graph(p, _year(year), edition)
        _render.print_frame(frame, fmt, _console(), title=f"Commitment graph: {p.id}, {year}")
        return
    gaps = twotier.guarantee_gaps(p, _year(year), edition)
    _render.print_frame(
        gaps,
        fmt,
        _console(),
        title=f"Guarantee gaps: {p.id}, {year}, edition {edition}",
        digits={
            "outside_population_share": 3,
            "outside_gdp_share": 3,
            "outside_frontline_share": 3,
        },
        notes=[
            "Shares of alliance population, GDP and of the 6 allies bordering Russia or "
            "Belarus that each guarantor is not bound to defend. " + CAVEAT
        ],
    )


@app.command()
def demo(fmt: FormatOpt = "table") -> None:
    """The main job: two-tier (2%) coverage for the latest complete year.

    Also the flips between the newest comparable editions, and the source of every figure.
    """
    fmt = _fmt(fmt)
    data = twotier.load_data()
    console = _console()
    year = twotier.latest_complete_year(data)
    frame = twotier.coverage("two-tier-2pct", year, "latest", data=data)
    older, newer, diff_year = twotier.comparable_editions(data)
    flips = twotier.diff("two-tier-2pct", diff_year, older, newer, data=data)
    if fmt == "json":
        _render.print_json(
            {
                "coverage": twotier.to_json_dict(frame),
                "flips": {
                    "editions": [older, newer],
                    "year": diff_year,
                    "allies": flips.to_dict(orient="records"),
                },
            },
            console,
        )
        return
    if fmt == "table":
        console.print(
            f"Latest year with a NATO figure for every ally with armed forces: {year} "
            "(see `twotier editions`).",
            highlight=False,
        )
    _print_coverage(frame, fmt, console)
    _render.print_frame(
        flips,
        fmt,
        console,
        title=f"Allies that flip between editions {older} and {newer} ({diff_year}, 2% rule)",
        digits={"value_a": 2, "value_b": 2},
        notes=[
            f"The two newest editions with figures for a common year; {len(flips)} flip(s); "
            f"not comparable: {', '.join(flips.attrs['uncomparable']) or 'none'}.",
            *(
                [f"Bases differ: {'; '.join(f'{e}: {b}' for e, b in sorted(bases.items()))}."]
                if len(set((bases := flips.attrs.get("bases", {})).values())) > 1
                else []
            ),
        ],
    )

"""Command-line interface: a thin shell over the public Python API.

Every command takes ``--format table|csv|json``. Bad input prints one line,
``twotier: error: <argument>: <what is wrong>; accepted: <values>``, and exits
with status 2, without a traceback.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

import twotier
from twotier import _render
from twotier.coverage import TABLE_COLUMNS
from twotier.errors import InputError, TwotierError
from twotier.figures import comparable_editions, latest_complete_year

app = typer.Typer(
    name="twotier",
    help="NATO's official defence-expenditure figures by report edition, and what "
    "spending-conditioned guarantees (a 'two-tier NATO') would mean under them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
policies_app = typer.Typer(
    help="List built-in policies or print one as TOML.", no_args_is_help=False
)
app.add_typer(policies_app, name="policies")
data_app = typer.Typer(
    help="Import NATO workbooks as editions, remove them, verify the data.", no_args_is_help=True
)
app.add_typer(data_app, name="data")

FormatOpt = Annotated[str, typer.Option("--format", help="Output format: table, csv or json.")]
EditionOpt = Annotated[
    str, typer.Option("--edition", help="NATO report edition (YYYY-MM) or 'latest'.")
]

CAVEAT = (
    "Results under the stated rule and NATO's published figures; not a forecast. "
    "2% of GDP is national defence spending (NATO definition), not dues paid to NATO."
)


def _console() -> Console:
    return Console(file=sys.stdout, width=200 if not sys.stdout.isatty() else None)


def _fmt(value: str) -> str:
    if value not in _render.FORMATS:
        raise InputError(
            f"--format: unknown format {value!r}; accepted: {', '.join(_render.FORMATS)}",
            field="format",
        )
    return value


def _year(text: str, name: str = "--year") -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"{name}: expected a year such as 2024, found {text!r}", field="year"
        ) from None


def _year_range(text: str) -> list[int]:
    if "-" in text.strip("-"):
        lo, hi = text.split("-", 1)
        first, last = _year(lo), _year(hi)
        if first > last:
            raise InputError(f"--year: range {text!r} runs backwards; use Y1-Y2 with Y1 <= Y2")
        return list(range(first, last + 1))
    return [_year(text)]


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"--threshold: expected a number of percent of GDP such as 2 or 3.5, found {text!r}",
            field="threshold",
        ) from None
    if not math.isfinite(value) or value < 0 or value > 100:
        raise InputError(
            f"--threshold: expected a percentage from 0 to 100, found {text!r}", field="threshold"
        )
    return value


def _policy(policy: str | None, threshold: str | None) -> twotier.Policy:
    if (policy is None) == (threshold is None):
        raise InputError(
            "--policy/--threshold: give exactly one of --policy ID|FILE or --threshold PCT",
            field="policy",
        )
    if threshold is not None:
        return twotier.threshold_policy(_threshold(threshold))
    return twotier.get_policy(str(policy))


def _sources_notes(frame: pd.DataFrame, data: twotier.NatoData) -> list[str]:
    editions = data.editions.set_index("edition")
    notes = []
    used = sorted({e for cell in frame["edition"].dropna() for e in str(cell).split("+")})
    for edition in used:
        meta = editions.loc[edition]
        sources = sorted(
            {
                s
                for row_e, cell in zip(frame["edition"], frame["source"], strict=True)
                if isinstance(row_e, str) and edition in row_e.split("+")
                for s in str(cell).split(" ; ")
            }
        )
        notes.append(
            f"Edition {edition}: {meta['title']} ({meta['basis']}; {meta['completeness']}). "
            f"Sources: {' ; '.join(sources)}"
        )
    return notes


COVERAGE_TABLE = [c for c in TABLE_COLUMNS if c not in ("backing_share", "source")]


def _print_coverage(frame: pd.DataFrame, fmt: str, console: Console) -> None:
    data = twotier.load_data()
    if fmt == "json":
        _render.print_json(twotier.to_json_dict(frame), console)
        return
    if fmt == "csv":
        _render.print_frame(frame, "csv", console)
        return
    s = twotier.coverage_summary(frame)
    policy = twotier.get_policy(s.policy) if s.policy in _builtin_ids() else None
    title = f"{policy.title if policy else s.policy} — {s.year}, edition {s.edition}"
    shortfall = "unknown" if s.shortfall_usd_m is None else f"US$ {s.shortfall_usd_m:,.1f} m"
    gdp = "unknown" if s.uncovered_gdp_share is None else f"{s.uncovered_gdp_share:.1%}"
    notes = [
        f"Covered {len(s.covered)}, not covered {len(s.uncovered)} "
        f"({', '.join(s.uncovered) or 'none'}), unknown {len(s.unknown)} "
        f"({', '.join(s.unknown) or 'none'}).",
        f"Not covered: {s.uncovered_population_m:,.1f} m people "
        f"({s.uncovered_population_share:.1%} of the alliance), {gdp} of alliance GDP; "
        f"bordering Russia/Belarus: {', '.join(s.uncovered_frontline) or 'none'}; "
        f"total shortfall {shortfall}"
        + (
            f" (known part US$ {s.shortfall_known_usd_m:,.1f} m)"
            if s.shortfall_usd_m is None
            else ""
        )
        + ".",
        "Shortfall = max(0, threshold - share) / 100 x GDP (current US$) of that year; GDP "
        f"from edition(s) {', '.join(sorted(set(frame['gdp_edition'].dropna()))) or 'none'}.",
        *_sources_notes(frame, data),
        CAVEAT,
    ]
    _render.print_frame(
        frame,
        "table",
        console,
        title=title,
        columns=COVERAGE_TABLE,
        digits={"shortfall_usd_m": 1, "margin_pp": 2, "value": 2},
        notes=notes,
    )


def _builtin_ids() -> set[str]:
    return {p.id for p in twotier.list_policies()}


@app.command()
def editions(fmt: FormatOpt = "table") -> None:
    """List the NATO report editions the data holds."""
    fmt = _fmt(fmt)
    data = twotier.load_data()
    counts = data.figures.groupby("edition").size().rename("figures")
    frame = data.editions.join(counts, on="edition")
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title="NATO report editions",
        columns=["edition", "title", "published", "basis", "completeness", "figures", "origin"],
        notes=[
            "'latest' takes, for each ally, year and indicator, the newest edition with a figure."
        ],
    )


@policies_app.callback(invoke_without_command=True)
def policies(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """List the built-in policies."""
    if ctx.invoked_subcommand is not None:
        return
    fmt = _fmt(fmt)
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "status": p.status,
            "date": p.date,
            "rule": " and ".join(
                f"{c.indicator} {c.comparison} {c.threshold:g}" for c in p.criteria
            )
            or "none",
            "guarantors": p.guarantee.guarantors
            if isinstance(p.guarantee.guarantors, str)
            else ",".join(p.guarantee.guarantors),
            "source": p.source,
        }
        for p in twotier.list_policies()
    ]
    _render.print_frame(
        pd.DataFrame(rows),
        fmt,
        _console(),
        title="Built-in policies",
        columns=["id", "status", "date", "rule", "guarantors", "title"] if fmt == "table" else None,
        notes=["Print one as TOML: twotier policies show ID"],
    )


@policies_app.command("show")
def policies_show(policy_id: Annotated[str, typer.Argument(help="Built-in policy id.")]) -> None:
    """Print a built-in policy as TOML, to copy and edit."""
    sys.stdout.write(twotier.builtin_policy_text(policy_id))


@app.command()
def figures(
    ally: Annotated[str | None, typer.Option(help="ISO-3 codes, comma-separated.")] = None,
    year: Annotated[str | None, typer.Option(help="A year (2024) or a range (2014-2024).")] = None,
    indicator: Annotated[str | None, typer.Option(help="Indicator name.")] = None,
    edition: EditionOpt = "latest",
    fmt: FormatOpt = "table",
) -> None:
    """Show NATO's figures with their edition, estimate flag, unit and source."""
    fmt = _fmt(fmt)
    frame = twotier.select_figures(
        twotier.load_data(),
        allies=ally.split(",") if ally else None,
        years=_year_range(year) if year else None,
        indicators=[indicator] if indicator else None,
        edition=edition,
    )
    cols = ["iso3", "ally", "year", "indicator", "value", "edition", "estimate", "unit"]
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title=f"NATO figures, edition {edition}",
        columns=cols if fmt == "table" else None,
        notes=[f"{len(frame)} figures. Source URL of each: --format csv or json."],
    )


@app.command("coverage")
def coverage_cmd(
    year: Annotated[str, typer.Option(help="Year evaluated.")],
    policy: Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")] = None,
    threshold: Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")] = None,
    edition: EditionOpt = "latest",
    fmt: FormatOpt = "table",
) -> None:
    """Which allies a rule would cover in a year, and what each uncovered ally would need."""
    fmt = _fmt(fmt)
    frame = twotier.coverage(_policy(policy, threshold), _year(year), edition)
    _print_coverage(frame, fmt, _console())


@app.command("diff")
def diff_cmd(
    policy: Annotated[str, typer.Option(help="Built-in policy id or .toml file.")],
    year: Annotated[str, typer.Option(help="Year evaluated.")],
    editions: Annotated[str, typer.Option("--editions", help="Two editions: E1,E2.")],
    fmt: FormatOpt = "table",
) -> None:
    """Allies whose tier differs between two NATO editions."""
    fmt = _fmt(fmt)
    parts = [e.strip() for e in editions.split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError(
            f"--editions: expected two editions E1,E2, found {editions!r}; accepted: "
            f"{', '.join(twotier.edition_names(twotier.load_data()))}",
            field="editions",
        )
    frame = twotier.diff(policy, _year(year), parts[0], parts[1])
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title=f"{policy}, {year}: {parts[0]} vs {parts[1]}",
        notes=[f"{len(frame)} allies change tier. NATO revises its estimates every year."],
    )


@app.command("compare")
def compare_cmd(
    policies: Annotated[str, typer.Option("--policies", help="Policies A,B,... (ids or files).")],
    year: Annotated[str, typer.Option(help="Year evaluated.")],
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
    year: Annotated[str, typer.Option(help="Year evaluated.")],
    policy: Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")] = None,
    threshold: Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")] = None,
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


@data_app.command("import")
def data_import(
    file: Annotated[str, typer.Argument(help="NATO's .xlsx workbook.")],
    edition: Annotated[
        str | None, typer.Option("--edition", help="YYYY-MM; inferred from NATO's file name.")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite an imported edition.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Import a NATO workbook as an edition (stored in the user data folder)."""
    fmt = _fmt(fmt)
    from twotier.data import store

    result = store.import_workbook(file, edition, replace=replace)
    if fmt == "json":
        _render.print_json(result, _console())
        return
    _console().print(
        f"Imported edition {result['edition']}: {result['figures']} figures, "
        f"{', '.join(result['indicators'])}, {result['years'][0]}-{result['years'][1]} "
        f"(sha256 {result['sha256'][:12]}...) into {result['folder']}",
        highlight=False,
        soft_wrap=True,
    )


@data_app.command("remove")
def data_remove(edition: Annotated[str, typer.Argument(help="An imported edition.")]) -> None:
    """Remove an imported edition (the bundled data stays)."""
    from twotier.data import store

    store.remove_edition(edition)
    _console().print(f"Removed imported edition {edition}.", highlight=False)


@data_app.command("verify")
def data_verify(fmt: FormatOpt = "table") -> None:
    """Check the bundled and imported data against their manifests and the schema."""
    fmt = _fmt(fmt)
    frame = pd.DataFrame(twotier.verify_data())
    _render.print_frame(frame, fmt, _console(), title="Data verification")
    if not frame["ok"].all():
        raise typer.Exit(1)


NEGOTIATION_CAVEAT = (
    "Results of a stated bargaining model under the assumptions listed above, not "
    "forecasts of what will happen. x is Ukraine's share of the contested good "
    "(prize = 1); p the probability that Ukraine prevails if fighting continues."
)

NEGOTIATION_TABLE = [
    "setting", "p", "range_low", "range_high", "nash_x", "p_no_agreement_russia_offers",
    "p_no_agreement_ukraine_offers", "threat_ukraine_credible", "threat_russia_credible",
    "ukraine_prefers_war_now", "russia_prefers_war_now",
]  # fmt: skip


def _assignments(items: list[str]) -> dict[str, float]:
    from twotier.models.negotiation import PARAMETERS

    values = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or name.strip() not in PARAMETERS:
            raise InputError(
                f"--set: expected NAME=VALUE with NAME one of {', '.join(PARAMETERS)}, "
                f"found {item!r}",
                field="set",
            )
        try:
            values[name.strip()] = float(raw)
        except ValueError:
            raise InputError(
                f"--set: {name}: expected a number, found {raw!r}", field="set"
            ) from None
    return values


def _sweep_spec(text: str) -> tuple[str, list[float]]:
    import numpy as np

    name, _, rng = text.partition("=")
    parts = rng.split(":")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3 or n < 2 or n > 1000:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(
            f"--sweep: expected NAME=LO:HI:N with 2 <= N <= 1000, found {text!r}", field="sweep"
        ) from None
    return name.strip(), [float(v) for v in np.linspace(lo, hi, n)]


@app.command()
def negotiate(
    scenario: Annotated[str, typer.Option(help="'default' or a scenario .toml file.")] = "default",
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter: NAME=VALUE.")
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: no uncertainty).")] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed of the random draws.")] = None,
    sweep: Annotated[str | None, typer.Option(help="One-parameter sweep: NAME=LO:HI:N.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The aid-leverage bargaining model: each lever setting under stated assumptions."""
    from twotier.models import negotiation as ng
    from twotier.negotiate import negotiation_params

    fmt = _fmt(fmt)
    if draws < 0 or draws > 10_000_000:
        raise InputError(f"--draws: expected 0 to 10000000, found {draws}", field="draws")
    if draws and seed is None:
        raise InputError("--seed: give a seed with --draws, e.g. --seed 1", field="seed")
    params, scen = negotiation_params(scenario, _assignments(set_ or []))
    table = ng.parameter_table(params, scen.uncertainties if draws else ())
    console = _console()
    if sweep:
        name, values = _sweep_spec(sweep)
        try:
            frame = ng.sweep_negotiation(params, name, values)
        except ValueError as exc:
            raise InputError(str(exc), field="sweep") from None
        title = f"Sweep of {name} ({scen.id})"
    elif draws:
        sim = ng.simulate_negotiation(params, scen.uncertainties, draws, rng=seed)
        frame = ng.summarize_simulation(sim)
        title = f"Monte Carlo, {draws} draws, seed {seed} ({scen.id})"
    else:
        frame = ng.evaluate_negotiation(params)
        title = f"Negotiation model, scenario {scen.id}: {scen.title}"
    if fmt == "json":
        _render.print_json(
            {"scenario": scen.id, "draws": draws, "seed": seed, "caveat": NEGOTIATION_CAVEAT,
             "parameters": table.to_dict(orient="records"),
             "results": frame.to_dict(orient="records")},
            console,
        )  # fmt: skip
        return
    cols = NEGOTIATION_TABLE if (fmt == "table" and not sweep and not draws) else None
    digits = {c: 3 for c in frame.columns if frame[c].dtype == float}
    _render.print_frame(frame, fmt, console, title=title, columns=cols, digits=digits)
    if fmt == "table":
        _render.print_frame(table, "table", console, title="Assumptions (parameters)")
        console.print(NEGOTIATION_CAVEAT, highlight=False, soft_wrap=True)


@app.command("project")
def project_cmd(
    to: Annotated[str, typer.Option("--to", help="Last year projected, e.g. 2035.")],
    policy: Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")] = None,
    threshold: Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")] = None,
    scenario: Annotated[str, typer.Option(help="constant, trend or target.")] = "constant",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = 0,
    edition: EditionOpt = "latest",
    target: Annotated[float | None, typer.Option(help="Target scenario: % of GDP.")] = None,
    target_year: Annotated[int, typer.Option(help="Target scenario: deadline.")] = 2035,
    target_shape: Annotated[str, typer.Option(help="linear, front or back.")] = "linear",
    shortfall: Annotated[float, typer.Option(help="Share of the gap left unclosed.")] = 0.0,
    chunk_size: Annotated[int, typer.Option(help="Draws per task.")] = 16_384,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask: processes, threads or a scheduler address.")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Project shares of GDP to a horizon: probability of tier 1 per ally and year."""
    from twotier.projections import ProjectionParams, project

    fmt = _fmt(fmt)
    params = ProjectionParams(
        horizon=_year(to, "--to"), scenario=scenario, draws=draws, seed=seed,
        chunk_size=chunk_size, target_pct=target, target_year=target_year,
        target_shape=target_shape, implementation_shortfall=shortfall,
    )  # fmt: skip
    pol = _policy(policy, threshold)
    console = _console()
    if fmt == "table" and draws >= 50_000 and scheduler is None:
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Simulating", total=None)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = project(pol, params, edition, scheduler=scheduler, progress=tick)
    else:
        result = project(pol, params, edition, scheduler=scheduler)
    if fmt != "table":
        doc = {"meta": result.meta, "alliance": result.alliance, "allies": result.allies,
               "covered": result.covered, "assumptions": result.assumptions}  # fmt: skip
        if fmt == "json":
            _render.print_json({k: v.to_dict(orient="records") if isinstance(v, pd.DataFrame)
                                else v for k, v in doc.items()}, console)  # fmt: skip
        else:
            _render.print_frame(result.allies, "csv", console)
        return
    title = (f"{pol.id}: projection to {params.horizon} ({scenario}), {draws} draws, seed {seed}, "
             f"edition {edition}")  # fmt: skip
    _render.print_frame(
        result.alliance, "table", console, title=title,
        digits={"covered_mean": 1, "p_all_covered": 3, "shortfall_mean_usd_m": 0,
                "shortfall_q05_usd_m": 0, "shortfall_q50_usd_m": 0, "shortfall_q95_usd_m": 0},
    )  # fmt: skip
    last = result.allies[result.allies["year"] == params.horizon]
    _render.print_frame(
        last, "table", console, title=f"Allies in {params.horizon}",
        columns=["iso3", "p_tier1", "share_q05", "share_q50", "share_q95", "shortfall_q50_usd_m"],
        digits={"p_tier1": 3, "share_q05": 2, "share_q50": 2, "share_q95": 2,
                "shortfall_q50_usd_m": 0},
    )  # fmt: skip
    _render.print_frame(
        result.assumptions, "table", console,
        title="Assumptions per ally (from the data unless set)",
        digits={"trend_slope_pp": 3, "gdp_growth_mean": 4, "gdp_growth_sd": 4, "share_shock_sd": 3},
        notes=["GDP: log random walk of current-US$ GDP (mean and s.d. of the ally's log growth); "
               "share: scenario path plus an independent normal shock each year (s.d. of the "
               "ally's residuals around its linear trend). "
               "Results of a stated model under stated assumptions, not forecasts."],
    )  # fmt: skip


@app.command()
def report(
    year: Annotated[str, typer.Option(help="Year evaluated.")],
    out: Annotated[str, typer.Option("--out", help="FILE.html or FILE.pdf")],
    policy: Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")] = None,
    threshold: Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")] = None,
    edition: EditionOpt = "latest",
) -> None:
    """Write a self-contained HTML or PDF report (charts, table, sources, caveats)."""
    from twotier.report import write_report

    path = write_report(_policy(policy, threshold), _year(year), out, edition)
    sys.stderr.write(f"wrote {path}\n")


@app.command()
def chart(
    kind: Annotated[str, typer.Argument(help="map, ranking, shortfall, wales or dumbbell.")],
    year: Annotated[str, typer.Option(help="Year evaluated.")],
    out: Annotated[str, typer.Option("--out", help="FILE.png or FILE.svg")],
    policy: Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")] = None,
    threshold: Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")] = None,
    edition: EditionOpt = "latest",
) -> None:
    """Export one chart of the coverage view as PNG or SVG (caption included)."""
    from twotier.report import build_chart, write_chart

    pol = (
        _policy(policy, threshold) if (policy or threshold) else twotier.get_policy("two-tier-2pct")
    )
    path = write_chart(build_chart(kind, pol, _year(year), edition), out)
    sys.stderr.write(f"wrote {path}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
) -> None:
    """Run the dashboard on http://HOST:PORT (works offline)."""
    if not 1 <= port <= 65535:
        raise InputError(f"--port: expected 1 to 65535, found {port}", field="port")
    try:
        from twotier.web.app import serve as run
    except ImportError as exc:  # pragma: no cover - the web extra is missing
        raise InputError(f"serve: the dashboard needs the web extra: pip install 'twotier[web]' "
                         f"({exc.name} missing)") from None  # fmt: skip
    sys.stderr.write(f"twotier dashboard on http://{host}:{port}/ (Ctrl+C to stop)\n")
    run(host=host, port=port)


@app.command()
def demo(fmt: FormatOpt = "table") -> None:
    """The main job: two-tier (2%) coverage for the latest complete year, flips between
    the newest comparable editions, and the source of every figure."""
    fmt = _fmt(fmt)
    data = twotier.load_data()
    console = _console()
    year = latest_complete_year(data)
    frame = twotier.coverage("two-tier-2pct", year, "latest", data=data)
    older, newer, diff_year = comparable_editions(data)
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
            "(newer years have partial figures; see `twotier editions`).",
            highlight=False,
        )
    _print_coverage(frame, fmt, console)
    _render.print_frame(
        flips,
        fmt,
        console,
        title=f"Allies that flip between editions {older} and {newer} ({diff_year}, 2% rule)",
        notes=[f"The two newest editions with figures for a common year; {len(flips)} flip(s)."],
    )


def _accepted_options(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    if ctx is None or "option" not in str(getattr(exc, "message", exc)).lower():
        return ""
    options = sorted(
        o for p in ctx.command.params for o in getattr(p, "opts", []) if o.startswith("--")
    )
    return f"; accepted: {', '.join(options)}" if options else ""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``twotier`` command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    # Accept --format/--edition/... and their values as given; errors are ours to print.
    try:
        result = app(args=args, prog_name="twotier", standalone_mode=False)
    except TwotierError as exc:
        sys.stderr.write(f"twotier: error: {exc}\n")
        return 2
    except typer.Abort:
        sys.stderr.write("twotier: aborted\n")
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. `twotier figures | head`
        return 0
    except Exception as exc:
        # Typer's usage errors (missing or unknown option) carry exit code 2 and a
        # format_message(); typer does not export their class, so test the shape.
        if getattr(exc, "exit_code", None) == 2 and hasattr(exc, "format_message"):
            message = " ".join(str(exc.format_message()).split())
            sys.stderr.write(f"twotier: error: {message}{_accepted_options(exc)}\n")
            return 2
        raise
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

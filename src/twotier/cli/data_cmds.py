"""Commands about the data: editions, policies, figures, imports."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

import twotier
from twotier.cli._app import (
    EditionOpt,
    FormatOpt,
    _console,
    _fmt,
    _year_range,
    app,
    data_app,
    policies_app,
)
from twotier.render import tables as _render


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
    import pandas as pd  # here: the CLI's help imports no pandas

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


def _no_figures(year: str, edition: str, indicator: str | None) -> twotier.YearError:
    """One message for a year and a range alike, with the years the edition has."""
    held = twotier.select_figures(
        twotier.load_data(), edition=edition, indicators=[indicator] if indicator else None
    )["year"]
    span = f"it has figures for {held.min()}-{held.max()}" if len(held) else "it has none"
    return twotier.YearError(
        f"--year: no figures for {year} (edition {edition}); {span}", field="year"
    )


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
        indicators=None if indicator is None else [indicator],
        edition=edition,
    )
    if year and frame.empty:
        raise _no_figures(year, edition, indicator)
    cols = ["iso3", "ally", "year", "indicator", "value", "edition", "estimate", "unit"]
    _render.print_frame(
        frame,
        fmt,
        _console(),
        title=f"NATO figures, edition {edition}",
        columns=cols if fmt == "table" else None,
        notes=[f"{len(frame)} figures. Source URL of each: --format csv or json."],
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
    result = twotier.import_workbook(file, edition, replace=replace)
    if result.get("replaces_bundled"):
        sys.stderr.write(
            f"twotier: note: the imported edition {result['edition']} now answers instead of "
            f"the bundled one of that name; 'twotier data remove {result['edition']}' brings "
            "the bundled one back\n"
        )
    if "pct_gdp" not in result["indicators"]:
        sys.stderr.write(
            f"twotier: warning: edition {result['edition']} has no defence expenditure as a "
            "share of GDP (NATO's Table 3 was not found): coverage cannot use it\n"
        )
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
    twotier.remove_edition(edition)
    _console().print(f"Removed imported edition {edition}.", highlight=False)


@data_app.command("verify")
def data_verify(fmt: FormatOpt = "table") -> None:
    """Check the bundled and imported data against their manifests and the schema."""
    import pandas as pd

    fmt = _fmt(fmt)
    frame = pd.DataFrame(twotier.verify_data())
    _render.print_frame(frame, fmt, _console(), title="Data verification")
    if not frame["ok"].all():
        raise typer.Exit(1)

"""The typer app, shared options and helpers of the CLI."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

import twotier
from twotier.errors import InputError, TwotierError
from twotier.render import tables as _render
from twotier.rules.coverage import TABLE_COLUMNS

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
YearOpt = Annotated[str, typer.Option(help="Year evaluated.")]
PolicyOpt = Annotated[str | None, typer.Option(help="Built-in policy id or .toml file.")]
ThresholdOpt = Annotated[str | None, typer.Option(help="Two-tier threshold, % of GDP.")]

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

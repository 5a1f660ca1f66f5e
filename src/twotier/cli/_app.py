"""The typer app, shared options and helpers of the CLI."""

from __future__ import annotations

import copy
import errno
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, cast

import typer

import twotier
from twotier.cli._hints import memory_hint
from twotier.cli._streams import LazyConsole, Stdout, discard_unflushed, warnings_to_stderr
from twotier.errors import EnvironmentProblem, InputError, TwotierError, relabel, whole_number
from twotier.render import tables as _render

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

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


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error (or TWOTIER_DEBUG=1).")
    ] = False,
) -> None:
    # Both are handled by main() before the command runs; declared here for --help.
    return None


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
    # markup=False: titles and cells hold user text (policy ids from file names, rule
    # titles); rich would read "[/]" in them as markup and fail (review D21).
    # Made lazily: JSON and CSV output write to its file and never import rich.
    width = 200 if not sys.stdout.isatty() else None
    return cast("Console", LazyConsole(file=sys.stdout, width=width, markup=False))


def _fmt(value: str) -> str:
    if value not in _render.FORMATS:
        raise InputError(
            f"--format: unknown format {value!r}; accepted: {', '.join(_render.FORMATS)}",
            field="format",
        )
    return value


#: Years a --year range may span: NATO was founded in 1949; the data schema ends at 2100.
YEARS = range(1949, 2101)


def _year(text: str, name: str = "--year") -> int:
    # The dashboard's links read years with the same whole_number (review D25).
    field = name.lstrip("-")
    year = whole_number(text, field, "a year such as 2024")
    if not 0 <= year <= 9999:
        raise InputError(f"{field}: expected a year such as 2024, found {text[:40]!r}", field=field)
    return year


def _year_range(text: str) -> list[int]:
    if "-" in text.strip("-"):
        lo, hi = text.split("-", 1)
        first, last = _year(lo), _year(hi)
        if first > last:
            raise InputError(
                f"--year: range {text!r} runs backwards; use Y1-Y2 with Y1 <= Y2", field="year"
            )
        # No figures lie outside YEARS: the range is cut to it (at most len(YEARS) years),
        # so 1800-1810 gets the same "no figures" answer as 1800.
        return list(range(max(first, YEARS[0]), min(last, YEARS[-1]) + 1))
    return [_year(text)]


def _policy(policy: str | None, threshold: str | None) -> twotier.Policy:
    return twotier.resolve_policy(policy, threshold)


def _sources_notes(frame: pd.DataFrame, data: twotier.NatoData) -> list[str]:
    editions = data.editions.set_index("edition")
    notes = []
    used = sorted({e for cell in frame["edition"].dropna() for e in str(cell).split("+")})
    for edition in used:
        meta = editions.loc[edition]
        sources = sorted(
            {
                s
                for row_e, cell in zip(frame["edition"], frame["retrieved_from"], strict=True)
                if isinstance(row_e, str) and edition in row_e.split("+")
                for s in str(cell).split(" ; ")
            }
        )
        notes.append(
            f"Edition {edition}: {meta['title']} ({meta['basis']}; {meta['completeness']}). "
            f"Figures retrieved from (transcription, not the cited source): {' ; '.join(sources)}"
        )
    return notes


def _print_coverage(
    frame: pd.DataFrame, fmt: str, console: Console, *, allies: list[str] | None = None
) -> None:
    """Print a coverage frame.

    ``allies`` limits the rows shown (the summary stays the alliance's).
    """
    data = twotier.load_data()
    full = frame
    if allies is not None:
        frame = frame[frame["iso3"].isin(allies)]
    if fmt == "json":
        doc = twotier.to_json_dict(full)
        if allies is not None:
            doc["allies"] = [a for a in doc["allies"] if a["iso3"] in allies]
        _render.print_json(doc, console)
        return
    if fmt == "csv":  # shares as published (2.00, not 2.0)
        _render.print_frame(frame.assign(value=_render.published_values(frame)), "csv", console)
        return
    s = twotier.coverage_summary(full)
    title = f"{frame.attrs.get('title') or s.policy} — {s.year}, edition {s.edition}"
    notes = [*_render.coverage_notes(s, full), *_sources_notes(frame, data), CAVEAT]
    _render.print_frame(
        _render.coverage_display(frame),
        "table",
        console,
        title=title,
        columns=_render.coverage_columns(s),
        digits={"shortfall_usd_m": 1, "margin_pp": 2, "value": 2, "backing_share": 3},
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


#: Core field names whose CLI flag is not ``--`` + the field with dashes.
FLAGS = {
    "horizon": "--to",
    "implementation_shortfall": "--shortfall",
    "target_pct": "--target",
    "rng": "--seed",
    "policy": "--policy",
    "threshold": "--threshold",
    "calibrated": "--uncalibrated",  # the only spelling that can be refused
}

DEBUG_HINT = "run again with --debug (or TWOTIER_DEBUG=1) to see the traceback"


def _flag_message(exc: TwotierError) -> str:
    """The error's one line, with its field named as the command's flag."""
    if exc.field is None or not exc.field.isidentifier() or not exc.field.islower():
        return str(exc)  # a file or a key in a file (figures.csv, uncertainty.x): no flag
    labels = {exc.field: "--" + exc.field.replace("_", "-"), **FLAGS}
    return relabel(exc, labels)


def _os_message(exc: OSError) -> str:
    where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
    what = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(f"{what}{where}".split())


def _split_debug(args: list[str]) -> tuple[list[str], bool]:
    """Remove ``--debug`` (anywhere before a bare ``--``); True if it was there."""
    end = args.index("--") if "--" in args else len(args)
    head = [a for a in args[:end] if a != "--debug"]
    flag = len(head) != end or os.environ.get("TWOTIER_DEBUG", "") not in ("", "0")
    return head + args[end:], flag


def _command_for(args: list[str]) -> typer.core.TyperGroup:
    """The click group that runs ``args``, with only the command it names built.

    typer builds every command's parameters to run one; when ``args`` start with the
    name of a command (or of a group: ``data``, ``policies``), the group is built with
    that one alone. Anything else (no command, a root option first, an unknown name:
    help, suggestions) gets the whole group.
    """
    first = args[0] if args else ""
    commands = [
        c
        for c in app.registered_commands
        if c.callback is not None
        and (c.name or typer.main.get_command_name(c.callback.__name__)) == first
    ]
    groups = [g for g in app.registered_groups if g.name == first]
    only = copy.copy(app)
    if first.startswith("-") or not (commands or groups):
        # Every command, listed in the order of COMMAND_MODULES whatever order the
        # modules were imported in (a process that ran commands before may differ).
        only.registered_commands = sorted(app.registered_commands, key=_module_rank)
    else:
        only.registered_commands, only.registered_groups = commands, groups
    return cast("typer.core.TyperGroup", typer.main.get_command(only))


def _module_rank(command: typer.models.CommandInfo) -> int:
    from twotier.cli import COMMAND_MODULES

    module = getattr(command.callback, "__module__", "").rsplit(".", 1)[-1]
    return COMMAND_MODULES.index(module) if module in COMMAND_MODULES else len(COMMAND_MODULES)


def _run(args: list[str]) -> int:
    from twotier.cli._plain_options import plain_options
    from twotier.cli._repeats import check_repeats

    check_repeats(app, args)
    command = plain_options(_command_for(args))
    try:
        result = command(args=args, prog_name="twotier", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit:
        # typer answers a broken pipe (``twotier figures | head``) with exit 1 after
        # wrapping stdout; hand it back to main(), which ends quietly with 0.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise BrokenPipeError(errno.EPIPE, "broken pipe") from None
        raise
    return int(result) if isinstance(result, int) else 0


def _usage_error(exc: Exception) -> str | None:
    # Typer's usage errors (missing or unknown option) carry exit code 2 and a
    # format_message(); typer does not export their class, so test the shape.
    if getattr(exc, "exit_code", None) == 2 and hasattr(exc, "format_message"):
        return " ".join(str(exc.format_message()).split()) + _accepted_options(exc)
    return None


def _fail(message: str, status: int) -> int:
    if sys.stderr is not None:  # `2>&-`: the status is all that can be said
        sys.stderr.write(f"twotier: error: {' '.join(message.split())}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``twotier`` command; returns the exit status.

    The error boundary: bad input prints one line naming the argument and returns 2;
    a problem of the environment (unwritable folder, full disk, missing browser,
    unreachable scheduler) one line and 1; anything else one line with a hint and 1.
    ``--debug`` or ``TWOTIER_DEBUG=1`` shows the traceback instead.
    """
    args, debug = _split_debug(list(sys.argv[1:] if argv is None else argv))
    if args[:1] in (["--version"], ["-V"]):
        sys.stdout.write(f"twotier {twotier.__version__}\n")
        return 0
    warnings_to_stderr()
    real_stdout, guarded = sys.stdout, Stdout(sys.stdout)
    sys.stdout = guarded
    try:
        with warnings.catch_warnings(record=True) as caught:
            # Every UserPolicyWarning (a UserWarning; naming the class would import the
            # rules, and pandas with them, for --help): each is recorded, none deduplicated.
            warnings.simplefilter("always", UserWarning)
            code = _run(args)
            guarded.flush()  # a full disk shows here, not at exit
        _warn(caught)
        return code
    except BrokenPipeError:  # pragma: no cover - e.g. `twotier figures | head`
        discard_unflushed(real_stdout)
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        if isinstance(exc, EnvironmentProblem) and exc.field == "stdout":
            discard_unflushed(real_stdout)
        return _classify(exc, args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    finally:
        sys.stdout = real_stdout


def _warn(caught: list[warnings.WarningMessage]) -> None:
    if not caught:
        return
    shown = {str(w.message) for w in caught if issubclass(w.category, twotier.UserPolicyWarning)}
    for message in sorted(shown):
        if sys.stderr is not None:
            sys.stderr.write(f"twotier: warning: {message}\n")


def _classify(exc: Exception, args: list[str]) -> int:
    """Exit status and one line for an exception that ended a command."""
    if isinstance(exc, EnvironmentProblem):  # fields such as out, scheduler: as flags
        named = exc.field is not None and exc.field.islower() and exc.field != "stdout"
        return _fail(_flag_message(exc) if named else str(exc), 1)
    if isinstance(exc, TwotierError):
        return _fail(_flag_message(exc), 2)
    if isinstance(exc, typer.Abort):
        return _fail("aborted", 1)
    usage = _usage_error(exc)
    if usage is not None:
        return _fail(usage, 2)
    if isinstance(exc, OSError):  # unwritable folder, full disk, unreachable scheduler
        return _fail(_os_message(exc), 1)
    if isinstance(exc, MemoryError):
        return _fail(memory_hint(args), 1)
    return _fail(
        f"internal error ({type(exc).__name__}: {str(exc)[:200]}); {DEBUG_HINT}; "
        "please report it with the command you ran",
        1,
    )

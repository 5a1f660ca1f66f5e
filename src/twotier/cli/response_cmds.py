"""Commands of the allies' response model.

backtest, respond (a rule as an incentive), exploitation (Olson-Zeckhauser test).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

import twotier
from twotier.cli._app import EditionOpt, FormatOpt, _console, _fmt, app
from twotier.errors import InputError, decimal_number, relabel, whole_number
from twotier.render import tables as _render

if TYPE_CHECKING:
    import pandas as pd

#: ResponseParams fields whose respond flag is another word (--threshold, --deadline).
RESPOND_FIELDS = {"threshold_pct": "threshold", "rule_deadline": "deadline"}
NOT_FORECASTS = "Results of stated models scored on NATO's figures; not forecasts."


#: Most origins or horizons typed in one backtest (checked before a range is built).
MAX_YEARS = 50


def _years(text: str, name: str) -> list[int]:
    """``2016-2021`` or ``2016,2018``: a list of whole numbers (strict spellings).

    A range's length is checked before the list is built (adversarial2 M3); each number
    is read by :func:`twotier.errors.whole_number` (no ``2_016``, full-width digits or
    empty items such as ``2016,,2017``).
    """
    expected = "a range such as 2016-2021 or a list such as 1,3,5"
    if "-" in text.strip().strip("-"):
        lo_text, hi_text = text.split("-", 1)
        lo, hi = whole_number(lo_text, name, expected), whole_number(hi_text, name, expected)
        parts, count = [], hi - lo + 1
    else:
        parts = text.split(",")
        count = len(parts)
    if not 1 <= count <= MAX_YEARS:
        found = f"{count} values" if count > MAX_YEARS else repr(text[:40])
        raise InputError(f"{name}: expected {expected}, at most {MAX_YEARS} values; "
                         f"found {found}", field=name)  # fmt: skip
    if not parts:
        return list(range(lo, hi + 1))
    return [whole_number(v, name, expected) for v in parts]


def _emit(doc: dict[str, Any], fmt: str, main: pd.DataFrame) -> bool:
    """Print JSON or CSV and return True; False for the table format."""
    import pandas as pd  # here: the CLI's help imports no pandas

    console = _console()
    if fmt == "json":
        _render.print_json(
            {k: v.to_dict(orient="records") if isinstance(v, pd.DataFrame) else v
             for k, v in doc.items()}, console,
        )  # fmt: skip
        return True
    if fmt == "csv":
        _render.print_frame(main, "csv", console)
        return True
    return False


@app.command("backtest")
def backtest_cmd(
    origins: Annotated[str, typer.Option(help="Origin years, e.g. 2016-2021.")] = "2016-2021",
    horizons: Annotated[str, typer.Option(help="Years ahead, e.g. 1-5.")] = "1-5",
    threshold: Annotated[float, typer.Option(help="Line of the event, % of GDP.")] = 2.0,
    draws: Annotated[int, typer.Option(help="Samples per forecast.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = 0,
    edition: EditionOpt = "latest",
    realtime_edition: Annotated[
        str, typer.Option(help="Edition of the real-time check's history ('none' to skip).")
    ] = "2024-06",
    fmt: FormatOpt = "table",
    out: Annotated[
        str | None, typer.Option("--out", help="Also write a report: FILE.html or FILE.pdf.")
    ] = None,
) -> None:
    """Score the response model and naive baselines out of sample (same run, same data)."""
    fmt = _fmt(fmt)
    if out is not None:  # before the run, not after it (adversarial2 L8)
        from twotier.render.backtest_report import check_report_path

        check_report_path(out)
    result = twotier.backtest(
        edition=edition, origins=_years(origins, "origins"), horizons=_years(horizons, "horizons"),
        threshold=threshold, draws=draws, rng=seed,
        realtime_edition=None if realtime_edition == "none" else realtime_edition,
    )  # fmt: skip
    doc = {"meta": result.meta, "params": result.params, "scores": result.scores,
           "reliability": result.reliability, "realtime": result.realtime,
           "cases": result.cases}  # fmt: skip
    if out is not None:
        from twotier.render.backtest_report import write_backtest_report

        sys.stderr.write(f"wrote {write_backtest_report(result, out)}\n")
    if _emit(doc, fmt, result.scores):
        return
    console = _console()
    digits = {"brier": 3, "log_score": 3, "crps": 3, "coverage_50": 2, "coverage_90": 2}
    scores = result.scores
    _render.print_frame(
        scores[scores["horizon"] == "all"], "table", console, digits=digits,
        title=f"Backtest: origins {origins}, horizons {horizons}, truth edition "
        f"{result.meta['edition']}, event share >= {threshold} % (lower scores are better)",
    )  # fmt: skip
    _render.print_frame(scores[scores["horizon"] != "all"], "table", console, digits=digits,
                        title="By horizon")  # fmt: skip
    rel = result.reliability[result.reliability["method"] == "response"]
    _render.print_frame(
        rel, "table", console, title="Reliability of the response model",
        digits={"forecast": 3, "observed": 3, "gap": 3, "bin_low": 1, "bin_high": 1},
    )  # fmt: skip
    if not result.realtime.empty:
        rt = result.realtime
        _render.print_frame(
            rt[rt["horizon"] == "all"], "table", console, digits=digits,
            title="Real-time check", notes=[str(result.meta["realtime_bases"]), NOT_FORECASTS],
        )  # fmt: skip


@app.command("respond")
def respond_cmd(
    threshold: Annotated[float, typer.Option(help="The rule's line, % of GDP.")] = 2.0,
    to: Annotated[int, typer.Option("--to", help="Last year simulated.")] = 2035,
    threats: Annotated[
        str, typer.Option(help="Threat vs pledge strength(s), e.g. 0.5,1,2,3 (not identified).")
    ] = "0.5,1,2,3",
    deadline: Annotated[
        int | None, typer.Option(help="Year the rule expects the line (default: at once).")
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 4000,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = 0,
    edition: EditionOpt = "latest",
    as_of: Annotated[int | None, typer.Option("--as-of", help="Last year of figures.")] = None,
    calibrated: Annotated[
        bool,
        typer.Option(
            "--calibrated/--uncalibrated",
            help="With the drift correction learnt from earlier origins.",
        ),
    ] = True,
    fmt: FormatOpt = "table",
) -> None:
    """Allies' response with and without a two-tier rule at a threshold, side by side."""
    fmt = _fmt(fmt)
    strengths = tuple(
        decimal_number(v, "threats", "numbers separated by commas") for v in threats.split(",")
    )
    try:
        params = twotier.ResponseParams(
            threshold_pct=threshold, horizon=to, threats=strengths, rule_deadline=deadline,
            draws=draws, as_of=as_of, calibrated=calibrated,
        )  # fmt: skip
        result = twotier.simulate_rule_response(params, edition, rng=seed)
    except InputError as exc:
        if exc.field not in RESPOND_FIELDS:
            raise
        raise type(exc)(relabel(exc, RESPOND_FIELDS), field=RESPOND_FIELDS[exc.field]) from None
    doc = {"meta": result.meta, "params": result.params, "alliance": result.alliance,
           "allies": result.allies, "assumptions": result.assumptions}  # fmt: skip
    if _emit(doc, fmt, result.allies):
        return
    console = _console()
    _render.print_frame(
        result.alliance, "table", console,
        title=f"Rule at {threshold} %: allies at or above the line without and with it "
        f"(edition {result.meta['edition']} as of {result.meta['as_of']}, {draws} draws, "
        f"seed {seed}); money in {result.meta['money_basis']}",
        digits={c: 2 for c in result.alliance.columns if c.startswith("covered")}
        | {"money_added_usd_m": 0, "money_added_se_usd_m": 0},
    )  # fmt: skip
    _render.print_frame(
        result.assumptions, "table", console, title="Assumptions (estimated)",
        digits={"estimate": 3, "std_error": 3},
        notes=["threat: how much harder a threat of losing Article 5 pushes than a pledge; "
               "not identified by the data, shown across a range (illustrative).",
               "Results of a stated model under stated assumptions, not forecasts."],
    )  # fmt: skip


@app.command("exploitation")
def exploitation_cmd(edition: EditionOpt = "latest", fmt: FormatOpt = "table") -> None:
    """Olson-Zeckhauser test per year: Spearman rank correlation of GDP and defence share."""
    fmt = _fmt(fmt)
    frame = twotier.exploitation_test(edition)
    if _emit({"years": frame}, fmt, frame):
        return
    _render.print_frame(
        frame, "table", _console(), digits={"spearman_rho": 3, "p_value": 3},
        title="Spearman rank correlation, GDP (current US$) vs share of GDP, allies per year",
        notes=["Positive and significant: large allies carry more of their income "
               "(Olson & Zeckhauser 1966). Descriptive; GDP is on both sides."],
    )  # fmt: skip

"""The projection command: shares of GDP to a horizon under uncertainty."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

import twotier
from twotier.cli._app import (
    EditionOpt,
    FormatOpt,
    PolicyOpt,
    ThresholdOpt,
    _console,
    _fmt,
    _policy,
    _year,
    app,
)
from twotier.errors import InputError
from twotier.render import tables as _render

if TYPE_CHECKING:
    from rich.console import Console


@app.command("project")
def project_cmd(
    to: Annotated[str, typer.Option("--to", help="Last year projected, e.g. 2035.")],
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    model: Annotated[
        str,
        typer.Option(
            help="scenario (the levers below) or response (allies' response "
            "model, validated by `twotier backtest`)."
        ),
    ] = "scenario",
    calibrated: Annotated[
        bool,
        typer.Option(
            "--calibrated/--uncalibrated",
            help="Response model: drift correction learnt from earlier origins.",
        ),
    ] = True,
    scenario: Annotated[str, typer.Option(help="constant, trend or target.")] = "constant",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = 0,
    edition: EditionOpt = "latest",
    as_of: Annotated[
        int | None,
        typer.Option("--as-of", help="Use only figures for years up to this one (backtests)."),
    ] = None,
    target: Annotated[float | None, typer.Option(help="Target scenario: % of GDP.")] = None,
    target_year: Annotated[
        int | None, typer.Option(help="Target scenario: deadline (default 2035).")
    ] = None,
    target_shape: Annotated[
        str | None, typer.Option(help="Target scenario: linear (default), front or back.")
    ] = None,
    shortfall: Annotated[
        float | None, typer.Option(help="Target scenario: share of the gap left unclosed (0).")
    ] = None,
    chunk_size: Annotated[int, typer.Option(help="Draws per task.")] = 16_384,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask: processes, threads or a scheduler address.")
    ] = None,
    gdp_growth_mean: Annotated[
        float | None,
        typer.Option(
            help="Log growth of GDP per year, all allies (default: each ally's own history)."
        ),
    ] = None,
    gdp_growth_sd: Annotated[
        float | None, typer.Option(help="S.d. of log GDP growth (default: history).")
    ] = None,
    share_shock_sd: Annotated[
        float | None,
        typer.Option(help="S.d. of the yearly share shock, points (default: history)."),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Project shares of GDP to a horizon: probability of tier 1 per ally and year."""
    fmt = _fmt(fmt)
    params = twotier.ProjectionParams(
        horizon=_year(to, "--to"), model=model, calibrated=calibrated, scenario=scenario,
        draws=draws, seed=seed,
        as_of=as_of, chunk_size=chunk_size, target_pct=target if scenario == "target" else None,
        target_year=2035 if target_year is None else target_year,
        target_shape=target_shape or "linear", implementation_shortfall=shortfall or 0.0,
        gdp_growth_mean=gdp_growth_mean, gdp_growth_sd=gdp_growth_sd,
        share_shock_sd=share_shock_sd,
    )  # fmt: skip
    given = {"--target": target, "--target-year": target_year, "--target-shape": target_shape,
             "--shortfall": shortfall}  # fmt: skip
    for flag, value in given.items():
        if value is not None and scenario != "target":
            raise InputError(
                f"{flag}: applies only with --scenario target, found --scenario {scenario}",
                field=None,
            )
    pol = _policy(policy, threshold)
    console = _console()
    if fmt == "table" and draws >= 50_000 and scheduler is None:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Simulating", total=None)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = _project(pol, params, edition, scheduler, tick, threshold)
    else:
        result = _project(pol, params, edition, scheduler, None, threshold)
    if fmt != "table":
        doc = {"meta": result.meta, "alliance": result.alliance, "allies": result.allies,
               "covered": result.covered, "assumptions": result.assumptions,
               "parameters": result.parameters}  # fmt: skip
        if fmt == "json":
            import pandas as pd  # here: the CLI's help imports no pandas

            _render.print_json({k: v.to_dict(orient="records") if isinstance(v, pd.DataFrame)
                                else v for k, v in doc.items()}, console)  # fmt: skip
        else:
            _render.print_frame(result.allies, "csv", console)
        return
    label = "allies' response model" if model == "response" else scenario
    title = (f"{pol.id}: projection to {params.horizon} ({label}), {draws} draws, seed {seed}, "
             f"edition {result.meta['edition']} as of {result.meta['as_of']}")  # fmt: skip
    _render.print_frame(
        result.alliance, "table", console, title=title,
        digits={"covered_mean": 1, "p_all_covered": 3, "p_all_covered_se": 3,
                "shortfall_mean_usd_m": 0,
                "shortfall_q05_usd_m": 0, "shortfall_q50_usd_m": 0, "shortfall_q95_usd_m": 0},
    )  # fmt: skip
    last = result.allies[result.allies["year"] == params.horizon]
    _render.print_frame(
        last, "table", console, title=f"Allies in {params.horizon}",
        columns=["iso3", "p_tier1", "p_tier1_se", "share_q05", "share_q50", "share_q95",
                 "shortfall_q50_usd_m"],
        digits={"p_tier1": 3, "p_tier1_se": 3, "share_q05": 2, "share_q50": 2, "share_q95": 2,
                "shortfall_q50_usd_m": 0},
    )  # fmt: skip
    if model == "response":
        _print_response_assumptions(result, console)
        return
    _render.print_frame(
        result.assumptions, "table", console,
        title="Assumptions per ally (from the data unless set)",
        digits={"trend_slope_pp": 3, "gdp_growth_mean": 4, "gdp_growth_sd": 4, "share_shock_sd": 3},
        notes=["GDP: log random walk of real GDP (mean and s.d. of the ally's real growth from "
               "NATO's constant-price figures, series breaks excluded), in US$ at the last "
               "year's prices and exchange rates (held at their last value); "
               "share: scenario path plus an independent normal shock each year (s.d. of the "
               "ally's residuals around its linear trend). "
               "Results of a stated model under stated assumptions, not forecasts."],
    )  # fmt: skip


def _project(
    pol: twotier.Policy, params: twotier.ProjectionParams, edition: str, scheduler: str | None,
    progress: Callable[[int, int], None] | None, threshold: str | None,
) -> twotier.ProjectionResult:  # fmt: skip
    """``twotier.project``; a policy line refused by the model names --policy if it came from it."""
    try:
        return twotier.project(pol, params, edition, scheduler=scheduler, progress=progress)
    except InputError as exc:
        if exc.field != "threshold" or threshold is not None:
            raise
        raise InputError(f"--policy: {pol.id}: {str(exc).partition(': ')[2]}",
                         field="policy") from None  # fmt: skip


def _print_response_assumptions(result: twotier.ProjectionResult, console: Console) -> None:
    """Base figures per ally and the response model's estimated parameters."""
    _render.print_frame(
        result.assumptions, "table", console, title="Base figures per ally",
        columns=["iso3", "edition", "base_year", "base_share", "base_share_halfwidth",
                 "base_status", "estimate_years", "rounded_years", "series_breaks"],
    )  # fmt: skip
    _render.print_frame(
        result.parameters, "table", console,
        title="Parameters of the allies' response model (docs/projections.md)",
        digits={"estimate": 4, "std_error": 4},
        notes=["Share: pull toward the guideline in force by gap, pace and exposure, common "
               "year shocks, heavy-tailed ally shocks, bunching at lines, and a drift "
               "correction learnt from earlier origins; GDP: real growth from NATO's "
               "constant-price figures, prices and exchange rates held. "
               "Results of a stated model under stated assumptions, not forecasts."],
    )  # fmt: skip

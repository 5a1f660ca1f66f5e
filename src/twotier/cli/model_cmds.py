"""Commands of the models: negotiate and project."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

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
    from twotier.models.negotiation.engine import PARAMETERS

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
    from twotier.models.negotiation import engine as ng
    from twotier.models.negotiation.api import negotiation_params

    fmt = _fmt(fmt)
    if draws < 0 or draws > 10_000_000:
        raise InputError(f"--draws: expected 0 to 10000000, found {draws}", field="draws")
    if draws and seed is None:
        raise InputError("--seed: give a seed with --draws, e.g. --seed 1", field="seed")
    params, scen = negotiation_params(scenario, _assignments(set_ or []))
    from twotier.models.negotiation.api import aid_notes

    table = ng.parameter_table(params, scen.uncertainties if draws else (), aid_notes())
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
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    scenario: Annotated[str, typer.Option(help="constant, trend or target.")] = "constant",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = 0,
    edition: EditionOpt = "latest",
    as_of: Annotated[
        int | None,
        typer.Option("--as-of", help="Use only figures for years up to this one (backtests)."),
    ] = None,
    target: Annotated[float | None, typer.Option(help="Target scenario: % of GDP.")] = None,
    target_year: Annotated[int, typer.Option(help="Target scenario: deadline.")] = 2035,
    target_shape: Annotated[str, typer.Option(help="linear, front or back.")] = "linear",
    shortfall: Annotated[float, typer.Option(help="Share of the gap left unclosed.")] = 0.0,
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
    from twotier.models.projection.api import ProjectionParams, project

    fmt = _fmt(fmt)
    params = ProjectionParams(
        horizon=_year(to, "--to"), scenario=scenario, draws=draws, seed=seed, as_of=as_of,
        chunk_size=chunk_size, target_pct=target, target_year=target_year,
        target_shape=target_shape, implementation_shortfall=shortfall,
        gdp_growth_mean=gdp_growth_mean, gdp_growth_sd=gdp_growth_sd,
        share_shock_sd=share_shock_sd,
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
             f"edition {result.meta['edition']} as of {result.meta['as_of']}")  # fmt: skip
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
        notes=["GDP: log random walk of real GDP (mean and s.d. of the ally's real growth from "
               "NATO's constant-price figures, series breaks excluded), in US$ at the last "
               "year's prices and exchange rates (held at their last value); "
               "share: scenario path plus an independent normal shock each year (s.d. of the "
               "ally's residuals around its linear trend). "
               "Results of a stated model under stated assumptions, not forecasts."],
    )  # fmt: skip

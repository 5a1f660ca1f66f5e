"""The negotiation command: the aid-leverage bargaining model."""

from __future__ import annotations

from typing import Annotated

import typer

import twotier
from twotier.cli._app import FormatOpt, _console, _fmt, app
from twotier.errors import InputError, decimal_number
from twotier.render import tables as _render

NEGOTIATION_TABLE = [
    "setting", "p", "range_low", "range_high", "nash_x", "p_no_agreement_russia_offers",
    "p_no_agreement_ukraine_offers", "threat_ukraine_credible", "threat_russia_credible",
    "audience_cost_needed_ukraine_eur_bn", "audience_cost_needed_russia_eur_bn",
    "ukraine_prefers_war_now", "russia_prefers_war_now", "months_before_settlement",
]  # fmt: skip


def _assignments(items: list[str]) -> dict[str, float | str]:
    names = twotier.NEGOTIATION_PARAMETERS
    values: dict[str, float | str] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise InputError(
                f"--set: expected NAME=VALUE with NAME one of {', '.join(names)}, found {item!r}",
                field="set",
            )
        if name in values:
            raise InputError(f"--set: {name}: given twice; give each parameter once", field="set")
        if name.endswith("_date"):
            values[name] = raw.strip()
            continue
        # ASCII digits only, finite: the CLI's one reader of typed numbers.
        values[name] = decimal_number(raw, f"--set: {name}", "a number such as 0.5")
    return values


def _sweep_spec(text: str) -> tuple[str, list[float]]:
    name, _, grid = text.partition("=")
    parts = grid.split(":")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3 or n < 2 or n > 1000 or abs(lo) == float("inf") or lo != lo:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(
            f"--sweep: expected NAME=LO:HI:N with 2 <= N <= 1000, found {text!r}", field="sweep"
        ) from None
    return name.strip(), [lo + (hi - lo) * i / (n - 1) for i in range(n)]


@app.command()
def negotiate(
    scenario: Annotated[
        str, typer.Option(help="'default', 'march-2025-pause' or a scenario .toml file.")
    ] = "default",
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter: NAME=VALUE.")
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: no uncertainty).")] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed of the random draws (>= 0).")] = None,
    sweep: Annotated[str | None, typer.Option(help="One-parameter sweep: NAME=LO:HI:N.")] = None,
    sobol: Annotated[
        int, typer.Option(help="Sobol indices with this many base samples (power of 2).")
    ] = 0,
    resources_basis: Annotated[
        str | None, typer.Option(help="Military resources: market or ppp.")
    ] = None,
    aid_window: Annotated[
        str | None,
        typer.Option(help="US aid baseline: pre-inauguration, tracker or post-inauguration."),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The aid-leverage bargaining model: each lever setting under stated assumptions."""
    fmt = _fmt(fmt)
    if (draws > 0 or sobol > 0) and seed is None:
        raise InputError("--seed: give a seed with --draws or --sobol, e.g. --seed 1", field="seed")
    spec = _sweep_spec(sweep) if sweep else None
    result = twotier.negotiate(
        scenario, _assignments(set_ or []), draws=draws, rng=seed, sweep=spec, sobol=sobol,
        resources_basis=resources_basis, aid_window=aid_window,
    )  # fmt: skip
    meta = result.meta
    if result.sweep is not None:
        frame, title = result.sweep, f"Sweep of {meta['sweep']} ({meta['scenario']})"
    elif result.sensitivity is not None:
        frame = result.sensitivity
        title = f"Sobol indices, {sobol} base samples, seed {seed} ({meta['scenario']})"
    elif result.simulation is not None:
        frame = result.simulation
        title = f"Monte Carlo, {draws} draws, seed {seed} ({meta['scenario']})"
    else:
        frame = result.outcomes
        title = f"Negotiation model, scenario {meta['scenario']}: {meta['scenario_title']}"
    console = _console()
    if fmt == "json":
        _render.print_json(
            {"scenario": meta["scenario"], "draws": draws, "seed": seed, "caveat": meta["caveat"],
             "sentence": meta["sentence"],
             "parameters": result.parameters.to_dict(orient="records"),
             "results": frame.to_dict(orient="records")},
            console,
        )  # fmt: skip
        return
    plain = sweep is None and not draws and not sobol
    cols = NEGOTIATION_TABLE if (fmt == "table" and plain) else None
    digits = {c: 3 for c in frame.columns if frame[c].dtype == float}
    _render.print_frame(frame, fmt, console, title=title, columns=cols, digits=digits)
    if fmt == "table":
        _render.print_frame(result.parameters, "table", console, title="Assumptions (parameters)")
        if plain:
            console.print(str(meta["sentence"]), highlight=False, soft_wrap=True)
        console.print(str(meta["caveat"]), highlight=False, soft_wrap=True)

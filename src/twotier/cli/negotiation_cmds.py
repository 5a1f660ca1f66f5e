"""The negotiation command: the aid-leverage bargaining model."""

from __future__ import annotations

from typing import Annotated

import typer

from twotier.cli._app import FormatOpt, _console, _fmt, app
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

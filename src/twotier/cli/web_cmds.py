"""Commands with a browser: serve, report and chart."""

from __future__ import annotations

import errno
import socket
import sys
from typing import Annotated

import typer

import twotier
from twotier.cli._app import (
    EditionOpt,
    PolicyOpt,
    ThresholdOpt,
    YearOpt,
    _policy,
    _year,
    app,
)
from twotier.errors import EnvironmentProblem, InputError


@app.command()
def report(
    year: YearOpt,
    out: Annotated[str, typer.Option("--out", help="FILE.html or FILE.pdf")],
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    edition: EditionOpt = "latest",
) -> None:
    """Write a self-contained HTML or PDF report (charts, table, sources, caveats)."""
    from twotier.render.report import write_report

    path = write_report(_policy(policy, threshold), _year(year), out, edition)
    sys.stderr.write(f"wrote {path}\n")


def option_names(pairs: list[str]) -> set[str]:
    """Names given with ``--set NAME=VALUE``."""
    return {pair.partition("=")[0].strip() for pair in pairs}


def _chart_options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--set: expected NAME=VALUE, found {pair!r}", field="set")
        if key.strip() in options:  # the last one used to win silently
            raise InputError(f"--set {key.strip()}: given twice; give it once", field="set")
        options[key.strip()] = value.strip()
    return options


@app.command()
def chart(
    kind: Annotated[str, typer.Argument(
        help="map, ranking, shortfall, wales, dumbbell, trends, editions, compare, projection, "
        "projection-allies, response, negotiation, aid, aid-time or backtest.")],
    year: YearOpt,
    out: Annotated[str, typer.Option("--out", help="FILE.png or FILE.svg")],
    policy: PolicyOpt = None,
    threshold: ThresholdOpt = None,
    edition: EditionOpt = "latest",
    size: Annotated[
        str, typer.Option("--size", help="640, 1000 (default), 1200x675 or 1080x1080 pixels.")
    ] = "1000",
    option: Annotated[list[str] | None, typer.Option(
        "--set", help="A chart option NAME=VALUE, as in the dashboard's link: allies=POL,ESP "
        "(trends); ea=2024-06, eb=2025-08, eyear=2024 (editions); policies=a,b (compare); "
        "horizon, scenario, draws, seed (projection); rhorizon (response); ncut, nrise, "
        "nsanctions, naudience, nbasis (negotiation).")] = None,
) -> None:  # fmt: skip
    """Export one chart as PNG or SVG, ready to publish.

    Headline with rule and year, subtitle, source, notes, credit and date inside the
    image.
    """
    from twotier.render import kinds
    from twotier.render.export import build_chart, write_chart

    pol = (
        _policy(policy, threshold) if (policy or threshold) else twotier.get_policy("two-tier-2pct")
    )
    options = _chart_options(option or [])
    if threshold is not None and "threshold" in options:
        raise InputError("--set threshold: conflicts with --threshold; give one of them",
                         field="set")  # fmt: skip
    if threshold is not None and kind in kinds.KINDS and "threshold" in kinds.KINDS[kind].options:
        options["threshold"] = str(threshold)
    try:
        fig = build_chart(kind, pol, _year(year), edition, options)
    except InputError as exc:  # name the argument as typed: KIND, --set NAME
        if exc.field == "kind":
            raise InputError("KIND" + str(exc).removeprefix("kind")) from None
        if exc.field in option_names(option or []):
            raise InputError(f"--set {exc}") from None
        raise
    path = write_chart(fig, out, size)
    sys.stderr.write(f"wrote {path}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default: one per core)."),
    ] = None,
) -> None:
    """Run the dashboard on http://HOST:PORT with gunicorn (works offline)."""
    if not 1 <= port <= 65535:
        raise InputError(f"--port: expected 1 to 65535, found {port}", field="port")
    if workers is not None and not 1 <= workers <= 64:
        raise InputError(f"--workers: expected 1 to 64, found {workers}", field="workers")
    try:
        import gunicorn  # noqa: F401

        from twotier.web.server import serve as run
    except ImportError as exc:  # pragma: no cover - the web extra is missing
        raise EnvironmentProblem(f"serve: the dashboard needs the web extra: pip install "
                                 f"'twotier[web]' ({exc.name} missing)") from None  # fmt: skip
    check_bind(host, port)
    sys.stderr.write(f"twotier dashboard on http://{host}:{port}/ (Ctrl+C to stop)\n")
    run(host=host, port=port, workers=workers)


def check_bind(host: str, port: int) -> None:
    """Refuse, in one line, an address that does not resolve or a port that is taken.

    An unknown host name is bad input (exit 2); a port in use or not allowed is a
    problem of the machine (exit 1). Without this, gunicorn retries for seconds and
    prints its own log lines.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise InputError(
            f"--host: expected an address of this machine such as 127.0.0.1, "
            f"found {host!r} ({why})",
            field="host",
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRNOTAVAIL:
                raise InputError(
                    f"--host: expected an address of this machine such as 127.0.0.1, "
                    f"found {host!r} ({exc.strerror})",
                    field="host",
                ) from None
            raise EnvironmentProblem(
                f"--port: cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "choose another port with --port or stop the program using it"
            ) from None

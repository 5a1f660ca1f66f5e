"""The localhost dashboard (Dash): controls, URL state, views, a small JSON API.

Everything is served by the app itself (Dash serves its own JavaScript; the map is a
tile grid, no boundaries are fetched); no page needs the network. The server binds
to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output
from dash import State as DashState
from flask import jsonify, request

import twotier
from twotier.errors import TwotierError
from twotier.web import chart_route, interactions, static, update, views
from twotier.web import errors as web_errors
from twotier.web.layout import layout
from twotier.web.replay import ViewCache
from twotier.web.server import MAX_BODY
from twotier.web.state import MAX_UPLOAD, encode_toml, parse_state
from twotier.web.update import errors_list, field_labels, with_uploaded

__all__ = ["create_app", "serve"]

LOG = logging.getLogger("twotier.web")


def _register_recolour(app: dash.Dash) -> None:
    """A threshold change recolours the coverage view's map and ranking in the browser.

    ``assets/recolour.js`` applies the rule to the figures and rounding half-widths the
    view sent (``coverage-frame``) as the slider moves (``drag_value``: at once, not
    after the server's answer), in place (colours only); the server's answer for the
    new threshold follows and sets the view's figures and numbers, confirming them (the
    figures of :data:`~twotier.web.update.RECOLOURED` are always sent again).
    """
    app.clientside_callback(
        ClientsideFunction(namespace="twotier", function_name="recolour"),
        Input("threshold", "drag_value"),
        DashState("coverage-frame", "data", allow_optional=True),  # on the coverage view only
        prevent_initial_call=True,
    )


def _register_upload(app: dash.Dash) -> None:
    @app.callback(
        [
            Output("uploaded", "data"),
            Output("policy", "options"),
            Output("policy", "value", allow_duplicate=True),
            Output("error", "children", allow_duplicate=True),
        ],
        [Input("upload", "contents")],
        [DashState("upload", "filename"), DashState("policy", "options")],
        prevent_initial_call=True,
    )
    def upload(contents: str | None, filename: str | None, options: list[Any]) -> list[Any]:
        try:
            text = _decode_upload(contents, filename or "upload")
            twotier.parse_policy(text, origin=filename or "upload")
        except TwotierError as exc:  # named after the control: "Uploaded policy (f.toml): ..."
            name = filename or "upload"
            message = str(exc).removeprefix(f"{name}: ")
            message = f"{field_labels()['toml']} ({name}): {message}"
            return [dash.no_update, dash.no_update, dash.no_update, errors_list([message])]
        return [encode_toml(text), with_uploaded(options), "uploaded", ""]


def _decode_upload(contents: str | None, filename: str) -> str:
    if not contents or "," not in contents:
        raise twotier.PolicyError(f"{filename}: empty upload", field="upload")
    try:
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise twotier.PolicyError(f"{filename}: upload is not readable", field="upload") from exc
    if len(raw) > MAX_UPLOAD:
        raise twotier.PolicyError(
            f"{filename}: policy file too large: expected at most {MAX_UPLOAD} bytes, "
            f"found {len(raw)}",
            field="upload",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise twotier.PolicyError(f"{filename}: expected UTF-8 text", field="upload") from exc


@functools.lru_cache(maxsize=512)
def _coverage_json(policy: twotier.Policy, year: int, edition: str, data_key: int) -> str:
    """The JSON body of /api/coverage (cached: the answer is a pure function of its key)."""
    frame = twotier.coverage(policy, year, edition)
    return json.dumps(twotier.to_json_dict(frame), default=_render_default, ensure_ascii=False)


def _render_default(value: Any) -> Any:
    from twotier.render.tables import json_default

    return json_default(value)


def _api(app: dash.Dash) -> None:
    server = app.server

    @server.route("/api/coverage")
    def api_coverage() -> Any:
        args = request.args
        try:
            unknown = sorted(set(args) - {"policy", "threshold", "year", "edition"})
            if unknown:
                name = unknown[0] if len(unknown[0]) <= 60 else unknown[0][:57] + "..."
                raise twotier.InputError(
                    f"{name}: unknown parameter; accepted: policy, threshold, year, edition",
                    field=name,
                )
            state, problems = parse_state(request.query_string.decode("utf-8", "replace"))
            if problems:  # each starts with its parameter's name: "year: ..."
                raise twotier.InputError(problems[0], field=problems[0].split(":", 1)[0])
            if "year" not in args:
                raise twotier.InputError("year: required, e.g. year=2024", field="year")
            if "threshold" in args and args.get("policy", "threshold") != "threshold":
                raise twotier.InputError(
                    "threshold: give either policy or threshold (or policy=threshold with "
                    f"threshold); found policy={args['policy']!r} and threshold",
                    field="threshold",
                )
            if "policy" not in args:
                state = state.replace(
                    policy="threshold" if "threshold" in args else "two-tier-2pct"
                )
            body = _coverage_json(
                views.policy_of(state), state.year, state.edition, twotier.load_data().version
            )
            return server.response_class(body, mimetype="application/json")
        except TwotierError as exc:
            return jsonify({"error": str(exc), "field": exc.field}), 400

    @server.errorhandler(413)
    def too_large(_: Any) -> Any:
        return jsonify({"error": "request too large"}), 413


def _downloads(app: dash.Dash) -> None:
    server = app.server

    @server.route("/download/<table_id>.csv")
    def download(table_id: str) -> Any:
        state, problems = parse_state(request.query_string.decode("utf-8", "replace"))
        try:
            if problems:
                raise twotier.InputError(problems[0])
            body = views.table_csv(state, table_id)
        except TwotierError as exc:
            return jsonify({"error": str(exc), "field": exc.field}), 400
        return server.response_class(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={table_id}.csv"},
        )


def create_app() -> dash.Dash:
    """The Dash app (no network access at run time; assets served by the app)."""
    import pathlib

    import plotly.io.json

    # plotly's orjson engine (used when orjson is installed) first walks the whole
    # answer in Python; for component trees the standard json engine is faster.
    plotly.io.json.config.default_engine = "json"

    app = dash.Dash(
        __name__,
        title="twotier",
        assets_folder=str(pathlib.Path(__file__).parent / "assets"),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title="",
    )
    # Uploads over MAX_UPLOAD get a clear message from the upload callback; requests
    # over 4 MiB are refused with 413 before any parsing.
    web_errors.install(app, max_body=MAX_BODY)  # sets MAX_CONTENT_LENGTH; hooks run first
    app.layout = layout
    update.register(app)
    _register_upload(app)
    _register_recolour(app)
    interactions.register(app)
    _api(app)
    _downloads(app)
    chart_route.install(app.server)  # /chart/<kind>.svg (issue 15)
    static.install(app.server)  # before the view cache: it stores uncompressed answers
    app.index_string = dash.dash._default_index.replace(
        "{%css%}", "{%css%}\n        " + static.early_scripts()
    ).replace("<html>", '<html lang="en">', 1)
    cache = ViewCache()  # made before gunicorn forks: its shared folder serves every worker
    app.server.extensions["twotier_view_cache"] = cache
    app.server.before_request(cache.get)
    app.server.after_request(cache.put)
    return app


def serve(host: str = "127.0.0.1", port: int = 8050, *, workers: int | None = None) -> None:
    """Run the dashboard on gunicorn worker processes (binds to 127.0.0.1 by default)."""
    from twotier.web.server import serve as run

    run(host, port, workers=workers)

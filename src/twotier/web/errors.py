"""The dashboard's error boundary.

A 4xx with one line for a bad request, a short message (and the traceback in the
server log) for anything unexpected, never a bare 500 page.

:func:`install` is called once by :func:`twotier.web.app.create_app`, before any
other request hook. It adds:

* **a body limit checked before anything reads the body**: a request whose
  ``Content-Length`` is over the limit gets ``413 {"error": "request too large"}``
  at once; a chunked body that grows past it while being read gets the same answer.
  In both cases the body is replaced by an empty one, so later hooks (the view
  cache) cannot trip over it again while the 413 is being sent;
* **a check of Dash callback requests** (``POST /_dash-update-component``) against
  the callbacks the app declared: a JSON object naming a known output, with the
  declared inputs and states in order, each value of a type the property can hold.
  Anything else gets ``400 {"error": "..."}`` naming what is wrong, so crafted
  requests never reach a callback that assumes its types;
* **handlers** that turn :class:`twotier.errors.TwotierError` into 400, a path that
  escapes Dash's component folders into 404, and any other exception into a logged
  traceback and ``500 {"error": "internal error ...; see the server log"}``.

Messages are one line and echo at most :data:`ECHO_CHARS` characters of the input.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import dash
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from twotier.errors import TwotierError

__all__ = [
    "ECHO_CHARS",
    "MAX_BODY_BYTES",
    "MAX_SEARCH_CHARS",
    "check_callback_request",
    "install",
]

LOG = logging.getLogger("twotier.web")

#: Largest request body accepted (uploads are limited to far less by the app).
MAX_BODY_BYTES = 4 * 1024 * 1024
#: Longest query string a view accepts (an uploaded policy of 64 KiB in base64, plus settings).
MAX_SEARCH_CHARS = 96 * 1024
#: At most this many characters of a bad input are repeated in an error message.
ECHO_CHARS = 60
UPDATE_PATH = "/_dash-update-component"

_Check = Callable[[Any], bool]


def _scalar(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    return v is None or isinstance(v, str | int)


def _value(v: Any) -> bool:
    return _scalar(v) or (isinstance(v, list) and all(_scalar(x) for x in v))


def _text(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _search(v: Any) -> bool:
    # A link's query string: an uploaded policy (64 KiB, in base64) and a few settings.
    return v is None or (isinstance(v, str) and len(v) <= MAX_SEARCH_CHARS)


def _options(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(o, dict) and "value" in o for o in v)


#: Types a property's value may have in a callback request (others: any JSON).
PROPERTY_TYPES: dict[str, _Check] = {
    "value": _value,
    "search": _search,
    "pathname": _text,
    "hash": _text,
    "href": _text,
    "contents": _text,
    "filename": lambda v: _text(v) or (isinstance(v, list) and all(_text(x) for x in v)),
    "options": _options,
    "n_clicks": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "n_intervals": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "disabled": lambda v: v is None or isinstance(v, bool),
    "min": lambda v: v is None or _number(v),
    "max": lambda v: v is None or _number(v),
}


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _echo(value: Any) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 3] + "..."


class BadCallbackRequest(ValueError):
    """A Dash callback request that does not match any declared callback."""


def _check_items(items: Any, declared: list[dict[str, Any]], what: str) -> None:
    if not isinstance(items, list) or len(items) != len(declared):
        raise BadCallbackRequest(f"{what}: expected a list of {len(declared)} items")
    for i, (item, spec) in enumerate(zip(items, declared, strict=True)):
        if not isinstance(item, dict):
            raise BadCallbackRequest(f"{what}[{i}]: expected an object, found {_echo(item)}")
        if isinstance(spec["id"], str) and (
            item.get("id") != spec["id"] or item.get("property") != spec["property"]
        ):
            raise BadCallbackRequest(
                f"{what}[{i}]: expected {spec['id']}.{spec['property']}, found "
                f"{_echo(item.get('id'))}.{_echo(item.get('property'))}"
            )
        check = PROPERTY_TYPES.get(str(spec["property"]))
        if check is not None and not check(item.get("value")):
            raise BadCallbackRequest(
                f"{spec['id']}.{spec['property']}: value of the wrong type, "
                f"found {_echo(item.get('value'))}"
            )


def _check_outputs(outputs: Any, output: str) -> None:
    from dash._utils import split_callback_id

    declared = split_callback_id(output)
    declared = declared if isinstance(declared, list) else [declared]
    items = outputs if isinstance(outputs, list) else [outputs]
    if len(items) != len(declared):
        raise BadCallbackRequest(f"outputs: expected {len(declared)} items")
    for i, (item, spec) in enumerate(zip(items, declared, strict=True)):
        if not (
            isinstance(item, dict)
            and item.get("id") == spec["id"]
            and str(item.get("property")).split("@")[0] == spec["property"].split("@")[0]
        ):
            raise BadCallbackRequest(
                f"outputs[{i}]: expected {spec['id']}.{spec['property']}, found {_echo(item)}"
            )


#: Keys of the body Dash's renderer posts to ``/_dash-update-component``.
_REQUEST_KEYS = frozenset(
    {"output", "outputs", "inputs", "state", "changedPropIds", "parsedChangedPropsIds"}
)


def check_callback_request(app: dash.Dash, body: Any) -> None:
    """Raise :class:`BadCallbackRequest` unless ``body`` is a well-formed request.

    Well-formed: it matches one of ``app``'s callbacks (output, inputs, state, types).
    """
    if not isinstance(body, dict):
        raise BadCallbackRequest(f"expected a JSON object, found {_echo(body)}")
    unknown = sorted(set(body) - _REQUEST_KEYS)
    if unknown:  # nothing reads them; they would only ride along into the view cache
        raise BadCallbackRequest(
            f"{_echo(unknown[0])}: unknown key; accepted: {', '.join(sorted(_REQUEST_KEYS))}"
        )
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        raise BadCallbackRequest(f"output: no callback has output {_echo(output)}")
    callback = app.callback_map[output]
    if "callback" not in callback:  # a clientside callback: the browser computes it
        raise BadCallbackRequest(f"output: {_echo(output)} is computed in the browser")
    _check_items(body.get("inputs"), callback["inputs"], "inputs")
    _check_items(body.get("state", []), callback.get("state", []), "state")
    _check_outputs(body.get("outputs"), output)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("changedPropIds: expected a list of strings")


def _answer(status: int, message: str, field: str | None = None) -> Any:
    body: dict[str, Any] = {"error": " ".join(message.split())}
    if field is not None:
        body["field"] = field
    return jsonify(body), status


def _drop_body() -> None:
    # Werkzeug's get_data() returns the cached body: make it empty, so no later hook
    # reads (and refuses) the oversized stream again while the answer is sent.
    request._cached_data = b""


def install(app: dash.Dash, *, max_body: int = MAX_BODY_BYTES) -> None:
    """Install the error boundary on ``app`` (call before registering other hooks)."""
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body

    def guard() -> Any:
        length = request.content_length
        if length is not None and length > max_body:
            _drop_body()
            return _answer(413, "request too large")
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        if length is None and chunked and request.environ.get("wsgi.input_terminated"):
            # A chunked body: read at most one byte more than the limit, keep it for
            # get_data() (Werkzeug would silently cut it at the limit instead).
            raw = request.environ["wsgi.input"].read(max_body + 1)
            if len(raw) > max_body:
                _drop_body()
                return _answer(413, "request too large")
            request._cached_data = raw
        if request.method == "POST" and request.path == UPDATE_PATH:
            try:
                body = request.get_json(force=True, silent=True, cache=True)
                if body is None:
                    raise BadCallbackRequest("expected a JSON object")
                check_callback_request(app, body)
            except RecursionError:
                return _answer(400, "bad callback request: JSON nested too deeply")
            except BadCallbackRequest as exc:
                return _answer(400, f"bad callback request: {exc}")
        return None

    server.before_request_funcs.setdefault(None, []).insert(0, guard)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.register_error_handler(Exception, _unexpected)


def _too_large(_: Exception) -> Any:
    _drop_body()
    return _answer(413, "request too large")


def _unexpected(exc: Exception) -> Any:
    if isinstance(exc, RequestEntityTooLarge):
        return _too_large(exc)
    if isinstance(exc, HTTPException):
        return exc
    if isinstance(exc, TwotierError):
        return _answer(400, str(exc), exc.field)
    if type(exc).__name__ == "DependencyException":  # a path outside Dash's components
        return _answer(404, "not found")
    LOG.error("%s %s failed", request.method, request.path, exc_info=exc)
    return _answer(500, "internal error while answering this request; see the server log")

"""The dashboard's error boundary through Flask's test client: crafted, oversized and
fuzzed requests get a 4xx with one line, never a 500 page (D04, D05, D06, D17).

No browser is needed; Hypothesis drives the URL state, the Dash callback payloads,
the JSON API and the CSV downloads.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twotier.web import errors as web_errors

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def app() -> Any:
    from twotier.web.app import create_app

    return create_app()


@pytest.fixture()
def client(app: Any) -> Iterator[Any]:
    with app.server.test_client() as c:
        yield c


def _callback(app: Any, prefix: str) -> tuple[str, dict[str, Any]]:
    for output, spec in app.callback_map.items():
        if output.startswith(prefix):
            return output, spec
    raise AssertionError(f"no callback {prefix}")


def _body(app: Any, prefix: str, values: dict[str, Any], changed: int = 0) -> dict[str, Any]:
    """A callback request as the Dash renderer sends it, with ``values`` by input id.

    ``changed``: the index of the input that triggered it.
    """
    output, spec = _callback(app, prefix)

    def items(declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
        empty = {"options": []}  # what the page holds before anything is chosen
        return [
            {
                "id": d["id"],
                "property": d["property"],
                "value": values.get(d["id"], empty.get(d["property"])),
            }
            for d in declared
        ]

    from dash._utils import split_callback_id

    outputs = split_callback_id(output)
    return {
        "output": output,
        "outputs": outputs,
        "inputs": items(spec["inputs"]),
        "state": items(spec.get("state", [])),
        "changedPropIds": [
            f"{spec['inputs'][changed]['id']}.{spec['inputs'][changed]['property']}"
        ],
    }


def _post(client: Any, body: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/_dash-update-component", data=data, headers={"Content-Type": "application/json"}
    )


def _assert_clean(response: Any) -> None:
    """No 5xx, no traceback; a 4xx carries one JSON line naming the problem."""
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    if response.status_code >= 400:
        error = response.get_json()["error"]
        assert error and "\n" not in error and len(error) < 400


def test_oversized_bodies_get_413_before_anything_reads_them(client: Any) -> None:
    """D05: 413 JSON, not 500, for the dash endpoint and any other route."""
    big = b"x" * (web_errors.MAX_BODY_BYTES + 1)
    for path in ("/_dash-update-component", "/api/coverage", "/"):
        response = client.post(path, data=big, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.get_json() == {"error": "request too large"}


def test_a_chunked_body_over_the_limit_gets_413(client: Any) -> None:
    big = b"[" + b"1," * web_errors.MAX_BODY_BYTES + b"1]"
    response = client.post(
        "/_dash-update-component",
        input_stream=io.BytesIO(big),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as real servers set it
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        {},
        None,
        [1, 2, 3],
        "text",
        {"output": "nonexistent.children"},
        {"output": 5},
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["empty", "null", "list", "string", "unknown-output", "output-number", "bad-json", "deep"],
)
def test_crafted_callback_requests_get_400(client: Any, body: Any) -> None:
    """D17: every shape Dash's dispatch would crash on."""
    response = _post(client, body)
    assert response.status_code == 400
    _assert_clean(response)


def test_wrongly_typed_callback_values_get_400(app: Any, client: Any) -> None:
    bad = [
        _body(app, "..content.children", {"url": {"a": 1}}),
        _body(app, "..content.children", {"url": 12}),
        _body(app, "..content.children", {"url": "?" + "k" * web_errors.MAX_SEARCH_CHARS}),
        _body(app, "..uploaded.data", {"upload": 7, "policy": []}),
        _body(app, "..uploaded.data", {"upload": "data:,", "policy": None}),
    ]
    missing = _body(app, "..content.children", {})
    missing["inputs"] = []
    for body in [*bad, missing]:
        response = _post(client, body)
        assert response.status_code == 400, body
        _assert_clean(response)


def test_callbacks_computed_in_the_browser_get_400(app: Any, client: Any) -> None:
    """The recolour and the view changes run in the browser; a post naming them is refused."""
    clientside = [o for o, spec in app.callback_map.items() if "callback" not in spec]
    assert len(clientside) >= 2
    for output in clientside:
        spec = app.callback_map[output]
        body = {
            "output": output,
            "outputs": [],
            "inputs": [{**d, "value": None} for d in spec["inputs"]],
            "state": [{**d, "value": None} for d in spec.get("state", [])],
            "changedPropIds": [],
        }
        response = _post(client, body)
        assert response.status_code == 400, output
        _assert_clean(response)
        assert "computed in the browser" in response.get_json()["error"]


def test_a_good_callback_request_still_works(app: Any, client: Any) -> None:
    response = _post(client, _body(app, "..content.children", {"url": "?year=2024"}))
    assert response.status_code == 200
    assert "content" in response.get_json()["response"]


def test_hostile_policy_uploads_and_links_are_one_line_4xx(app: Any, client: Any) -> None:
    """D04: 30,000-deep nesting and a 400-digit threshold in an upload and a link."""
    head = "[policy]\nid='x'\ntitle='t'\nsource='s'\ndate='2024'\n"
    hostile = [
        head + "foo = " + "[" * 30000 + "]" * 30000,
        head + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=1" + "0" * 400,
    ]
    for text in hostile:
        contents = "data:application/toml;base64," + base64.b64encode(text.encode()).decode()
        body = _body(app, "..uploaded.data", {"upload": contents, "policy": []})
        response = _post(client, body)
        _assert_clean(response)
        assert "nested too deeply" in response.get_data(as_text=True) or "whole number" in (
            response.get_data(as_text=True)
        )
        link = base64.urlsafe_b64encode(text.encode()).decode()
        response = client.get(f"/download/coverage-table.csv?policy=uploaded&toml={link}")
        assert response.status_code == 400
        _assert_clean(response)


def test_negative_seed_is_a_4xx(client: Any) -> None:
    """D06: the seed is checked by the model; the route answers 400 with one line."""
    response = client.get("/download/projection-table.csv?tab=projections&seed=-1&draws=100")
    _assert_clean(response)
    assert response.status_code == 400


def test_traversal_probe_is_404(client: Any) -> None:
    response = client.get(
        "/_dash-component-suites/dash/x",
        environ_overrides={"PATH_INFO": "/_dash-component-suites/dash/../../../../etc/passwd"},
    )
    assert response.status_code == 404
    assert "root:" not in response.get_data(as_text=True)


def test_an_unexpected_error_is_logged_and_short(
    app: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("twotier.web").addHandler(handler)

    def broken(*_: Any, **__: Any) -> Any:
        raise ZeroDivisionError("boom")

    from twotier.web import app as web_app

    monkeypatch.setattr(web_app.views, "table_csv", broken)
    try:
        response = client.get("/download/coverage-table.csv")
    finally:
        logging.getLogger("twotier.web").removeHandler(handler)
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "internal error while answering this request; see the server log"
    }
    assert records and records[0].exc_info is not None


# --------------------------------------------------------------------------- fuzzing

_KEYS = st.sampled_from(
    ["tab", "policy", "threshold", "year", "edition", "ea", "eb", "eyear", "allies",
     "policies", "horizon", "scenario", "draws", "seed", "toml", "zzz", ""]
)  # fmt: skip
_VALUES = (
    st.text(max_size=12)
    | st.sampled_from(["-1", "1e308", "nan", "inf", "0", "2024", "99999999999", "1" * 500])
    | st.sampled_from(["coverage", "projections", "negotiation", "uploaded", "latest"])
)
_QUERY = st.lists(st.tuples(_KEYS, _VALUES), max_size=5).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs)
)


@FUZZ
@given(query=_QUERY | st.text(max_size=60))
def test_fuzz_the_view_callback_url_state(app: Any, client: Any, query: str) -> None:
    response = _post(client, _body(app, "..content.children", {"url": query}))
    _assert_clean(response)


@FUZZ
@given(query=_QUERY)
def test_fuzz_the_json_api_and_downloads(client: Any, query: str) -> None:
    from urllib.parse import quote

    safe = quote(query, safe="?=&")
    _assert_clean(client.get("/api/coverage" + safe))
    _assert_clean(client.get("/download/coverage-table.csv" + safe))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(prefix=st.sampled_from(["..content.children", "..uploaded.data", "..year.min"]),
       values=st.dictionaries(st.sampled_from(["url", "upload", "policy", "year", "threshold",
                                               "seed", "draws", "tab", "allies", "uploaded",
                                               "drawn"]),
                              _JSON, max_size=6),
       changed=st.integers(0, 12))  # fmt: skip
def test_fuzz_callback_payloads(
    app: Any, client: Any, prefix: str, values: dict[str, Any], changed: int
) -> None:
    """Any values, triggered by any input (a control, or the link), and any "drawn" state."""
    inputs = _callback(app, prefix)[1]["inputs"]
    _assert_clean(_post(client, _body(app, prefix, values, changed % len(inputs))))


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("year=2024&threshold=2&policy=two-tier-2pct", 400),  # review D25: threshold was ignored
        ("year=2024&threshold=2&policy=threshold", 200),
        ("year=2024&threshold=2", 200),
        ("year=2024&policy=two-tier-2pct", 200),
    ],
)
def test_api_takes_a_policy_or_a_threshold_not_both(client: Any, query: str, status: int) -> None:
    answer = client.get(f"/api/coverage?{query}")
    assert answer.status_code == status
    if status == 400:
        _assert_clean(answer)
        assert answer.get_json()["field"] == "threshold"
        assert "give either policy or threshold" in answer.get_json()["error"]


def test_a_bad_upload_is_named_after_its_control_and_file(app: Any, client: Any) -> None:
    text = "[policy]\nid='x'\ntitle='t'\nsource='s'\ndate='2024'\n[[tier1.criteria]]\n" \
        "indicator='pct_gdp'\nthreshold='two'\n"  # fmt: skip
    contents = "data:application/toml;base64," + base64.b64encode(text.encode()).decode()
    body = _body(app, "..uploaded.data", {"upload": contents, "policy": []})
    for state in body["state"]:
        if state["property"] == "filename":
            state["value"] = "mine.toml"
    response = _post(client, body)
    _assert_clean(response)
    answer = response.get_data(as_text=True)
    assert "Uploaded policy (mine.toml): key tier1.criteria[0].threshold: expected" in answer
    assert "mine.toml: mine.toml" not in answer and "Traceback" not in answer


def test_unknown_names_are_not_echoed_in_full(client: Any) -> None:
    """Second review, L6: a 100,000-character parameter name came back twice (200 kB)."""
    answer = client.get("/api/coverage?year=2024&" + "x" * 100_000 + "=1")
    assert answer.status_code == 400
    _assert_clean(answer)
    assert len(answer.data) < 1_000


def test_unknown_keys_in_a_callback_request_get_400(app: Any, client: Any) -> None:
    """Second review, M4: an ignored 4 MB key rode along into the view cache."""
    prefix = next(iter(app.callback_map))
    body = dict(_body(app, prefix, {}), junk="j" * 1000)
    answer = _post(client, body)
    assert answer.status_code == 400
    _assert_clean(answer)
    assert "'junk': unknown key" in answer.get_data(as_text=True)


def _prop_body(app: Any, prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """A callback request with values by ``id.property`` (the slider has several)."""
    body = _body(app, prefix, {})
    for group in ("inputs", "state"):
        for item in body[group]:
            item["value"] = values.get(f"{item['id']}.{item['property']}")
    return body


SLIDER = {"year.value": 2020, "year.min": 2014, "year.max": 2026, "year-timer.disabled": True}


@pytest.mark.parametrize(
    "change",
    [
        {"year.value": "abc"}, {"year.value": "1e400"}, {"year.value": "2024.5"},
        {"year.value": -5}, {"year.min": None}, {"year.min": "a"}, {"year.max": [1]},
        {"year.max": {"a": 1}}, {"year.min": 2030}, {"year-timer.disabled": "yes"},
    ],
)  # fmt: skip
@pytest.mark.parametrize("prefix", ["..year-timer.disabled", "..year.value"])
def test_crafted_slider_states_never_give_500(
    app: Any, client: Any, prefix: str, change: dict[str, Any]
) -> None:
    """Second adversarial pass, M1: the play and tick callbacks gave 500 on these."""
    values = {**SLIDER, "year-play.n_clicks": 1, "year-timer.n_intervals": 3, **change}
    answer = _post(client, _prop_body(app, prefix, values))
    _assert_clean(answer)
    if answer.status_code == 200:  # a sane answer: a year within the slider's span
        year = json.loads(answer.data)["response"]["year"]["value"]
        assert isinstance(year, int) and 2014 <= year <= 2026


def test_the_slider_still_ticks(app: Any, client: Any) -> None:
    values = {**SLIDER, "year-timer.n_intervals": 3}
    answer = _post(client, _prop_body(app, "..year.value", values))
    assert answer.status_code == 200
    assert json.loads(answer.data)["response"]["year"]["value"] == 2021


def test_a_tick_never_starts_the_timer_again(app: Any, client: Any) -> None:
    """Only the Play button starts the play: a tick sent just before Pause and answered
    after it left the timer running (the tick answered ``disabled: False``)."""
    for year, stops in [(2020, False), (2025, True)]:  # 2026 is the slider's last year
        values = {**SLIDER, "year.value": year, "year-timer.n_intervals": 3}
        answer = json.loads(_post(client, _prop_body(app, "..year.value", values)).data)
        timer = answer["response"].get("year-timer", {})
        assert answer["response"]["year"]["value"] == year + 1
        assert timer == ({"disabled": True} if stops else {}), answer

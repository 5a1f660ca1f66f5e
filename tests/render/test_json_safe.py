"""JSON output is strict JSON: no NaN or Infinity tokens, whatever the numbers."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from twotier.render.json_safe import dumps_json, json_ready


def _strict(text: str) -> object:
    def refuse(token: str) -> object:
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_and_missing_become_null() -> None:
    doc = {
        "a": math.inf,
        "b": [-math.inf, math.nan, pd.NA, None, np.float32("inf"), np.int64(3)],
        "c": (np.float64(1.5), np.bool_(True)),
    }
    assert _strict(dumps_json(doc)) == {
        "a": None,
        "b": [None, None, None, None, None, 3],
        "c": [1.5, True],
    }


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_document_serialises_to_strict_json(doc: object) -> None:
    parsed = _strict(dumps_json(doc, indent=2))
    assert parsed == json_ready(doc)

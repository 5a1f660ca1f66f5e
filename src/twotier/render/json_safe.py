"""JSON that is always valid JSON: NaN, infinities and ``pd.NA`` become ``null``.

:func:`json.dumps` writes ``NaN`` and ``Infinity`` by default, which no strict JSON
parser accepts. :func:`json_ready` converts a document of dicts, lists, numpy
scalars and pandas missing values into plain JSON values; :func:`dumps_json` then
serialises with ``allow_nan=False``, so an overlooked non-finite number fails loudly
here instead of producing invalid output.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pandas as pd

__all__ = ["dumps_json", "json_ready"]


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _scalar(value.item())
    return str(value)


def json_ready(obj: Any) -> Any:
    """A copy of ``obj`` holding only JSON values (non-finite numbers become ``None``)."""
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    return _scalar(obj)


def dumps_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise ``obj`` as strict JSON (see :func:`json_ready`)."""
    return json.dumps(json_ready(obj), ensure_ascii=False, indent=indent, allow_nan=False)

"""Plain JSON values from results: NaN, infinities and ``pd.NA`` become ``None``.

The core's half of strict JSON (:mod:`twotier.render.json_safe` serialises with
``allow_nan=False`` on top of it), so results can give ``to_json_dict()`` without
importing the presentation layer.

>>> json_ready({"a": float("nan"), "b": (1, 2.5)})
{'a': None, 'b': [1, 2.5]}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import pandas as pd

__all__ = ["json_ready"]


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
    """Return a copy of ``obj`` holding only JSON values.

    Dicts, lists and tuples are copied; frames become lists of records; dataclasses
    become dicts; numpy scalars become Python numbers; non-finite numbers and missing
    values become ``None``; anything else becomes its ``str``.

    Parameters
    ----------
    obj
        A document of dicts, lists, frames, dataclasses and scalars.

    Returns
    -------
    Any
        The same document in JSON values.
    """
    if isinstance(obj, pd.DataFrame):
        return json_ready(obj.to_dict(orient="records"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return json_ready({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = sorted(obj, key=str) if isinstance(obj, set | frozenset) else obj
        return [json_ready(v) for v in items]
    return _scalar(obj)

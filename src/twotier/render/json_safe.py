"""JSON that is always valid JSON: NaN, infinities and ``pd.NA`` become ``null``.

:func:`json.dumps` writes ``NaN`` and ``Infinity`` by default, which no strict JSON
parser accepts. The core's :func:`twotier._json.json_ready` converts a document of
dicts, lists, frames, numpy scalars and pandas missing values into plain JSON values;
:func:`dumps_json` then serialises with ``allow_nan=False``, so an overlooked
non-finite number fails loudly here instead of producing invalid output.
"""

from __future__ import annotations

import json
from typing import Any

from twotier._json import json_ready

__all__ = ["dumps_json", "json_ready"]


def dumps_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise ``obj`` as strict JSON (see :func:`json_ready`)."""
    return json.dumps(json_ready(obj), ensure_ascii=False, indent=indent, allow_nan=False)

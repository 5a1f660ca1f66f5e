"""The convention every model's result follows (projection, negotiation, and new models).

A model's public function (``twotier.project``, ``twotier.negotiate``, ...) returns a
**frozen dataclass** that subclasses :class:`ModelResult` and holds:

- its **frames**: one field per tidy :class:`pandas.DataFrame` (documented columns;
  ``None`` for a frame the run did not compute);
- the **parameters used**: a field ``params`` holding the model's frozen parameter
  dataclass after defaults were filled in (or the parameters inside ``meta`` for older
  results);
- ``meta``: a ``dict`` with at least ``model`` (its name), ``version``
  (``twotier.__version__``), ``seed`` (the int seed used, ``None`` if no randomness),
  and ``edition`` (the NATO edition of the figures, ``None`` if none), plus anything
  needed to reproduce or cite the run (scenario, data dates, scheduler-free settings).

:meth:`ModelResult.to_json_dict` then gives one document, always valid JSON (no NaN or
Infinity: missing and non-finite numbers become ``null``): ``{field: value}`` in field
order, frames as lists of records. :meth:`ModelResult.frames` lists the frames, for
users' checks (:mod:`twotier.testing`) and exports.

Example of a new model's result (in ``models/<model>/api.py``)::

    @dataclass(frozen=True)
    class ResponseResult(ModelResult):
        allies: pd.DataFrame
        params: ResponseParams
        meta: dict[str, object]
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from twotier._json import json_ready

__all__ = ["ModelResult"]


class ModelResult:
    """Mixin of models' result dataclasses: ``frames()`` and ``to_json_dict()``."""

    __slots__ = ()

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return the result's frames by field name (frames not computed are left out).

        Returns
        -------
        dict of str to pandas.DataFrame
            In field order.
        """
        return {
            f.name: value
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if isinstance(value := getattr(self, f.name), pd.DataFrame)
        }

    def to_json_dict(self) -> dict[str, Any]:
        """Return the whole result as JSON values (frames as records, NaN as ``None``).

        Returns
        -------
        dict
            ``{field: value}`` in field order; ``json.dumps(..., allow_nan=False)``
            accepts it.
        """
        return {
            f.name: json_ready(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }

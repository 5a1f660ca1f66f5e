"""The results convention: frames, parameters used, metadata; always-valid JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import twotier
from twotier.models.result import ModelResult


@dataclass(frozen=True)
class Toy(ModelResult):
    table: pd.DataFrame
    missing: pd.DataFrame | None
    params: twotier.ProjectionParams
    meta: dict[str, object]


def test_to_json_dict_is_strict_json_and_keeps_every_field() -> None:
    frame = pd.DataFrame(
        {"x": [1.0, math.nan, math.inf], "n": np.array([1, 2, 3]), "s": ["a", None, "c"]}
    )
    toy = Toy(
        frame, None, twotier.ProjectionParams(draws=5), {"seed": np.int64(3), "edition": None}
    )
    doc = toy.to_json_dict()
    text = json.dumps(doc, allow_nan=False)  # raises on NaN or Infinity
    assert list(doc) == ["table", "missing", "params", "meta"]
    assert doc["table"] == [
        {"x": 1.0, "n": 1, "s": "a"},
        {"x": None, "n": 2, "s": None},
        {"x": None, "n": 3, "s": "c"},
    ]
    assert doc["params"]["draws"] == 5 and doc["meta"] == {"seed": 3, "edition": None}
    assert json.loads(text) == doc
    assert list(toy.frames()) == ["table"]


def test_negotiate_follows_the_convention_and_matches_the_engine() -> None:
    from twotier.models.negotiation import engine, montecarlo

    result = twotier.negotiate(draws=200, rng=7)
    params, scenario = twotier.negotiation_params("default")
    pd.testing.assert_frame_equal(result.outcomes, engine.evaluate_negotiation(params))
    sim = montecarlo.simulate_negotiation(params, scenario.uncertainties, 200, rng=7)
    pd.testing.assert_frame_equal(result.simulation, sim.summary)
    assert result.params == params and result.sweep is None
    assert result.meta["seed"] == 7 and result.meta["version"] == twotier.__version__
    json.dumps(result.to_json_dict(), allow_nan=False)


def test_negotiate_records_a_fresh_seed_and_repeats_from_it() -> None:
    first = twotier.negotiate(draws=50)
    seed = first.meta["seed"]
    assert isinstance(seed, int)
    again = twotier.negotiate(draws=50, rng=seed)
    pd.testing.assert_frame_equal(first.simulation, again.simulation)


def test_negotiate_sweep_and_errors_name_the_field() -> None:
    params, _ = twotier.negotiation_params("default")
    values = twotier.aid_sweep_values(params)
    assert values[0] == 0.0 and values[-1] == pytest.approx(3 * params.aid_baseline_eur_bn)
    result = twotier.negotiate(sweep=("aid_rise_eur_bn", values))
    assert result.sweep is not None and len(result.sweep) == 13 * len(result.outcomes)
    for kwargs, field in [
        ({"draws": -1}, "draws"),
        ({"draws": 10, "rng": -1}, "rng"),
        ({"sweep": ("nope", [1.0])}, "sweep"),
        ({"overrides": {"nope": 1.0}}, "set"),
        ({"sobol": 100, "rng": 1}, "sobol"),
        ({"resources_basis": "nominal"}, "resources_basis"),
    ]:
        with pytest.raises(twotier.InputError) as info:
            twotier.negotiate(**kwargs)  # type: ignore[arg-type]
        assert info.value.field == field

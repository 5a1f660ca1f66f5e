"""The one randomness contract (SPEC 7): seeds and Generators, refused values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twotier._random import MAX_SEED, as_generator, as_seed, check_seed
from twotier.errors import InputError


@given(seed=st.integers(0, MAX_SEED))
def test_a_seed_gives_numpys_stream_for_that_seed(seed: int) -> None:
    expected = np.random.default_rng(seed).random(3)
    np.testing.assert_array_equal(as_generator(seed).random(3), expected)
    assert as_seed(seed) == seed


def test_a_generator_is_used_as_is() -> None:
    g = np.random.default_rng(5)
    assert as_generator(g) is g
    # as_seed draws from it: reproducible from the Generator's state, and it advances.
    first = as_seed(np.random.default_rng(5))
    assert first == as_seed(np.random.default_rng(5))
    assert 0 <= first < 2**63


@given(seed=st.integers(max_value=-1))
def test_negative_seeds_are_refused_naming_the_field(seed: int) -> None:
    with pytest.raises(InputError, match=r"^draw_seed: expected a seed") as info:
        as_generator(seed, field="draw_seed")
    assert info.value.field == "draw_seed"


@pytest.mark.parametrize(
    "bad", [True, False, 2.0, 2.5, "1", MAX_SEED + 1, np.random.RandomState(1), [1]]
)
def test_values_that_are_not_seeds_are_refused(bad: object) -> None:
    with pytest.raises(InputError) as info:
        as_generator(bad, field="rng")  # type: ignore[arg-type]
    assert info.value.field == "rng"
    assert len(str(info.value).splitlines()) == 1
    with pytest.raises(InputError):
        check_seed(bad)


def test_numpy_integers_are_seeds() -> None:
    assert check_seed(np.int64(3)) == 3
    assert as_seed(np.uint32(7)) == 7  # type: ignore[arg-type]


def test_none_gives_fresh_entropy() -> None:
    # Two fresh generators agree on 8 doubles with probability ~0: a real check of
    # "not a fixed default seed".
    assert not np.array_equal(as_generator(None).random(8), as_generator(None).random(8))

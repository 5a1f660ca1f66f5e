"""Heavy-tailed ally shocks and the origin calibration: recovery, hand computation, no
look-ahead."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import twotier
from twotier.models.projection.history import History, build_history
from twotier.models.response.calibrate import _slope, calibrate, pseudo_errors, truncate
from twotier.models.response.fit import _student_t, fit_response


@pytest.fixture(scope="module")
def history() -> History:
    return build_history(twotier.load_data(), "2024-06", 2020)


@pytest.mark.parametrize(("df", "scale"), [(3.0, 0.07), (8.0, 0.05)])
def test_student_t_fit_recovers_scale_and_degrees_of_freedom(df: float, scale: float) -> None:
    draws = scale * np.random.default_rng(int(df)).standard_t(df, 4000)
    got_scale, got_df = _student_t(draws)
    assert got_scale == pytest.approx(scale, rel=0.1)
    assert got_df == pytest.approx(df, rel=0.35)


def test_normal_shocks_give_a_normal_fit() -> None:
    got_scale, got_df = _student_t(np.random.default_rng(2).normal(0.0, 0.05, 4000))
    assert got_df >= 30 and got_scale == pytest.approx(0.05, rel=0.08)


def test_drift_correction_is_the_least_squares_slope_through_the_origin() -> None:
    """δ = Σ h e / Σ h² equals numpy's least squares of e on h without intercept."""
    rng = np.random.default_rng(0)
    h = rng.integers(1, 6, 200)
    err = 0.03 * h + rng.normal(0, 0.05, 200)
    frame = pd.DataFrame({"horizon": h, "error": err, "target": 2015 + rng.integers(0, 6, 200)})
    delta, se = _slope(frame)
    expected = np.linalg.lstsq(h[:, None].astype(float), err, rcond=None)[0][0]
    assert delta == pytest.approx(expected, rel=1e-12)
    assert 0 < se < 0.02


def test_truncated_history_equals_the_history_built_as_of_that_year(history: History) -> None:
    data = twotier.load_data()
    short = truncate(history, 2017)
    built = build_history(data, "2024-06", 2017)
    assert short.years == built.years
    np.testing.assert_array_equal(short.share, built.share)
    np.testing.assert_array_equal(short.breaks, built.breaks)


def test_calibration_uses_no_figure_after_the_origin(history: History) -> None:
    """Scrambling every figure of the edition after the origin leaves δ bit-identical."""
    full = build_history(twotier.load_data(), "2024-06")
    scrambled = full.share.copy()
    later = [j for j, y in enumerate(full.years) if y > history.as_of]
    scrambled[:, later] = np.random.default_rng(1).uniform(0.5, 5.0, (len(full.iso3), len(later)))
    cut = truncate(dataclasses.replace(full, share=scrambled), history.as_of)
    a = calibrate(history, fit_response(history), np.random.default_rng(3))
    b = calibrate(cut, fit_response(cut), np.random.default_rng(3))
    assert a.drift_correction == b.drift_correction and a.calibration_cases > 0


def test_pseudo_forecasts_reach_only_years_up_to_the_origin(history: History) -> None:
    errors = pseudo_errors(history, np.random.default_rng(0))
    assert errors["target"].max() == history.as_of
    assert (errors["origin"] < errors["target"]).all()
    assert errors["horizon"].between(1, 5).all()
    assert (errors["target"] - errors["origin"] == errors["horizon"]).all()


def test_a_shift_of_every_later_figure_moves_the_correction_by_its_slope(
    history: History,
) -> None:
    """Add k·0.05 to the log share k years after the first pseudo-origin's figures: the
    same draws (same seed) give a correction larger by about 0.05 per year (the refits
    at later pseudo-origins see the shift too, so only the sign and size are checked)."""
    base = calibrate(history, fit_response(history), np.random.default_rng(5))
    years = np.asarray(history.years)
    bump = np.exp(0.05 * np.clip(years - (years[0] + 2), 0, None))[None, :]
    shifted = dataclasses.replace(history, share=history.share * bump)
    moved = calibrate(shifted, fit_response(shifted), np.random.default_rng(5))
    assert moved.drift_correction > base.drift_correction

"""Estimate the allies' response model from one edition's history (statsmodels OLS).

Model (``x = log share``, year ``t``, ally ``i``; issue #12 item 1):

``Δx_it = c_t + a_b B_i + a_p P_i + (b_0 + b_b B_i + b_p P_i) · pull_it + e_it``

- ``pull_it = max(log L_t - x_i,t-1, 0) / max(D_t - t + 1, 1)``: the log gap to the line
  ``L_t`` of the guideline in force (Wales 2014: 2 % by 2024; The Hague 2025: 3.5 % core
  by 2035), divided by the years left to its deadline ``D_t`` (1 once it has passed). A
  speed of 1 closes the gap on schedule.
- ``B_i``: land border with Russia or Belarus (0/1); ``P_i``: proximity, 1000 km over the
  great-circle distance of the capital from Moscow (``allies.csv``).
- ``c_t``: common year shocks (year fixed effects; 2022 is one); in the future
  ``c_t ~ N(c̄, σ_c²)`` with ``c̄`` and ``σ_c`` drawn from their sampling distributions.
- ``e_it = ρ e_i,t-1 + u_it``, ``u_it = σ_u t_ν``: persistent ally shocks, so the spread
  of k-year changes grows with k; common shocks make allies' changes correlated. ``t_ν`` is
  Student's t with ``ν`` degrees of freedom, fitted by maximum likelihood (scipy): the
  residuals are heavy-tailed (kurtosis 11-21 from origin 2019 on, e.g. Bulgaria's 2019
  aircraft purchase), and a normal fitted to them makes ordinary years far too uncertain.
- ``δ``: drift correction learnt from earlier origins (:mod:`.calibrate`; 0 unless set).
- Bunching: a draw landing within ``w`` below a line in force is placed on the line with
  probability ``π``, estimated from the excess of figures just above lines over just below.

Coefficients and their cluster-robust (by ally) covariance come from statsmodels; the
simulation draws coefficients from that normal, so parameter uncertainty is in the draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from twotier.errors import InputError
from twotier.models.projection.history import History

__all__ = [
    "COEFFICIENTS",
    "GUIDELINES",
    "Guideline",
    "ResponseFit",
    "exposure",
    "fit_response",
    "guideline_arrays",
]

Float = NDArray[np.float64]

MOSCOW = (55.7558, 37.6173)  # Kremlin, decimal degrees
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Guideline:
    """A spending guideline allies pledged: ``line_pct`` of GDP by ``deadline``."""

    name: str
    announced: int
    line_pct: float
    deadline: int
    source: str


GUIDELINES = (
    Guideline("Wales 2014", 2014, 2.0, 2024,
              "Wales Summit Declaration, 5 Sep 2014, para 14 (move towards 2 % within a decade)"),
    Guideline("The Hague 2025", 2025, 3.5, 2035,
              "The Hague Summit Declaration, 25 Jun 2025 (3.5 % core defence by 2035)"),
)  # fmt: skip

#: Names of the slope coefficients (order of the simulation's parameter vector).
COEFFICIENTS = ("border", "proximity", "pull", "pull_border", "pull_proximity")


def exposure(allies: pd.DataFrame) -> tuple[Float, Float]:
    """Land border with Russia or Belarus (0/1) and proximity (1000 km / distance)."""
    border = (allies["land_border_russia"] | allies["land_border_belarus"]).to_numpy(float)
    lat1, lon1 = (
        np.radians(allies["capital_lat"].to_numpy(float)),
        np.radians(allies["capital_lon"].to_numpy(float)),
    )
    lat2, lon2 = math.radians(MOSCOW[0]), math.radians(MOSCOW[1])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * math.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
    return border, 1000.0 / distance


def guideline_arrays(years: list[int], known_in: int) -> tuple[Float, Float]:
    """Line (%) and pace factor ``1/max(D - t + 1, 1)`` per year, for the guideline in force.

    A guideline is in force from its announcement year; only guidelines announced by
    ``known_in`` are used (a forecast made in 2019 does not know The Hague 2025).
    Years before any guideline get NaN lines.
    """
    line = np.full(len(years), np.nan)
    pace = np.zeros(len(years))
    for j, year in enumerate(years):
        known = [g for g in GUIDELINES if g.announced <= min(year, known_in)]
        if known:
            g = known[-1]
            line[j] = g.line_pct
            pace[j] = 1.0 / max(g.deadline - year + 1, 1)
    return line, pace


@dataclass(frozen=True)
class ResponseFit:
    """Estimates of the response model from one history (see the module docstring)."""

    edition: str
    as_of: int
    coef: Float  # COEFFICIENTS
    cov: Float  # their cluster-robust covariance
    year_effects: pd.Series  # c_t
    rho: float
    sigma_u: float
    bunching: float  # π
    bunching_window: float  # w, points of GDP
    bunching_counts: tuple[int, int]  # figures just above / just below a line
    last_resid: Float  # e_i at as_of (0 when unknown)
    n_obs: int
    shock_df: float = math.inf  # ν, Student's t degrees of freedom of u (inf: normal)
    drift_correction: float = 0.0  # δ, log points per year (calibrate.py; 0: none)
    drift_correction_se: float = math.nan
    calibration_cases: int = 0  # pseudo-out-of-sample cases behind δ

    def table(self) -> pd.DataFrame:
        """The estimates with standard errors, for the assumptions table."""
        se = np.sqrt(np.diag(self.cov))
        rows = [
            {"parameter": name, "estimate": float(b), "std_error": float(s),
             "unit": "log points per year" if not name.startswith("pull")
             else "share of the scheduled pace"}
            for name, b, s in zip(COEFFICIENTS, self.coef, se, strict=True)
        ]  # fmt: skip
        c = self.year_effects
        rows += [
            {"parameter": "common_shock_mean", "estimate": float(c.mean()),
             "std_error": float(c.std(ddof=1) / math.sqrt(len(c))) if len(c) > 1 else math.nan,
             "unit": "log points per year"},
            {"parameter": "common_shock_sd", "estimate": float(c.std(ddof=1))
             if len(c) > 1 else math.nan, "std_error": math.nan, "unit": "log points"},
            {"parameter": "ally_shock_persistence", "estimate": self.rho, "std_error": math.nan,
             "unit": "AR(1) coefficient"},
            {"parameter": "ally_shock_scale", "estimate": self.sigma_u, "std_error": math.nan,
             "unit": "log points per year (scale of Student's t)"},
            {"parameter": "ally_shock_df", "estimate": self.shock_df, "std_error": math.nan,
             "unit": "degrees of freedom of Student's t (inf: normal)"},
            {"parameter": "bunching_probability", "estimate": self.bunching,
             "std_error": math.nan, "unit": f"within {self.bunching_window} points below a line"},
            {"parameter": "drift_correction", "estimate": self.drift_correction,
             "std_error": self.drift_correction_se,
             "unit": f"log points per year (from {self.calibration_cases} earlier-origin cases)"},
        ]  # fmt: skip
        frame = pd.DataFrame(rows)
        frame["edition"] = self.edition
        frame["source"] = f"estimated from NATO edition {self.edition}, figures up to {self.as_of}"
        return frame


def _panel(history: History) -> pd.DataFrame:
    years = list(history.years)
    line, pace = guideline_arrays(years, history.as_of)
    border, prox = exposure(history.allies)
    x = np.log(history.share)
    rows = []
    for i, iso3 in enumerate(history.iso3):
        for j in range(1, len(years)):
            dx = x[i, j] - x[i, j - 1]
            if history.breaks[i, j] or not np.isfinite(dx) or np.isnan(line[j]):
                continue
            pull = max(math.log(line[j]) - x[i, j - 1], 0.0) * pace[j]
            rows.append((iso3, years[j], dx, border[i], prox[i], pull))
    frame = pd.DataFrame(rows, columns=["iso3", "year", "dx", "border", "proximity", "pull"])
    frame["pull_border"] = frame["pull"] * frame["border"]
    frame["pull_proximity"] = frame["pull"] * frame["proximity"]
    return frame


def _bunching(history: History, window: float) -> tuple[float, tuple[int, int]]:
    line, _ = guideline_arrays(list(history.years), history.as_of)
    s = history.share
    above = int(np.nansum((s >= line) & (s < line + window)))
    below = int(np.nansum((s >= line - window) & (s < line)))
    total = above + below
    share = (above - below) / total if total else 0.0
    return max(share, 0.0), (above, below)


def _persistence(frame: pd.DataFrame, resid: NDArray[np.float64]) -> float:
    e = frame.assign(e=resid).sort_values(["iso3", "year"])
    lag = e.groupby("iso3")["e"].shift(1)
    ok = lag.notna() & (e["year"] - e.groupby("iso3")["year"].shift(1) == 1)
    if ok.sum() < 10:
        return 0.0
    rho = float((e["e"][ok] * lag[ok]).sum() / (lag[ok] ** 2).sum())
    return float(np.clip(rho, 0.0, 0.9))


#: Bounds of Student's t degrees of freedom: above 2 the variance is finite; above 100 the
#: distribution is a normal for every purpose here.
DF_BOUNDS = (2.5, 100.0)


def _student_t(u: Float) -> tuple[float, float]:
    """Scale and degrees of freedom of Student's t (centre 0) by maximum likelihood."""
    from scipy import stats

    df, _, scale = stats.t.fit(u, floc=0.0)
    df = float(np.clip(df, *DF_BOUNDS))
    if df in DF_BOUNDS:  # on a bound: the scale for that ν
        _, _, scale = stats.t.fit(u, f0=df, floc=0.0)
    return float(scale), df


def _innovations(frame: pd.DataFrame, resid: Float, rho: float) -> Float:
    e = frame.assign(e=resid).sort_values(["iso3", "year"])
    lag = e.groupby("iso3")["e"].shift(1)
    ok = lag.notna() & (e["year"] - e.groupby("iso3")["year"].shift(1) == 1)
    return (e["e"] - rho * lag.where(ok, 0.0)).to_numpy(float)


def fit_response(history: History, *, bunching_window: float = 0.1) -> ResponseFit:
    """Fit the response model to ``history`` by OLS with year effects (statsmodels).

    Standard errors are clustered by ally. ``bunching_window`` (points of GDP) is the band
    below and above a line compared to estimate bunching (default 0.1: the 2025 figures
    cluster in [2.00, 2.02), models review C.1).
    """
    import statsmodels.api as sm

    frame = _panel(history)
    if frame["year"].nunique() < 2 or len(frame) < 3 * len(COEFFICIENTS):
        raise InputError(
            f"as_of: too few years of figures to estimate the response model "
            f"(edition {history.edition}, up to {history.as_of}); use a later year",
            field="as_of",
        )
    dummies = pd.get_dummies(frame["year"], prefix="year", dtype=float)
    exog = pd.concat([frame[list(COEFFICIENTS)], dummies], axis=1)
    groups = pd.factorize(frame["iso3"])[0]
    result = sm.OLS(frame["dx"], exog).fit(cov_type="cluster", cov_kwds={"groups": groups})
    k = len(COEFFICIENTS)
    coef = result.params.to_numpy(float)[:k]
    cov = np.asarray(result.cov_params(), float)[:k, :k]
    cov = (cov + cov.T) / 2 + np.eye(k) * 1e-12
    resid = result.resid.to_numpy(float)
    rho = _persistence(frame, resid)
    dof = max(len(frame) - exog.shape[1], 1)
    u = _innovations(frame, resid, rho) * math.sqrt(len(frame) / dof)
    scale, df = _student_t(u)
    years = pd.Series(result.params.to_numpy(float)[k:], index=sorted(frame["year"].unique()))
    residuals = frame.assign(e=resid)
    last = residuals[residuals["year"] == history.as_of].set_index("iso3")["e"]
    bunching, counts = _bunching(history, bunching_window)
    return ResponseFit(
        edition=history.edition, as_of=history.as_of, coef=coef, cov=cov,
        year_effects=years, rho=rho, sigma_u=scale, shock_df=df,
        bunching=bunching, bunching_window=bunching_window, bunching_counts=counts,
        last_resid=last.reindex(list(history.iso3)).fillna(0.0).to_numpy(float),
        n_obs=len(frame),
    )  # fmt: skip

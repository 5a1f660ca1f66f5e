"""Projections to a horizon year under uncertainty (public API).

Prepares the engine's inputs from one edition's history up to ``as_of``
(:mod:`twotier.models.projection.history`: no back-fill, no splicing of editions, real
GDP growth from NATO's constant-price figures, series breaks excluded), runs it in chunks
of blocks (in process, or on Dask), and turns the bounded statistics into tidy frames.
See :mod:`twotier.models.projection.engine` for the model.

Results are those of a stated model under stated assumptions, not forecasts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from twotier._arguments import checked
from twotier._random import check_seed
from twotier.data import NatoData, load_data
from twotier.data.select import LATEST, check_edition
from twotier.errors import InputError
from twotier.models.projection import engine
from twotier.models.projection.checks import RESPONSE_LINE, check_numbers, check_whole
from twotier.models.projection.history import History, base_status, build_history
from twotier.models.projection.run import check_scheduler, run
from twotier.rules.policy import Policy
from twotier.rules.registry import get_policy

__all__ = ["ProjectionParams", "ProjectionResult", "project"]

SCENARIOS = ("constant", "trend", "target")
#: ``scenario``: the scenario engine below; ``response``: the allies' response model
#: (:mod:`twotier.models.response`, the one the backtest validates; scenario levers unused).
MODELS = ("scenario", "response")
#: The response model runs on one thread (a loop over years): 10^6 draws take about a
#: minute on a shared two-core machine (benchmarks/bench_projection.py).
RESPONSE_DRAWS_MAX = 1_000_000
SHAPES = ("linear", "front", "back")

#: Bounds of the GDP parameters (log real growth per year). The largest real annual change
#: of any ally's GDP in NATO's 2014-2026 figures is -0.17 (Montenegro 2020) and the highest
#: ally mean is below 0.05 (Türkiye): a sustained mean beyond +-0.1 or an s.d. above 0.2
#: per year is far outside anything observed, and together with the horizon bound they keep
#: every money sum finite and exact (reliability review D01).
GROWTH_MEAN_BOUND = 0.1
GROWTH_SD_BOUND = 0.2
#: Last year a projection may reach: The Hague commitment runs to 2035; beyond 2060 the
#: figures carry no information on the path.
HORIZON_MAX = 2060
#: Fields that must be whole numbers or real numbers (InputError before any comparison).
WHOLE_FIELDS = ("horizon", "as_of", "draws", "chunk_size", "trend_window", "target_year")
OPTIONAL_NUMBERS = ("target_pct", "gdp_growth_mean", "gdp_growth_sd", "share_shock_sd")
NUMBER_FIELDS = ("trend_damping", "trend_cap_pct", "implementation_shortfall", *OPTIONAL_NUMBERS)
#: Levers and uncertainties of the scenario engine: the response model estimates its own,
#: so with ``model="response"`` each must keep its default (refused, not silently unused).
SCENARIO_ONLY = ("scenario", "chunk_size", "trend_window", "trend_damping", "trend_cap_pct",
                 "target_pct", "target_year", "target_shape", "implementation_shortfall",
                 *OPTIONAL_NUMBERS[1:])  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectionParams:
    """Inputs of the projection. Levers: scenario, target; uncertainties: growth, shocks.

    ``None`` for ``gdp_growth_mean``, ``gdp_growth_sd`` and ``share_shock_sd`` means
    "estimated from each ally's own history in the data" (shown in ``result.allies``).
    """

    horizon: int = 2035  # last year projected; The Hague 2025 commitment runs to 2035
    as_of: int | None = None  # last year of figures used (default: the edition's last)
    model: str = "scenario"  # scenario | response
    calibrated: bool = True  # response model: drift correction from earlier origins
    scenario: str = "constant"
    draws: int = 10_000
    seed: int = 0
    chunk_size: int = 16 * engine.BLOCK  # draws per task; results do not depend on it
    trend_window: int = 5  # years of the ally's own recent slope (trend)
    trend_damping: float = 0.8  # per year; damped trend (Gardner & McKenzie 1985)
    trend_cap_pct: float = 5.0  # highest share a trend reaches (The Hague total 5 %)
    target_pct: float | None = None  # target scenario: default = the policy's threshold
    target_year: int = 2035  # The Hague 2025 deadline
    target_shape: str = "linear"  # linear | front | back
    implementation_shortfall: float = 0.0  # share of the gap to the target left unclosed
    gdp_growth_mean: float | None = None  # log real growth per year (prices, FX held)
    gdp_growth_sd: float | None = None  # s.d. of log real growth per year
    share_shock_sd: float | None = None  # points of GDP, independent each year

    def __post_init__(self) -> None:
        check_whole(self, WHOLE_FIELDS, optional=("as_of",))
        check_numbers(self, NUMBER_FIELDS, optional=OPTIONAL_NUMBERS)
        checks = [
            ("horizon", 2000 <= self.horizon <= HORIZON_MAX, f"a year from 2000 to {HORIZON_MAX}"),
            ("model", self.model in MODELS, f"one of {', '.join(MODELS)}"),
            ("scenario", self.scenario in SCENARIOS, f"one of {', '.join(SCENARIOS)}"),
            ("draws", 1 <= self.draws <= 10**8, "1 to 100000000"),
            ("chunk_size", 1 <= self.chunk_size <= 10**8, "1 to 100000000"),
            ("trend_window", 2 <= self.trend_window <= 20, "2 to 20 years"),
            ("trend_damping", 0 <= self.trend_damping <= 1, "0 to 1"),
            ("trend_cap_pct", 0 < self.trend_cap_pct <= 20, "above 0 and at most 20"),
            ("target_shape", self.target_shape in SHAPES, f"one of {', '.join(SHAPES)}"),
            ("implementation_shortfall", 0 <= self.implementation_shortfall <= 1, "0 to 1"),
            ("target_year", 2000 <= self.target_year <= 2100, "a year from 2000 to 2100"),
        ]
        optional = (("target_pct", self.target_pct), ("share_shock_sd", self.share_shock_sd))
        for name, value in optional:
            if value is not None:
                checks.append((name, math.isfinite(value) and 0 <= value <= 20, "0 to 20"))
        g, sd = GROWTH_MEAN_BOUND, GROWTH_SD_BOUND
        if self.gdp_growth_mean is not None:
            ok = math.isfinite(self.gdp_growth_mean) and -g <= self.gdp_growth_mean <= g
            checks.append(("gdp_growth_mean", ok, f"-{g} to {g} (log real growth per year)"))
        if self.gdp_growth_sd is not None:
            ok = math.isfinite(self.gdp_growth_sd) and 0 <= self.gdp_growth_sd <= sd
            checks.append(("gdp_growth_sd", ok, f"0 to {sd} (log real growth per year)"))
        if self.as_of is not None:
            checks.append(("as_of", 2000 <= self.as_of <= self.horizon, "a year up to the horizon"))
        for name, ok, accepted in checks:
            if not ok:
                raise InputError(
                    f"{name}: expected {accepted}, found {getattr(self, name)!r}", field=name
                )
        check_seed(self.seed, field="seed")
        _check_model(self)
        if self.target_pct is not None and self.scenario != "target":
            raise InputError(
                f"target_pct: applies only with scenario='target', found {self.scenario!r}",
                field="target_pct",
            )


def _check_model(p: ProjectionParams) -> None:
    """Refuse options of the other model: each is unused by this one (adversarial2 M2)."""
    if not isinstance(p.calibrated, bool):
        raise InputError(f"calibrated: expected True or False, found {p.calibrated!r}"[:120],
                         field="calibrated")  # fmt: skip
    if p.model == "scenario" and not p.calibrated:
        raise InputError("calibrated: applies only to the response model (model 'response'); "
                         "the scenario model has no drift correction",
                         field="calibrated")  # fmt: skip
    if p.model != "response":
        return
    defaults = {f.name: f.default for f in fields(ProjectionParams)}
    for name in SCENARIO_ONLY:
        value = getattr(p, name)
        if value != defaults[name]:
            raise InputError(f"{name}: applies only to the scenario model (model 'scenario'); "
                             f"the response model estimates its own, found {value!r}"[:160],
                             field=name)  # fmt: skip


def _meta_params(p: ProjectionParams) -> dict[str, object]:
    """The parameters the chosen model used (the other model's are left out)."""
    unused = SCENARIO_ONLY if p.model == "response" else ("calibrated",)
    return {k: v for k, v in asdict(p).items() if k not in unused}


@dataclass(frozen=True)
class ProjectionResult:
    """Tidy results and the assumptions behind them.

    ``allies``: one row per ally and year: ``iso3, year, p_tier1, p_tier1_se`` (its Monte
    Carlo standard error), ``share_mean, share_q05, share_q50, share_q95,
    gdp_mean_usd_bn, shortfall_mean_usd_m,
    shortfall_q05_usd_m, shortfall_q50_usd_m, shortfall_q95_usd_m``.
    ``alliance``: one row per year: ``covered_mean``, quantiles of the number of
    allies in tier 1, ``p_all_covered`` and quantiles of the total shortfall.
    ``covered``: the distribution of the number of allies in tier 1 (``year, n_covered,
    probability``). ``assumptions``: per ally, the base year and values and the
    estimated (or given) growth and shock parameters. ``meta``: policy, edition,
    parameters, seed, version. ``parameters``: with ``model="response"``, the response
    model's estimates (name, estimate, s.e., unit, edition, source); else empty.
    """

    allies: pd.DataFrame
    alliance: pd.DataFrame
    covered: pd.DataFrame
    assumptions: pd.DataFrame
    meta: dict[str, object]
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)


def _thresholds(policy: Policy) -> tuple[float | None, set[str]]:
    if policy.grace is not None:
        raise InputError(
            f"policy: {policy.id} has a grace clause, which projections do not model yet; "
            "use a policy without [tier1.grace]",
            field="policy",
        )
    bad = [c for c in policy.criteria if c.indicator != "pct_gdp" or c.basis != "same_year"]
    if bad:
        raise InputError(
            f"policy: {policy.id}: projections model NATO's share of GDP only; criteria on "
            f"{', '.join(sorted({c.indicator + '/' + c.basis for c in bad}))} are not supported",
            field="policy",
        )
    if not policy.criteria:
        return None, set(policy.exempt)
    values = [c.threshold for c in policy.criteria]
    line = max(values) if policy.combine == "all" else min(values)
    return line, set(policy.exempt)


def _slope(series: pd.Series, window: int) -> float:
    tail = series.dropna().iloc[-window:]
    if len(tail) < 2:
        return 0.0
    return float(np.polyfit(tail.index.to_numpy(float), tail.to_numpy(float), 1)[0])


def _resid_sd(series: pd.Series) -> float:
    s = series.dropna()
    if len(s) < 3:
        return float("nan")
    x = s.index.to_numpy(float)
    fit = np.polyval(np.polyfit(x, s.to_numpy(float), 1), x)
    return float(np.std(s.to_numpy(float) - fit, ddof=2))


def _since_break(history: History, row: int) -> pd.Series:
    """The ally's shares from its last series break on (a break splits the series)."""
    series = pd.Series(history.share[row], index=list(history.years))
    broken = [y for y, b in zip(history.years, history.breaks[row], strict=True) if b]
    return series.loc[max(broken) :] if broken else series


def _assumptions(history: History, params: ProjectionParams) -> pd.DataFrame:
    rows = []
    flags = history.flags().set_index("iso3")
    for i, iso3 in enumerate(history.iso3):
        s = _since_break(history, i)
        growth = history.real_growth[i][~np.isnan(history.real_growth[i])]
        mean = float(np.mean(growth)) if growth.size else 0.0
        sd = float(np.std(growth, ddof=1)) if growth.size > 1 else 0.0
        rows.append({
            "iso3": iso3, "edition": history.edition, "base_year": history.as_of,
            "base_share": float(s.iloc[-1]),
            "base_share_halfwidth": float(history.halfwidth[i, -1]),
            "gdp_year": history.as_of, "gdp_usd_bn": float(history.gdp_usd_bn[i]),
            "trend_slope_pp": _slope(s, params.trend_window),
            "gdp_growth_mean": params.gdp_growth_mean if params.gdp_growth_mean is not None
            else float(np.clip(mean, -GROWTH_MEAN_BOUND, GROWTH_MEAN_BOUND)),
            "gdp_growth_sd": params.gdp_growth_sd if params.gdp_growth_sd is not None
            else float(min(sd, GROWTH_SD_BOUND)),
            "share_shock_sd": params.share_shock_sd
            if params.share_shock_sd is not None else _resid_sd(s),
            "history_years": f"{int(s.index[0])}-{int(s.index[-1])}",
            "source": f"NATO edition {history.edition}: Table 3 (share), Table 2 constant "
            "prices / Table 3 (real GDP growth), Table 5 (GDP); figures up to "
            f"{history.as_of}",
            **flags.loc[iso3, ["estimate_years", "rounded_years", "series_breaks"]].to_dict(),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _inputs(
    a: pd.DataFrame, params: ProjectionParams, line: float | None, exempt: set[str]
) -> engine.ProjectionInputs:
    first = int(a["base_year"].min()) + 1
    if params.horizon < first:
        raise InputError(
            f"horizon: expected a year after the last figures ({first - 1}), "
            f"found {params.horizon}",
            field="horizon",
        )
    years = tuple(range(first, params.horizon + 1))
    base_year = a["base_year"].to_numpy(np.int64)
    target = params.target_pct if params.target_pct is not None else line
    if params.scenario == "target" and target is None:
        raise InputError(
            "target_pct: the target scenario needs a target share or a policy threshold",
            field="target_pct",
        )
    path = engine.scenario_paths(
        a["base_share"].to_numpy(float), base_year, years, params.scenario,
        slope=a["trend_slope_pp"].to_numpy(float), damping=params.trend_damping,
        cap=params.trend_cap_pct, target=target, target_year=params.target_year,
        shape=params.target_shape, shortfall=params.implementation_shortfall,
    )  # fmt: skip
    # Every ally starts from the same year (one edition, up to as_of): nothing projected
    # is a published figure, and no earlier year is back-filled.
    known = np.zeros(path.shape, bool)
    threshold = np.full(path.shape, np.nan if line is None else line)
    return engine.ProjectionInputs(
        years=years, path=path, known=known, gdp0=a["gdp_usd_bn"].to_numpy(float),
        gdp_year=a["gdp_year"].to_numpy(np.int64), growth_mean=a["gdp_growth_mean"].to_numpy(float),
        growth_sd=a["gdp_growth_sd"].to_numpy(float),
        share_sd=np.nan_to_num(a["share_shock_sd"].to_numpy(float)),
        threshold=threshold, exempt=a["iso3"].isin(sorted(exempt)).to_numpy(),
    )  # fmt: skip


def _frames(
    acc: engine.Accumulator, inputs: engine.ProjectionInputs, iso3: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = acc.draws
    q = engine.quantile_from_hist
    a, t = inputs.path.shape
    allies = pd.DataFrame({
        "iso3": np.repeat(iso3, t), "year": np.tile(inputs.years, a),
        "p_tier1": (acc.tier1 / n).ravel(),
        "p_tier1_se": np.sqrt(acc.tier1 / n * (1 - acc.tier1 / n) / n).ravel(),
        "share_mean": engine.share_mean(inputs).ravel(),
        "share_q05": engine.share_quantiles(inputs, 0.05).ravel(),
        "share_q50": engine.share_quantiles(inputs, 0.5).ravel(),
        "share_q95": engine.share_quantiles(inputs, 0.95).ravel(),
        "gdp_mean_usd_bn": engine.gdp_mean(inputs).ravel(),
        "shortfall_mean_usd_m": (acc.shortfall_sum / engine.MONEY_SCALE / n).ravel(),
        "shortfall_q05_usd_m": q(acc.shortfall_hist, 0.05).ravel(),
        "shortfall_q50_usd_m": q(acc.shortfall_hist, 0.5).ravel(),
        "shortfall_q95_usd_m": q(acc.shortfall_hist, 0.95).ravel(),
    })  # fmt: skip
    alliance, covered = engine.alliance_frames(acc, list(inputs.years))
    return allies, alliance, covered


def _target_used(p: ProjectionParams, line: float | None) -> dict[str, object]:
    """The target share the scenario used: given, else the policy's line (None: unused)."""
    if p.model != "scenario":
        return {}
    if p.scenario != "target":
        return {"target_pct": None}
    return {"target_pct": p.target_pct if p.target_pct is not None else line}


def _check_response(line: float | None, scheduler: str | None) -> None:
    """The response model's own limits: its threshold range (as ``respond``), one process."""
    lo, hi = RESPONSE_LINE
    if line is not None and not lo <= line <= hi:
        raise InputError(f"threshold: the response model takes a line of {lo} to {hi} % of "
                         f"GDP (as respond does), found {line}", field="threshold")  # fmt: skip
    if scheduler is not None:
        raise InputError("scheduler: applies only to the scenario model; the response model "
                         "runs in this process", field="scheduler")  # fmt: skip


@checked
def project(
    policy: str | Path | Policy,
    params: ProjectionParams | None = None,
    edition: str = LATEST,
    *,
    data: NatoData | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ProjectionResult:
    """Project every ally's share of GDP and GDP to ``params.horizon``.

    ``policy`` is evaluated each year in every draw.

    Parameters
    ----------
    policy
        A policy whose criteria are on NATO's share of GDP (same year), or a
        :func:`~twotier.threshold_policy`.
    params
        :class:`ProjectionParams` (seed, draws, scenario, ...).
    edition
        Figures to start from (``latest`` or an edition with shares and GDP).
    scheduler
        ``None``: in this process, one thread per core. ``"processes"`` /
        ``"threads"``: Dask's local schedulers. Otherwise the address of a Dask scheduler (``tcp://...``).
        Results are identical for the same seed whatever the scheduler or chunk size.
    progress
        Called with (chunks done, chunks) after each chunk (in-process runs); the
        response model runs as one piece and calls it once, with (1, 1), when done.
    """
    p = params or ProjectionParams()
    d = load_data() if data is None else data
    check_edition(d, edition)
    pol = get_policy(policy)
    line, exempt = _thresholds(pol)
    check_scheduler(scheduler)
    if p.model == "response":
        _check_response(line, scheduler)
    history = build_history(d, edition, p.as_of)
    assumptions = _assumptions(history, p)
    assumptions.insert(5, "base_status", base_status(assumptions, line, exempt))
    parameters = pd.DataFrame()
    inputs = _inputs(assumptions, p, line, exempt)  # checks the horizon for both models
    if p.model == "response":
        if p.draws > RESPONSE_DRAWS_MAX:
            raise InputError(f"draws: the response model accepts 1 to {RESPONSE_DRAWS_MAX}, "
                             f"found {p.draws}", field="draws")  # fmt: skip
        from twotier.models.response.project import project_response

        allies, alliance, covered, parameters = project_response(
            history, line, exempt, p.horizon, p.draws, p.seed, calibrated=p.calibrated
        )
        if progress is not None:
            progress(1, 1)
    else:
        acc = run(inputs, p.seed, p.draws, p.chunk_size, scheduler, progress)
        allies, alliance, covered = _frames(acc, inputs, list(assumptions["iso3"]))
    from twotier import __version__

    meta: dict[str, object] = {
        "policy": pol.id, "threshold_pct": line, "exempt": sorted(exempt),
        "version": __version__, **_meta_params(p), **_target_used(p, line),
        "edition": history.edition, "as_of": history.as_of,
        "gdp_basis": f"real growth from NATO's constant-price figures; US$ at {history.as_of} "
        "prices and exchange rates (held at their last value)",
    }  # fmt: skip
    return ProjectionResult(allies, alliance, covered, assumptions, meta, parameters)

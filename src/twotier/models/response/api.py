"""A two-tier rule as an incentive: allies' response with and without the rule (public API).

Both paths are simulated with the same random numbers (common random numbers), so the
difference between them is the rule's effect in the stated model, not noise. The
strength of a threat of losing Article 5 relative to a pledge (``threat``) cannot be
identified from NATO's figures: it is a named parameter, and
:func:`simulate_rule_response` reports results for each value of a range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from twotier._arguments import checked
from twotier.data import NatoData, load_data
from twotier.errors import InputError, UnknownAllyError
from twotier.models.projection.backtest import normalize_rng
from twotier.models.projection.checks import RESPONSE_LINE, check_numbers, check_whole, is_number
from twotier.models.projection.history import build_history
from twotier.models.response.calibrate import calibrate
from twotier.models.response.engine import ResponseInputs, simulate
from twotier.models.response.fit import GUIDELINES, fit_response
from twotier.models.response.inputs import response_inputs
from twotier.models.response.tally import CHUNK, Tally, hist_quantile

__all__ = ["ResponseParams", "ResponseResult", "simulate_rule_response"]

#: Range of the threat strength shown by default: 0.5 (a threat of exclusion is taken half
#: as seriously as a pledge) to 3 (three times as seriously). No study measures it; the
#: range brackets "weaker than a pledge" to "much stronger" (illustrative assumption).
THREAT_RANGE = (0.5, 1.0, 2.0, 3.0)
#: Most threat values in one call: each is one more simulation of every draw and one more
#: share histogram (13 MB at 32 allies to 2060); ten cover 0 to 10 in steps of one.
MAX_THREATS = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseParams:
    """Inputs of :func:`simulate_rule_response` (units in the comments)."""

    threshold_pct: float = 2.0  # the rule's line, % of GDP
    horizon: int = 2035  # last year simulated
    rule_deadline: int | None = None  # year by which the rule expects the line (default: at once)
    threats: tuple[float, ...] = THREAT_RANGE  # threat vs pledge strength, dimensionless
    draws: int = 4000
    as_of: int | None = None  # last year of figures used
    bunching_window_pct: float = 0.1  # points of GDP below/above a line (models review C.1)
    calibrated: bool = True  # drift correction learnt from earlier origins (calibrate.py)

    def __post_init__(self) -> None:
        check_whole(self, ("horizon", "draws", "rule_deadline", "as_of"),
                    optional=("rule_deadline", "as_of"))  # fmt: skip
        check_numbers(self, ("threshold_pct", "bunching_window_pct"))
        _check_threats(self.threats)
        if not isinstance(self.calibrated, bool):
            raise InputError(f"calibrated: expected True or False, found {self.calibrated!r}",
                             field="calibrated")  # fmt: skip
        checks = [
            ("threshold_pct", math.isfinite(self.threshold_pct) and RESPONSE_LINE[0]
             <= self.threshold_pct <= RESPONSE_LINE[1], "{} to {}".format(*RESPONSE_LINE)),
            ("horizon", 2000 <= self.horizon <= 2060, "a year from 2000 to 2060"),
            ("threats", all(0 <= k <= 10 for k in self.threats), "values 0 to 10"),
            ("draws", 100 <= self.draws <= 200_000, "100 to 200000"),
            ("bunching_window_pct", 0 < self.bunching_window_pct <= 0.5, "above 0, at most 0.5"),
            ("rule_deadline", self.rule_deadline is None or 2000 <= self.rule_deadline
             <= self.horizon, f"a year after the last figures, at most {self.horizon}"),
        ]  # fmt: skip
        for name, ok, accepted in checks:
            if not ok:
                found = getattr(self, name)
                if name == "threats":  # the value out of range, not the whole tuple
                    found = next(k for k in self.threats if not 0 <= k <= 10)
                raise InputError(f"{name}: expected {accepted}, found {found!r}", field=name)


def _check_threats(threats: object) -> None:
    if not isinstance(threats, tuple | list) or not all(is_number(k) for k in threats):
        raise InputError(f"threats: expected a tuple of numbers such as (0.5, 1.0), found "
                         f"{str(threats)[:60]!r}", field="threats")  # fmt: skip
    if not 1 <= len(threats) <= MAX_THREATS:
        raise InputError(f"threats: expected 1 to {MAX_THREATS} values, found {len(threats)}",
                         field="threats")  # fmt: skip
    twice = sorted({k for k in threats if threats.count(k) > 1})
    if twice:
        raise InputError(f"threats: {twice[0]} is given twice; give each once", field="threats")


def _check_exempt(exempt: object, known: Sequence[str]) -> set[str]:
    """The exempt allies' codes; a bare string or an unknown code is refused."""
    if isinstance(exempt, str) or not isinstance(exempt, Iterable):
        raise InputError(f"exempt: expected a list of ally codes such as ['POL'], found "
                         f"{str(exempt)[:60]!r}", field="exempt")  # fmt: skip
    codes = list(exempt)
    unknown = [c for c in codes if not isinstance(c, str) or c not in known]
    if unknown:
        raise UnknownAllyError(f"exempt: unknown ally code {str(unknown[0])[:60]!r}; "
                               f"accepted: {', '.join(known)}", field="exempt")  # fmt: skip
    return set(codes)


@dataclass(frozen=True)
class ResponseResult:
    """The response model's results.

    ``allies``: per threat, ally and year, P(at or above the line) without and with the
    rule and their Monte Carlo standard errors, and the median share without and with it
    (to 0.01 points: draws are summarised in chunks, see
    :mod:`~twotier.models.response.tally`); ``alliance``: per threat and year, expected
    number covered (with s.e. and 5/50/95 % quantiles) and the money the response adds
    (US$ m at the last year's prices and exchange rates, with s.e.); ``assumptions``: the
    estimated parameters with edition and source; ``params``; ``meta``.
    """

    allies: pd.DataFrame
    alliance: pd.DataFrame
    assumptions: pd.DataFrame
    params: dict[str, object] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)


def _mcse(p: np.ndarray, n: int) -> np.ndarray:
    return np.sqrt(p * (1 - p) / n)


def _simulate(
    base_inputs: ResponseInputs, rule_inputs: list[ResponseInputs], line: float, seed: int,
    draws: int,
) -> tuple[Tally, list[Tally]]:  # fmt: skip
    """Summaries without the rule and with it (per threat), simulated in chunks.

    Chunk ``i`` draws from the ``i``-th child of ``seed`` for both paths (common random
    numbers), so memory is bounded by :data:`~twotier.models.response.tally.CHUNK` draws.
    """
    a, t = len(base_inputs.share0), len(base_inputs.years)
    base_tally = Tally(a, t, line)
    rule_tallies = [Tally(a, t, line) for _ in rule_inputs]
    chunks = np.random.SeedSequence(seed).spawn(math.ceil(draws / CHUNK))
    for i, child in enumerate(chunks):
        n = min(CHUNK, draws - i * CHUNK)
        base, gdp = simulate(base_inputs, np.random.default_rng(child), n)
        base_tally.add(base, None, gdp)
        for inputs, tally in zip(rule_inputs, rule_tallies, strict=True):
            rule, _ = simulate(inputs, np.random.default_rng(child), n)
            tally.add(rule, base, gdp)
    return base_tally, rule_tallies


@checked
def simulate_rule_response(
    params: ResponseParams | None = None, edition: str = "latest", *,
    rng: int | np.random.Generator | None = 0, exempt: Sequence[str] = (),
    data: NatoData | None = None,
) -> ResponseResult:  # fmt: skip
    """Simulate allies' shares without and with a two-tier rule at ``threshold_pct``.

    For each ``threat`` in ``params.threats`` the rule pulls allies toward its line at
    ``threat`` times the estimated speed of response to a pledge; without the rule only
    the pledged guideline in force pulls. Same seed, same result.
    """
    p = params or ResponseParams()
    d = load_data() if data is None else data
    exempted = _check_exempt(exempt, sorted(d.allies["iso3"]))
    history = build_history(d, edition, p.as_of)
    if p.horizon <= history.as_of:
        raise InputError(
            f"horizon: expected a year after {history.as_of}, found {p.horizon}", field="horizon"
        )
    if p.rule_deadline is not None and p.rule_deadline <= history.as_of:
        raise InputError(
            f"rule_deadline: expected a year after the last figures ({history.as_of}), "
            f"at most {p.horizon}, found {p.rule_deadline}",
            field="rule_deadline",
        )
    fit = fit_response(history, bunching_window=p.bunching_window_pct)
    gen = normalize_rng(rng)
    seed = gen.integers(2**63)
    if p.calibrated:
        fit = calibrate(history, fit, gen, bunching_window=p.bunching_window_pct)
    base_inputs = response_inputs(history, fit, p.horizon)
    rule_inputs = [
        response_inputs(history, fit, p.horizon, rule_line=p.threshold_pct,
                        rule_deadline=p.rule_deadline, threat=k, exempt=exempted)
        for k in p.threats
    ]  # fmt: skip
    base, rules = _simulate(base_inputs, rule_inputs, p.threshold_pct, int(seed), p.draws)
    years = list(base_inputs.years)
    a, t = len(history.iso3), len(years)
    p0, covered_without = base.p(), base.covered("covered_without")
    ally_frames, alliance_frames = [], []
    for threat, rule in zip(p.threats, rules, strict=True):
        p1 = rule.p()
        ally_frames.append(pd.DataFrame({
            "threat": threat, "iso3": np.repeat(history.iso3, t), "year": np.tile(years, a),
            "p_without": p0.ravel(), "p_without_se": _mcse(p0, p.draws).ravel(),
            "p_with": p1.ravel(), "p_with_se": _mcse(p1, p.draws).ravel(),
            "share_q50_without": base.share_median().ravel(),
            "share_q50_with": rule.share_median().ravel(),
        }))  # fmt: skip
        q = {f"covered_with_q{round(v * 100):02d}": hist_quantile(rule.covered_hist, v)
             for v in (0.05, 0.5, 0.95)}  # fmt: skip
        alliance_frames.append(pd.DataFrame({
            "threat": threat, "year": years, **covered_without,
            **rule.covered("covered_with"), **q, **rule.money(),
        }))  # fmt: skip
    assumptions = fit.table()
    meta = {
        "edition": history.edition, "as_of": history.as_of,
        "guidelines": [asdict(g) for g in GUIDELINES if g.announced <= history.as_of],
        "threat": "not identified by the data; illustrative range (THREAT_RANGE)",
        "money_basis": f"US$ m at {history.as_of} prices and exchange rates (held)",
        "flags": history.flags().to_dict(orient="records"),
        "note": "Results of a stated model under stated assumptions, not forecasts.",
    }  # fmt: skip
    return ResponseResult(
        pd.concat(ally_frames, ignore_index=True), pd.concat(alliance_frames, ignore_index=True),
        assumptions, asdict(p), meta,
    )  # fmt: skip

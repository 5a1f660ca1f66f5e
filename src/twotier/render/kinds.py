"""Every chart that can be exported, by name: what it shows and how it is built.

``twotier chart KIND``, the static chart URL ``/chart/KIND.svg?<state>`` and the
dashboard's export links all build a chart through :func:`build`: the kind's results
come from the public API (:mod:`twotier`), its figure from the same chart function the
dashboard draws, with its publication texts (headline with rule and year, subtitle,
source line, notes, text alternative). A kind's options have the names and defaults of
the dashboard controls that set them (``allies``, ``ea``, ``horizon``...), so the URL
state of a view is the state of its export.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import twotier
from twotier.errors import InputError, decimal_number, whole_number
from twotier.render import aid, charts, projection_charts

__all__ = [
    "KINDS",
    "OPTIONS",
    "ChartKind",
    "ChartRequest",
    "build",
    "check_options",
    "kind_of_graph",
]


@dataclass(frozen=True, slots=True)
class Option:
    """An input of some chart kinds beyond policy, year and edition."""

    name: str
    default: str | int | float
    help: str

    def parse(self, raw: Any) -> Any:
        """``raw`` as the option's type (that of its default); bad values name the option.

        Text is read by the project's strict readers (:func:`~twotier.errors.whole_number`,
        :func:`~twotier.errors.decimal_number`: no ``2_030``, full-width digits or
        ``nan``); a bool, or a fraction for a whole number, is refused, not truncated.
        """
        kind = type(self.default)
        if kind is str:
            if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
                raw = ",".join(raw)  # allies=["POL", "DEU"] as allies="POL,DEU"
            if isinstance(raw, str):
                return raw
        elif isinstance(raw, str):
            read = whole_number if kind is int else decimal_number
            return read(raw, self.name, "a whole number" if kind is int else "a number")
        elif isinstance(raw, numbers.Integral) and not isinstance(raw, bool):
            return kind(int(raw))
        elif kind is float and isinstance(raw, numbers.Real) and not isinstance(raw, bool):
            return float(raw)
        what = {int: "a whole number", float: "a number"}.get(kind, "text")
        raise InputError(f"{self.name}: expected {what}, found {raw!r}"[:120], field=self.name)


#: Options by name, with the dashboard controls' defaults (a test keeps them in step).
OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("threshold", 2.0, "threshold of the slider rule, % of GDP"),
    Option("allies", "POL,DEU,FRA,ESP,USA", "trends: allies, ISO-3 codes comma-separated"),
    Option("ea", "2023-07", "editions: the older edition"),
    Option("eb", "2024-03", "editions: the newer edition"),
    Option("eyear", 2023, "editions: the year compared"),
    Option("policies", "article5,two-tier-2pct,us-guarantee-2pct",
           "compare: policy ids, comma-separated"),
    Option("horizon", 2035, "projection: last year"),
    Option("scenario", "constant", "projection: constant, trend or target"),
    Option("draws", 5000, "projection: Monte Carlo draws"),
    Option("seed", 0, "projection: random seed"),
    Option("ncut", 1.0, "negotiation: aid cut if Kyiv refuses (share of US aid)"),
    Option("nrise", 21.0, "negotiation: aid rise if Moscow refuses, EUR bn/yr"),
    Option("nsanctions", 0.05, "negotiation: sanctions, added cost of war to Russia (share)"),
    Option("naudience", 0.0, "negotiation: audience cost of backing down, EUR bn"),
    Option("nbasis", "market", "negotiation: military resources, market or ppp"),
    Option("rhorizon", 2030, "response: last year"),
)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """What a chart is asked for: the rule, year, edition and the kind's options."""

    policy: Any
    year: int
    edition: str = "latest"
    options: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """Option ``name``, parsed, or its default."""
        option = OPTIONS[name]
        raw = dict(self.options).get(name)
        return option.default if raw is None or raw == "" else option.parse(raw)


@dataclass(frozen=True, slots=True)
class ChartKind:
    """One exportable chart: its name, what it shows, the dashboard chart it is."""

    name: str
    help: str
    build: Callable[[ChartRequest], charts.Fig]
    options: tuple[str, ...] = ()
    graph: str = ""


@contextmanager
def _named(names: Mapping[str, str]) -> Iterator[None]:
    """Errors of the API's fields (``horizon``) named as the chart's options (``rhorizon``)."""
    try:
        yield
    except InputError as exc:
        field, text = exc.field or "", str(exc)
        if field == "set":  # negotiate's overrides: "set: aid_cut_share: ..."
            text = text.removeprefix("set: ")
            field = text.partition(": ")[0]
        if field not in names:
            raise
        option = names[field]
        rest = text.partition(": ")[2]
        raise InputError(f"{option}: {rest}", field=option) from None


def _coverage(kind: str) -> Callable[[ChartRequest], charts.Fig]:
    def build_one(req: ChartRequest) -> charts.Fig:
        data = twotier.load_data()
        frame = twotier.coverage(req.policy, req.year, req.edition, data=data)
        figs = charts.coverage_figures(frame, data, req.year, req.edition, policy=req.policy)
        if kind not in figs:
            what = "equipment shares" if kind == "wales" else "2014 shares to compare with"
            raise InputError(f"year: no {what} for {req.year} in edition {req.edition}",
                             field="year")  # fmt: skip
        return figs[kind]

    return build_one


def _trends(req: ChartRequest) -> charts.Fig:
    data = twotier.load_data()
    allies = [a for a in str(req.get("allies")).split(",") if a]
    series = twotier.select_figures(data, indicators=["pct_gdp"], allies=allies,
                                    edition=req.edition)  # fmt: skip
    return charts.trends(series, editions=data.editions)


def editions_chart(policy: Any, diff: Any, ea: str, eb: str, year: int) -> charts.Fig:
    """The slope chart of :func:`twotier.diff`'s result, with the rule's lines and texts."""
    thresholds = [c.threshold for c in policy.criteria if c.indicator == "pct_gdp"]
    return charts.editions_slope(diff, (ea, eb), year, rule=rule_name(policy),
                                 thresholds=thresholds or (2.0,),
                                 editions_table=twotier.load_data().editions)  # fmt: skip


def _editions(req: ChartRequest) -> charts.Fig:
    year, ea, eb = req.get("eyear"), req.get("ea"), req.get("eb")
    with _named({"year": "eyear", "edition_a": "ea", "edition_b": "eb"}):
        diff = twotier.diff(req.policy, year, ea, eb, include_unknown=False)
    return editions_chart(req.policy, diff, ea, eb, year)


def used_editions(year: int, edition: str) -> list[str]:
    """NATO editions the % of GDP figures of ``year`` come from (``latest``: several)."""
    rows = twotier.select_figures(twotier.load_data(), indicators=["pct_gdp"], years=[year],
                                  edition=edition)  # fmt: skip
    return sorted(set(rows["edition"]))


def compare_policies(ids: str, threshold: float) -> list[Any]:
    """The policies of a comma-separated list (``threshold``: the slider rule)."""
    resolved = [twotier.resolve_policy(threshold=threshold) if p == "threshold"
                else twotier.resolve_policy(p) for p in ids.split(",") if p]  # fmt: skip
    if len(resolved) < 2:
        raise InputError("policies: choose at least two policies to compare", field="policies")
    return resolved


def _compare(req: ChartRequest) -> charts.Fig:
    policies = compare_policies(req.get("policies"), req.get("threshold"))
    frame = twotier.compare(policies, req.year, req.edition)
    return charts.backing_bars(frame, [p.id for p in policies],
                               used=used_editions(req.year, req.edition),
                               editions=twotier.load_data().editions,
                               titles=[p.title for p in policies])  # fmt: skip


def rule_name(policy: Any) -> str:
    """A short name of a rule for headlines ("the 2% of GDP rule" or the policy's title)."""
    import pandas as pd

    from twotier.render.describe import rule_label

    return rule_label(policy, pd.DataFrame())


def _projection(heatmap: bool) -> Callable[[ChartRequest], charts.Fig]:
    def build_one(req: ChartRequest) -> charts.Fig:
        draws = req.get("draws")
        if not 1 <= draws <= 20_000:
            raise InputError(f"draws: expected 1 to 20000, found {draws}", field="draws")
        params = twotier.ProjectionParams(horizon=req.get("horizon"), scenario=req.get("scenario"),
                                          draws=draws, seed=req.get("seed"))  # fmt: skip
        result = twotier.project(req.policy, params, req.edition)
        editions = twotier.load_data().editions
        if heatmap:
            return charts.projection_heatmap(result.allies, meta=result.meta, editions=editions,
                                             title=rule_name(req.policy))  # fmt: skip
        return charts.projection_band(result.alliance, req.policy.id, draws, req.get("seed"),
                                      meta=result.meta, editions=editions,
                                      title=rule_name(req.policy))  # fmt: skip

    return build_one


#: Draws of the response model and the backtest in the dashboard and their exports.
RESPONSE_DRAWS, BACKTEST_DRAWS = 1000, 500


def _response(req: ChartRequest) -> charts.Fig:
    threshold = req.get("threshold")
    if not 0.5 <= threshold <= 10:
        raise InputError(f"threshold: the response model takes 0.5 to 10 (% of GDP), found "
                         f"{threshold}", field="threshold")  # fmt: skip
    with _named({"horizon": "rhorizon", "threshold_pct": "threshold"}):
        params = twotier.ResponseParams(threshold_pct=threshold, horizon=req.get("rhorizon"),
                                        draws=RESPONSE_DRAWS)  # fmt: skip
        result = twotier.simulate_rule_response(params, rng=0)
    return projection_charts.response_chart(result.alliance, threshold, meta=result.meta,
                                            editions=twotier.load_data().editions)  # fmt: skip


def negotiation_levers(req_get: Callable[[str], Any]) -> dict[str, Any]:
    """The negotiation model's lever overrides from the options (or dashboard state)."""
    return {"aid_cut_share": req_get("ncut"), "aid_rise_eur_bn": req_get("nrise"),
            "sanctions_cost": req_get("nsanctions"),
            "audience_cost_eur_bn": req_get("naudience")}  # fmt: skip


def _negotiation(req: ChartRequest) -> charts.Fig:
    with _named(
        {
            "aid_cut_share": "ncut",
            "aid_rise_eur_bn": "nrise",
            "sanctions_cost": "nsanctions",
            "audience_cost_eur_bn": "naudience",
            "resources_basis": "nbasis",
        }
    ):
        result = twotier.negotiate("default", negotiation_levers(req.get),
                                   resources_basis=req.get("nbasis"))  # fmt: skip
    return charts.negotiation_ranges(result.outcomes, meta=result.meta)


def _backtest(req: ChartRequest) -> charts.Fig:
    result = twotier.backtest(draws=BACKTEST_DRAWS, rng=0)
    return projection_charts.reliability_chart(result.reliability, result.meta,
                                               editions=twotier.load_data().editions)  # fmt: skip


_PROJECTION = ("horizon", "scenario", "draws", "seed")
_NEGOTIATION = ("ncut", "nrise", "nsanctions", "naudience", "nbasis")

#: Every exportable chart, by name.
KINDS: dict[str, ChartKind] = {k.name: k for k in (
    ChartKind("map", "allies by tier, a tile grid", _coverage("map"), graph="map"),
    ChartKind("ranking", "allies ranked by % of GDP", _coverage("ranking"), graph="ranking"),
    ChartKind("shortfall", "what allies below the rule would add, US$ bn",
              _coverage("shortfall"), graph="shortfall"),
    ChartKind("wales", "Wales guidelines scatter", _coverage("wales"), graph="wales"),
    ChartKind("dumbbell", "% of GDP in 2014 and the year", _coverage("dumbbell"),
              graph="dumbbell"),
    ChartKind("trends", "% of GDP over time", _trends, ("allies",), graph="trends"),
    ChartKind("editions", "allies that change tier between two editions", _editions,
              ("ea", "eb", "eyear"), graph="slope"),
    ChartKind("compare", "backing under several rules", _compare, ("policies", "threshold"),
              graph="backing"),
    ChartKind("projection", "allies meeting the rule, projected", _projection(False),
              _PROJECTION, graph="projection"),
    ChartKind("projection-allies", "probability per ally, projected", _projection(True),
              _PROJECTION, graph="projection-heatmap"),
    ChartKind("response", "allies at the line without and with a two-tier rule", _response,
              ("threshold", "rhorizon"), graph="response"),
    ChartKind("negotiation", "aid leverage: bargaining range per lever", _negotiation,
              _NEGOTIATION, graph="negotiation"),
    ChartKind("aid", "aid to Ukraine by donor (Kiel)",
              lambda req: aid.aid_by_donor(twotier.load_data().aid), graph="aid-donors"),
    ChartKind("aid-time", "aid to Ukraine committed over time (Kiel)",
              lambda req: aid.aid_over_time(twotier.load_data().aid), graph="aid-time"),
    ChartKind("backtest", "reliability of the projections' probabilities", _backtest,
              graph="backtest-reliability"),
)}  # fmt: skip


def kind_of_graph(graph: str) -> str | None:
    """The chart kind a dashboard chart (its graph id) is exported as, if any."""
    return next((k.name for k in KINDS.values() if k.graph == graph), None)


def check_options(kind: str, options: Mapping[str, Any]) -> None:
    """Refuse options chart ``kind`` does not take (they would be silently unused).

    For callers that name options themselves (``twotier chart --set``,
    :func:`twotier.render.export.build_chart`); the dashboard passes its whole state.
    """
    takes = KINDS[kind].options if kind in KINDS else ()
    for name in options:
        if name in OPTIONS and name not in takes:
            accepted = f"it takes {', '.join(takes)}" if takes else "it takes no options"
            raise InputError(f"{name}: does not apply to chart {kind}; {accepted}", field=name)


def build(kind: str, request: ChartRequest) -> charts.Fig:
    """The figure of chart ``kind`` (see :data:`KINDS`) for ``request``, with its texts."""
    if kind not in KINDS:
        raise InputError(f"kind: unknown chart {kind!r}; accepted: {', '.join(KINDS)}",
                         field="kind")  # fmt: skip
    unknown = sorted(set(dict(request.options)) - set(OPTIONS))
    if unknown:
        raise InputError(f"{unknown[0]}: unknown chart option; accepted: {', '.join(OPTIONS)}",
                         field=unknown[0])  # fmt: skip
    return KINDS[kind].build(request)

"""The "explain this ally" panel, shown above every view when an ally is picked.

Every number comes from :func:`twotier.explain` (the same evaluator as the coverage
table and the JSON API): status and reason, each criterion's figure against its line,
the money needed, the figure in every NATO edition and the per-ally what-if.
"""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.web.state import State, coverage_of, policy_of

__all__ = ["completeness_note", "explain_panel", "what_if_value"]


def _num(value: float | None, spec: str = ".2f", unknown: str = "unknown") -> str:
    return unknown if value is None else format(value, spec)


def _flag(estimate: bool | None) -> str:
    return {True: "estimate", False: "final"}.get(estimate, "not stated")  # type: ignore[arg-type]


def _status(covered: bool | None) -> str:
    if covered is None:
        return "unknown"
    return "covered" if covered else "not covered"


def what_if_value(state: State) -> float | None:
    """The what-if figure of the state (empty: none)."""
    text = str(state.whatif).strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise twotier.InputError(
            f"whatif: expected a number (the ally's figure), found {text!r}", field="whatif"
        ) from exc


def _criteria(e: Any) -> html.Table:
    head = ["Criterion", "Figure", "Line", "Margin", "Edition", "Flag", "Source"]
    rows = [
        html.Tr(
            [
                html.Td(c.description),
                html.Td(f"{_num(c.value)} {c.unit}", id=f"explain-value-{i}"),
                html.Td(f"{c.comparison} {c.threshold:g} {c.unit}"),
                html.Td(_num(c.margin, "+.2f"), id=f"explain-margin-{i}"),
                html.Td(c.edition or "none"),
                html.Td(_flag(c.estimate)),
                html.Td(_source(c.source)),
            ]
        )
        for i, c in enumerate(e.criteria)
    ]
    return html.Table(
        [
            html.Caption(f"Why {e.ally} is {_status(e.covered)}: each criterion"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(rows),
        ],
        className="explain-table",
    )


def _source(url: str | None) -> Any:
    if not url:
        return "none"
    first = url.split(" ; ")[0]
    return html.A("source", href=first, title=url, rel="noopener noreferrer")


def _money(e: Any) -> html.P:
    s = e.shortfall
    if not s.applies:
        return html.P("Money needed: the rule has no % of GDP criterion.", id="explain-money")
    if s.usd_m is None:
        why = "no GDP figure" if s.gdp_usd_bn is None else "no share figure"
        return html.P(f"Money needed: unknown ({why} for {e.year}).", id="explain-money")
    if s.usd_m == 0:
        return html.P("Money needed: none (at or above the line).", id="explain-money")
    return html.P(
        [
            "Money needed to reach the line: ",
            html.Strong(f"US$ {s.usd_m:,.1f} million", id="explain-shortfall"),
            f" ({s.unit}) = ({s.threshold_pct:g} − {_num(s.value_pct)}) % × GDP of "
            f"US$ {s.gdp_usd_bn:,.1f} bn ({s.gdp_edition} edition).",
        ],
        id="explain-money",
    )


def _revisions(e: Any) -> html.Table:
    head = ["Edition", "Published", "Figure", "Flag", "Status"]
    rows = [
        html.Tr(
            [
                html.Td(r.edition),
                html.Td(r.published),
                html.Td(_num(r.value, ".2f", "no figure")),
                html.Td(_flag(r.estimate) if r.value is not None else ""),
                html.Td(f"{_status(r.covered)} ({r.reason})"),
            ]
        )
        for r in e.revisions
    ]
    return html.Table(
        [
            html.Caption(f"{e.ally}'s {e.year} figure in every NATO edition"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(rows),
        ],
        className="explain-table",
        id="explain-revisions",
    )


def _what_if(e: Any) -> html.P:
    w = e.what_if
    if w is None:
        return html.P(
            "What if: type a figure for this ally in the “What if” box to see its status and "
            "the alliance counts recomputed.",
            className="hint",
        )
    now = e.counts
    return html.P(
        [
            html.Strong(f"If {e.ally}'s figure were {w.value:g}: "),
            html.Span(f"{_status(w.covered)} ({w.reason})", id="explain-whatif-status"),
            f"; allies covered {w.counts.covered} (now {now.covered}), not covered "
            f"{w.counts.uncovered} (now {now.uncovered}), unknown {w.counts.unknown}; "
            f"total shortfall {_bn(w.counts.shortfall_usd_m)} (now {_bn(now.shortfall_usd_m)}). "
            "Every other figure as published.",
        ],
        id="explain-whatif",
    )


def _bn(value: float | None) -> str:
    return "unknown" if value is None else f"US$ {value / 1000:,.1f} bn"


def explain_panel(state: State) -> list[Any]:
    """The panel for the state's ally (nothing when no ally is picked)."""
    if not state.ally:
        return []
    e = twotier.explain(
        state.ally, policy_of(state), state.year, state.edition, what_if=what_if_value(state)
    )
    labelled: Any = {"aria-labelledby": "explain-title"}
    return [
        html.Section(
            [
                html.H2(f"Explain: {e.ally} ({e.iso3}), {e.year}", id="explain-title"),
                html.P(e.summary, id="explain-summary"),
                _criteria(e) if e.criteria else html.P("The rule sets no spending condition."),
                _money(e),
                _what_if(e),
                _revisions(e),
            ],
            className="explain",
            id="explain",
            **labelled,
        )
    ]


def completeness_note(state: State) -> list[Any]:
    """How many allies have a figure for the year in view, by the edition in view.

    The sentence is the public API's (:attr:`twotier.CoverageSummary.completeness`) for
    the rule in view; nothing is counted here.
    """
    try:
        summary = coverage_of(state)[1]
    except twotier.TwotierError:
        return []
    text = f"{state.year}: {summary.completeness}"
    if summary.missing_figures:
        text += " Unknown is shown as unknown, never estimated."
    return [html.P(text, className="completeness", id="completeness", role="note")]

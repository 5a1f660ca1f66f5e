"""The words of the coverage charts: headline, subtitle, source, notes, text alternative.

Built from the result frame, the editions table and the policy only (nothing invented):
the headline names the rule and the year, the source line NATO's publication(s) of the
figures shown, the text alternative the chart's content in a few sentences.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from twotier.render._figure import Fig, thresholds_of
from twotier.render.publish import source_line

__all__ = ["CoverageTexts", "rule_label"]

_TABLES = {"wales": "Tables 3 and 8a", "shortfall": "Tables 3 and 2"}


def _editions(frame: pd.DataFrame, column: str = "edition") -> list[str]:
    if column not in frame:
        return []
    return sorted({e for cell in frame[column].dropna() for e in str(cell).split("+")})


def rule_label(policy: Any, frame: pd.DataFrame) -> str:
    """A short name of the rule: "the 2% of GDP rule" for a one-line threshold rule."""
    criteria: tuple[Any, ...] = tuple(getattr(policy, "criteria", ()))
    if len(criteria) == 1 and criteria[0].indicator == "pct_gdp":
        return f"the {criteria[0].threshold:g}% of GDP rule"
    if policy is not None:
        return str(policy.title)
    thresholds = thresholds_of(frame)
    if len(thresholds) == 1:
        return f"the {thresholds[0]:g}% of GDP rule"
    return f"rule {frame.attrs.get('policy', '')}"


def _names(frame: pd.DataFrame) -> str:
    names = [str(a) for a in frame["ally"]]
    return ", ".join(names) if names else "none"


class CoverageTexts:
    """Texts of the charts of one coverage answer (rule, year, edition)."""

    def __init__(
        self, frame: pd.DataFrame, editions: pd.DataFrame, policy: Any, year: int, edition: str
    ) -> None:
        self.frame, self.editions, self.year, self.edition = frame, editions, year, edition
        self.rule = rule_label(policy, frame)
        self.policy = policy
        covered = frame["covered"]
        self.yes = frame[covered.eq(True).fillna(False).astype(bool)]
        self.no = frame[covered.eq(False).fillna(False).astype(bool)]
        self.unknown = frame[covered.isna()]

    def _subtitle(self, what: str, kind: str) -> str:
        edition = f" NATO edition {self.edition}" + (
            " (the newest figure for each ally)." if self.edition == "latest" else "."
        )
        if kind in ("wales", "dumbbell"):  # the same for every rule
            return what + edition
        rule = ""
        if self.policy is not None:
            about = [str(v).replace("_", " ") for v in (self.policy.status, self.policy.date) if v]
            rule = f" Rule: {self.policy.title}" + (f" ({', '.join(about)})." if about else ".")
        counts = (
            f" {len(self.yes)} allies meet it, {len(self.no)} do not"
            + (
                f", {len(self.unknown)} without a figure ({_names(self.unknown)})"
                if len(self.unknown)
                else ""
            )
            + "."
        )
        return f"{what}{rule}{counts}{edition}"

    def _notes(self, estimates: bool) -> str:
        notes = []
        if estimates:
            notes.append("e = NATO estimate (revised in later editions).")
        if "armed_forces" in self.frame and self.frame["armed_forces"].eq(False).any():
            notes.append("Iceland has no armed forces and no figures.")
        notes.append("2% of GDP is spent on an ally's own defence; it is not paid to NATO.")
        return " ".join(notes)

    def describe(self, kind: str, fig: Fig, **frames: pd.DataFrame) -> None:
        """Put the texts of chart ``kind`` into ``fig.layout.meta`` and its title."""
        headline, what, alt = getattr(self, f"_{kind}")(fig, **frames)
        used = _editions(self.frame)
        for name in ("shares", "equipment", "first"):
            if kind in ("wales", "dumbbell") and name in frames:
                used = sorted(set(used) | set(_editions(frames[name])))
        meta = fig["layout"].setdefault("meta", {})
        source = source_line(self.editions, used, _TABLES.get(kind, "Table 3"))
        estimates = bool(self.frame["estimate"].eq(True).fillna(False).any())
        notes = self._notes(estimates)
        if meta.get("empty"):
            alt = meta["empty"]
        meta.update(headline=headline, subtitle=self._subtitle(what, kind), source=source,
                    notes=notes, alt=alt, caption=f"{source} {notes}")  # fmt: skip
        fig["layout"]["title"]["text"] = headline

    def _ranking(self, fig: Fig, **_: Any) -> tuple[str, str, str]:
        data = self.frame.dropna(subset=["value"]).sort_values("value", ascending=False)
        alt = f"Bar chart of {len(data)} allies ranked by defence expenditure as a share of GDP " \
            f"in {self.year}."  # fmt: skip
        if len(data):
            top, low = data.iloc[0], data.iloc[-1]
            alt += f" Highest: {top['ally']} {top['value']:.2f}%; lowest: {low['ally']} " \
                f"{low['value']:.2f}%."  # fmt: skip
        alt += f" Meet {self.rule}: {_names(self.yes)}. Do not: {_names(self.no)}."
        if len(self.unknown):
            alt += f" No figure: {_names(self.unknown)}."
        return (f"Who meets {self.rule} in {self.year}",
                "Defence expenditure as a share of GDP, NATO definition.", alt)  # fmt: skip

    def _shortfall(self, fig: Fig, **_: Any) -> tuple[str, str, str]:
        data = self.frame[self.frame["shortfall_usd_m"].fillna(0) > 0]
        data = data.sort_values("shortfall_usd_m", ascending=False)
        total = float(data["shortfall_usd_m"].sum()) / 1000
        parts = [f"{a} {float(v) / 1000:,.1f}"
                 for a, v in zip(data["ally"], data["shortfall_usd_m"], strict=True)]  # fmt: skip
        alt = f"Bar chart: shortfall to {self.rule} in {self.year}, US$ bn: " \
            f"{'; '.join(parts) or 'none'}. Total US$ {total:,.1f} bn."  # fmt: skip
        return (f"What allies below {self.rule} would add, {self.year}",
                "Extra defence expenditure to reach the threshold, US$ bn at current "
                "prices: (threshold - share) x GDP of the year.", alt)  # fmt: skip

    def _map(self, fig: Fig, **_: Any) -> tuple[str, str, str]:
        alt = f"Map of NATO allies by tier under {self.rule} in {self.year}. Meet it: " \
            f"{_names(self.yes)}. Do not: {_names(self.no)}."  # fmt: skip
        if len(self.unknown):
            alt += f" No figure: {_names(self.unknown)}."
        return (f"Allies by tier under {self.rule}, {self.year}",
                "One tile per ally. Blue: meets the rule (tier 1); orange: does not (tier 2); "
                "grey: no figure; white: no armed forces.",
                alt)  # fmt: skip

    def _wales(self, fig: Fig, shares: pd.DataFrame, equipment: pd.DataFrame,
               **_: Any) -> tuple[str, str, str]:  # fmt: skip
        both = shares.merge(equipment, on=["iso3", "ally"], suffixes=("_gdp", "_eq"))
        meet = both[(both["value_gdp"] >= 2) & (both["value_eq"] >= 20)]
        alt = (f"Scatter of {len(both)} allies: share of GDP against the major equipment "
               f"share in {self.year}. Both Wales guidelines met by {len(meet)}: "
               f"{_names(meet)}.")  # fmt: skip
        return (f"Wales guidelines: 2% of GDP and 20% on major equipment, {self.year}",
                "Each dot is an ally: defence expenditure as a share of GDP (across) and "
                "the share of it spent on major equipment (up).", alt)  # fmt: skip

    def _dumbbell(self, fig: Fig, shares: pd.DataFrame, first: pd.DataFrame,
                  **_: Any) -> tuple[str, str, str]:  # fmt: skip
        both = first.merge(shares, on=["iso3", "ally"], suffixes=("_a", "_b"))
        rose = both[both["value_b"] > both["value_a"]]
        alt = f"Dot chart of {len(both)} allies: share of GDP in 2014 and {self.year}. " \
            f"{len(rose)} spend a larger share in {self.year} than in 2014."  # fmt: skip
        return (f"Defence expenditure, % of GDP: 2014 and {self.year}",
                f"Grey: 2014 (the Wales pledge); blue: {self.year}.", alt)  # fmt: skip

"""One edition's history of shares and real GDP, as the projections and the backtest use it.

Rules (issue #12, item 4):

- **One edition per history.** Every figure of an ally's history comes from the same
  edition; ``latest`` means the newest edition that is complete (shares, constant-price
  expenditure and current GDP for every ally with armed forces), never a splice of
  editions with different definitions.
- **As of a year.** Only figures for years up to ``as_of`` are used, so a projection can
  be scored against what came after. No year is back-filled.
- **Rounded figures are intervals.** A share known only to one decimal carries its
  half-width (0.05 points); the projection draws the true value inside it.
- **Real growth from NATO's own figures.** Constant-price GDP is constant-price defence
  expenditure divided by the share (Table 3 is that ratio, SOURCES.md D1); its log
  changes are real growth. Money is shown at the last year's prices and exchange rates.
- **Series breaks.** A year whose real GDP change departs from that year's median across
  allies by more than ``break_log`` is a change of definition, not growth (Luxembourg 2023,
  -0.39 in logs, NATO's denominator change). Its GDP and share changes are excluded from
  every estimate, and flagged.
- **Provisional inputs.** Figures NATO marks as estimates ("e") and rounded figures are
  flagged per ally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from twotier.data import NatoData
from twotier.data._index import rounding_halfwidth
from twotier.data.select import LATEST, check_edition, select_figures
from twotier.errors import InputError

__all__ = ["BREAK_LOG", "TOO_CLOSE", "History", "base_status", "build_history", "complete_edition"]

#: A real GDP change further than this (log points) from the year's cross-ally median is a
#: series break. The largest genuine move in NATO's 2014-2026 figures is Montenegro 2020
#: (-0.17, 0.13 from the median); Luxembourg 2023 (-0.39, 0.40 from the median) is not one.
BREAK_LOG = 0.25

NEEDED = ("pct_gdp", "exp_usd_constant_m", "gdp_usd_current_bn")

Float = NDArray[np.float64]


@dataclass(frozen=True)
class History:
    """Per-ally arrays (A allies x Y years, NaN where no figure) from one edition.

    ``share`` in % of GDP; ``halfwidth`` the rounding half-width of each share (0 when
    NATO gives two decimals); ``real_growth`` the log change of constant-price GDP into
    each year (NaN in the first year and at breaks); ``breaks`` marks years whose change
    is a series break; ``estimate`` marks figures NATO labels as estimates.
    """

    edition: str
    as_of: int
    iso3: tuple[str, ...]
    years: tuple[int, ...]
    share: Float
    halfwidth: Float
    real_growth: Float
    breaks: NDArray[np.bool_]
    estimate: NDArray[np.bool_]
    gdp_usd_bn: Float  # current-price GDP in ``as_of`` (US$ bn)
    allies: pd.DataFrame  # allies.csv rows, same order as ``iso3``

    @property
    def share_change(self) -> Float:
        """Year-on-year change of the share (A x Y; NaN in the first year and at breaks)."""
        change = np.full_like(self.share, np.nan)
        change[:, 1:] = np.diff(self.share, axis=1)
        return np.where(self.breaks, np.nan, change)

    def flags(self) -> pd.DataFrame:
        """Per ally: estimate years used, rounded figures, series breaks (for the output)."""
        yrs = np.asarray(self.years)

        def years_where(mask: NDArray[np.bool_]) -> list[str]:
            return [",".join(str(y) for y in yrs[row]) for row in mask]

        return pd.DataFrame({
            "iso3": list(self.iso3), "edition": self.edition, "as_of": self.as_of,
            "estimate_years": years_where(self.estimate & ~np.isnan(self.share)),
            "rounded_years": years_where(self.halfwidth > 0),
            "series_breaks": years_where(self.breaks),
        })  # fmt: skip


def complete_edition(data: NatoData) -> str:
    """Newest edition with shares, constant-price spending and GDP for every ally."""
    required = set(data.allies.loc[data.allies["armed_forces"], "iso3"])
    figures = data.figures
    for edition in sorted(data.editions["edition"], reverse=True):
        rows = figures[figures["edition"] == edition]
        have = [set(rows.loc[rows["indicator"] == ind, "iso3"]) >= required for ind in NEEDED]
        if all(have):
            return edition
    raise InputError(
        "edition: no edition has shares, constant-price spending and GDP for every ally",
        field="edition",
    )


def _table(rows: pd.DataFrame, indicator: str, column: str = "value") -> pd.DataFrame:
    sel = rows[rows["indicator"] == indicator]
    return sel.pivot(index="iso3", columns="year", values=column)


def _breaks(log_gdp: pd.DataFrame, threshold: float) -> pd.DataFrame:
    growth = log_gdp.diff(axis=1)
    deviation = growth.sub(growth.median(axis=0), axis=1).abs()
    return deviation > threshold


def build_history(
    data: NatoData, edition: str = LATEST, as_of: int | None = None, *,
    break_log: float = BREAK_LOG,
) -> History:  # fmt: skip
    """The history of every ally with armed forces from one edition, up to ``as_of``.

    Parameters
    ----------
    data
        Loaded data.
    edition
        An edition with shares, constant-price spending and GDP for every ally, or
        ``latest`` (the newest such edition).
    as_of
        Last year whose figures are used (default: the edition's last year).
    break_log
        Threshold of the series-break test (log points; see :data:`BREAK_LOG`).
    """
    check_edition(data, edition)
    name = complete_edition(data) if edition == LATEST else edition
    rows = select_figures(data, indicators=list(NEEDED), edition=name)
    iso3 = sorted(data.allies.loc[data.allies["armed_forces"], "iso3"])
    for indicator in NEEDED:
        missing = sorted(set(iso3) - set(rows.loc[rows["indicator"] == indicator, "iso3"]))
        if missing:
            raise InputError(
                f"edition: edition {name} has no {indicator} figures for "
                f"{', '.join(missing)}; projections need one complete edition "
                f"(accepted: latest or {complete_edition(data)})",
                field="edition",
            )
    last = int(rows["year"].max())
    first = int(rows["year"].min())
    year = last if as_of is None else int(as_of)
    if not first + 2 <= year <= last:
        raise InputError(
            f"as_of: expected a year from {first + 2} to {last} (edition {name}), found {year}",
            field="as_of",
        )
    rows = rows[rows["year"] <= year]
    years = list(range(first, year + 1))
    share = _table(rows, "pct_gdp").reindex(index=iso3, columns=years)
    if share[year].isna().any():
        gaps = ", ".join(share.index[share[year].isna()])
        raise InputError(f"as_of: edition {name} has no {year} share for {gaps}", field="as_of")
    spend = _table(rows, "exp_usd_constant_m").reindex(index=iso3, columns=years)
    log_gdp = (spend / (share / 100.0)).apply(np.log)
    breaks = _breaks(log_gdp, break_log)
    growth = log_gdp.diff(axis=1).where(~breaks)
    pct = rows[rows["indicator"] == "pct_gdp"]
    half = pct.assign(h=pct["unit"].map(lambda u: rounding_halfwidth(str(u))))
    est = pct.assign(e=pct["estimate"].fillna(False).astype(bool))
    gdp = _table(rows, "gdp_usd_current_bn").reindex(index=iso3, columns=years)
    allies = data.allies.set_index("iso3").loc[iso3].reset_index()
    return History(
        edition=name, as_of=year, iso3=tuple(iso3), years=tuple(years),
        share=share.to_numpy(float),
        halfwidth=_table(half, "pct_gdp", "h").reindex(index=iso3, columns=years)
        .fillna(0.0).to_numpy(float),
        real_growth=growth.to_numpy(float), breaks=breaks.to_numpy(bool),
        estimate=_table(est, "pct_gdp", "e").reindex(index=iso3, columns=years)
        .fillna(False).to_numpy(bool),
        gdp_usd_bn=gdp[year].to_numpy(float), allies=allies,
    )  # fmt: skip


#: Base-year status of an ally whose figure, known to one decimal, could lie on either side
#: of the line (the same words as ``coverage``).
TOO_CLOSE = "too close to call (rounded figure)"


def base_status(a: pd.DataFrame, line: float | None, exempt: set[str]) -> list[str]:
    """Status of each ally's base-year figure against the line.

    A figure known to one decimal stands for an interval ``[s - h, s + h)``; when the line
    falls inside it, the figure cannot place the ally: :data:`TOO_CLOSE`.
    """
    out = []
    for iso3, share, half in a[["iso3", "base_share", "base_share_halfwidth"]].itertuples(
        index=False
    ):
        if iso3 in exempt:
            out.append("exempt")
        elif line is None:
            out.append("no line")
        elif half > 0 and share - half <= line < share + half:
            out.append(TOO_CLOSE)
        else:
            out.append("at or above the line" if share >= line else "below the line")
    return out

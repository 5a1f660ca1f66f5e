"""Plain-language reading of one lever setting against the status quo."""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["result_sentence"]


def _credibility(row: pd.Series, side: str, town: str) -> str:
    flag = row[f"threat_{side}_credible"]
    if pd.isna(flag):
        return ""
    needed = row[f"audience_cost_needed_{side}_eur_bn"]
    if bool(flag):
        return f"the threat to {town} would be carried out"
    return (f"the threat to {town} would not be carried out (it needs an audience cost of "
            f"at least EUR {needed:.1f} bn)")  # fmt: skip


def result_sentence(frame: pd.DataFrame, setting: str) -> str:
    """Return one sentence: what ``setting`` changes against the status quo.

    Read from the frame of :func:`~twotier.models.negotiation.engine.evaluate_negotiation`.

    Neutral wording: results of the stated model, not a forecast or a recommendation.
    """
    rows = frame.set_index("setting")
    if setting not in rows.index:
        raise ValueError(f"setting: expected one of {', '.join(rows.index)}, found {setting!r}")
    row = rows.loc[rows.index == setting].iloc[0]
    base = rows.loc[rows.index == "status quo"].iloc[0]
    parts = [
        p
        for p in (_credibility(row, "ukraine", "Kyiv"), _credibility(row, "russia", "Moscow"))
        if p
    ]
    if bool(row["range_empty"]):
        terms = "no split is acceptable to both sides"
    else:
        terms = (f"the Nash split gives Ukraine {row['nash_x']:.2f} of the contested good "
                 f"(status quo {base['nash_x']:.2f})")  # fmt: skip
    risk = (row["p_no_agreement_russia_offers"] + row["p_no_agreement_ukraine_offers"]) / 2
    base_risk = (base["p_no_agreement_russia_offers"] + base["p_no_agreement_ukraine_offers"]) / 2
    months = float(row["months_before_settlement"])
    when = ("no settlement is reached in the model" if not math.isfinite(months)
            else f"expected months of war before a settlement {months:.1f}")  # fmt: skip
    lead = "Under the stated assumptions, " + (
        "in the status quo" if setting == "status quo" else f"with {setting}"
    )
    credibility = f", {' and '.join(parts)}" if parts else ""
    return (f"{lead}{credibility}; {terms}; the chance of no agreement under private costs "
            f"is {risk:.2f} (status quo {base_risk:.2f}); {when}. A model result, not a "
            "forecast.")  # fmt: skip

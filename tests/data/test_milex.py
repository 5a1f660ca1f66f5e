"""The bundled military-expenditure figures used by the negotiation model."""

from __future__ import annotations

import pandas as pd
import pytest

from twotier.data.milex import read_military_expenditure, resources
from twotier.errors import InputError


def test_figures_and_their_publications() -> None:
    """SIPRI fact sheet (28 April 2025): Russia US$ 149 bn, Ukraine US$ 64.7 bn in 2024 at
    market exchange rates; IISS, The Military Balance 2025: Russia US$ 462 bn at PPP.
    Ukraine has no traced PPP figure: empty, not filled in."""
    frame = read_military_expenditure().set_index(["iso3", "year", "basis"])
    assert frame.loc[("RUS", 2024, "market"), "value_usd_bn"] == 149.0
    assert frame.loc[("UKR", 2024, "market"), "value_usd_bn"] == 64.7
    assert frame.loc[("RUS", 2024, "ppp"), "value_usd_bn"] == 462.0
    assert pd.isna(frame.loc[("UKR", 2024, "ppp"), "value_usd_bn"])
    known = frame[frame["value_usd_bn"].notna()]
    assert (
        known["publication"].str.len().gt(10).all()
        and known["retrieved_from"].str.startswith("https://").all()
    )


def test_basis_switch_and_unknown_fallback_is_said() -> None:
    market, ppp = resources("market"), resources("ppp")
    assert (market.russia_usd_bn, ppp.russia_usd_bn) == (149.0, 462.0)
    assert ppp.ukraine_usd_bn == 64.7 and ppp.source_ukraine.startswith("unknown")
    assert "IISS" in ppp.source_russia and "SIPRI" in market.source_russia
    with pytest.raises(InputError, match="basis: expected one of market, ppp"):
        resources("nominal")
    with pytest.raises(InputError, match="year: expected one of 2023, 2024"):
        resources("market", 1999)

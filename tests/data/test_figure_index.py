"""The figure index, built per (indicator, year) as asked, equals the index built whole.

The reference below is the previous implementation, verbatim (every member's figure
read in one pass over the figures, sorted by edition): the lazy index must give the
same tables, key for key, with the allies in the same order, whatever the order in
which keys are asked for.
"""

from __future__ import annotations

import random
import threading

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_data
from twotier.data import MEMBERS, NatoData
from twotier.data._index import Figure, FigureIndex, figure_index, rounding_halfwidth
from twotier.data.select import LATEST, figure_source


def _reference(data: NatoData) -> dict[tuple[str, str, int], dict[str, Figure]]:
    """The index as main built it before it was lazy (commit 899e252), verbatim."""
    rows = data.figures[data.figures["iso3"].isin(MEMBERS)].sort_values("edition", kind="stable")
    index: dict[tuple[str, str, int], dict[str, Figure]] = {}
    columns = ["iso3", "year", "indicator", "value", "edition", "estimate", "source", "unit"]
    cited: dict[tuple[str, str], str] = {}
    for iso3, year, indicator, value, edition, estimate, source, unit in rows[columns].itertuples(
        index=False, name=None
    ):
        cite_key = (str(edition), str(indicator))
        if cite_key not in cited:
            cited[cite_key] = figure_source(data, *cite_key)
        figure: Figure = (
            float(value),
            str(edition),
            None if estimate is pd.NA else bool(estimate),
            cited[cite_key],
            rounding_halfwidth(str(unit)),
            str(source),
        )
        for key in (edition, LATEST):
            index.setdefault((key, indicator, int(year)), {})[iso3] = figure
    return index


def _same(lazy: FigureIndex, reference: dict[tuple[str, str, int], dict[str, Figure]]) -> None:
    for key, table in reference.items():
        got = lazy.get(key)
        assert got == table, key
        assert list(got) == list(table), key  # allies in the same order


def test_bundled_data_every_table_as_built_whole(data: NatoData) -> None:
    reference = _reference(data)
    _same(FigureIndex(data), reference)
    assert dict(FigureIndex(data)) == reference  # nothing more either
    assert len(FigureIndex(data)) == len(reference)
    assert figure_index(data) is figure_index(data)  # one per data set


def test_keys_without_figures_are_absent(data: NatoData) -> None:
    index = FigureIndex(data)
    assert index.get((LATEST, "pct_gdp", 1800), {}) == {}
    assert index.get(("1999-01", "pct_gdp", 2024)) is None
    assert index.get((LATEST, "no_such_indicator", 2024)) is None
    assert index.get(("2024-06", "pct_gdp")) is None  # type: ignore[arg-type]
    assert (LATEST, "pct_gdp", 2024) in index


ROWS = st.lists(
    st.tuples(
        st.sampled_from(["POL", "DEU", "USA", "XXX"]),  # XXX: not a member, never indexed
        st.integers(2020, 2022),
        st.sampled_from(["pct_gdp", "gdp_usd_current_bn"]),
        st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 2)),
        st.sampled_from(["2024-06", "2023-07", "2026-07"]),
    ),
    min_size=1,
    max_size=30,
)


@given(
    rows=ROWS,
    estimates=st.lists(st.sampled_from([True, False, None]), min_size=30, max_size=30),
    one_decimal=st.lists(st.booleans(), min_size=30, max_size=30),
    order=st.randoms(use_true_random=False),
)
def test_hand_made_data_same_tables_in_any_order_of_asking(
    data: NatoData,
    rows: list[tuple[str, int, str, float, str]],
    estimates: list[bool | None],
    one_decimal: list[bool],
    order: random.Random,
) -> None:
    """Repeated figures (the later edition wins under latest), gaps, unknown estimates."""
    made = make_data(rows, data)
    n = len(made.figures)
    made.figures["estimate"] = pd.array(estimates[:n], dtype="boolean")
    made.figures["unit"] = [
        "percent of GDP (to 1 decimal)" if d else "percent of GDP" for d in one_decimal[:n]
    ]
    reference = _reference(made)
    keys = list(reference)
    order.shuffle(keys)
    index = FigureIndex(made)
    _same(index, {k: reference[k] for k in keys})
    assert dict(index) == reference


def test_threads_asking_at_once_get_whole_tables(data: NatoData) -> None:
    reference = _reference(data)
    index = FigureIndex(data)
    keys = [k for k in reference if k[2] in (2023, 2024)]
    results: list[bool] = []

    def ask() -> None:
        results.append(all(index.get(k) == reference[k] for k in keys))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4

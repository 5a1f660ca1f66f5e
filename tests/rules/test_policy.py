"""Policy files: built-ins, strict parsing with clear errors, grace and exemptions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

import twotier
from twotier.errors import PolicyError, UnknownPolicyError
from twotier.rules import Criterion, parse_policy
from twotier.rules.registry import MAX_POLICY_BYTES

from ..conftest import make_data

HEADER = """
[policy]
id = "test"
title = "Test"
source = "unit test"
date = "2024-02-14"
"""


def test_every_builtin_parses_and_has_provenance() -> None:
    ids = [p.id for p in twotier.list_policies()]
    for required in (
        "article5",
        "two-tier-2pct",
        "wales-2014",
        "hague-core-3.5",
        "us-guarantee-2pct",
        "two-tier-2pct-club",
    ):
        assert required in ids
    for policy in twotier.list_policies():
        assert policy.title and policy.source and policy.date
        assert policy.source_urls, policy.id
        assert parse_policy(twotier.builtin_policy_text(policy.id)) == policy


def test_hague_description_states_the_measure() -> None:
    text = twotier.get_policy("hague-core-3.5").description
    assert "headline share of GDP" in text and "core" in text


def test_threshold_policy_is_a_single_pct_gdp_criterion() -> None:
    p = twotier.threshold_policy(2.5)
    assert p.criteria == (Criterion(indicator="pct_gdp", threshold=2.5),)
    assert p.guarantee.guarantors == "all"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[tier1\n", "not valid TOML"),
        ("[policy]\nid='x'\n", "key policy.title: expected a string (required)"),
        (HEADER + "colour = 'red'\n", "key policy.colour: expected one of the keys"),
        ("[policy]\nid='x'\n[rules]\n", "key rules: expected one of the keys"),
        (
            HEADER + "[tier1]\ncombine = 'most'\n",
            "key tier1.combine: expected one of ['all', 'any']",
        ),
        (
            HEADER + "[[tier1.criteria]]\nindicator='pct_gnp'\nthreshold=2\n",
            "key tier1.criteria[0].indicator: expected one of",
        ),
        (
            HEADER + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold='2'\n",
            "key tier1.criteria[0].threshold: expected a number, found '2'",
        ),
        (
            HEADER + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=-1\n",
            "key tier1.criteria[0].threshold: expected a number from 0 to 100",
        ),
        (
            HEADER + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=2\ncomparison='=='\n",
            "key tier1.criteria[0].comparison",
        ),
        (
            HEADER
            + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=2\nbasis='mean'\nwindow=0\n",
            "key tier1.criteria[0].window: expected a whole number from 1 to 10",
        ),
        (
            HEADER + "[[tier1.exemptions]]\niso3='XXX'\nreason='r'\n",
            "key tier1.exemptions[0].iso3: expected the ISO-3 code of a NATO member",
        ),
        (HEADER + "[guarantee]\nguarantors=['USA','ZZZ']\n", "key guarantee.guarantors[1]"),
        (HEADER + "[guarantee]\nguarantors='some'\n", "key guarantee.guarantors"),
        (HEADER + "[guarantee]\nonly_tier1_defend='yes'\n", "expected true or false"),
        (HEADER.replace('"test"', '"Bad Id!"'), "key policy.id"),
        (HEADER.replace("2024-02-14", "Feb 2024"), "key policy.date"),
        (HEADER + "[tier1.grace]\nmin_annual_rise_pp=0.2\n", "key tier1.grace"),
    ],
)
def test_invalid_documents_give_one_line_with_the_key(body: str, expected: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(body, origin="mine.toml")
    message = str(info.value)
    assert message.startswith("mine.toml: ")
    assert expected in message
    assert "\n" not in message


def test_toml_syntax_error_names_the_line() -> None:
    with pytest.raises(PolicyError, match=r"line 3"):
        parse_policy("[policy]\nid = 'x'\ntitle = \n", origin="f.toml")


def test_policy_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(twotier.builtin_policy_text("us-guarantee-2pct"), encoding="utf-8")
    builtin = twotier.get_policy("us-guarantee-2pct")
    # A copy reusing a built-in id is shown as the user's file (issue #11, item 6).
    with pytest.warns(twotier.UserPolicyWarning, match="built-in policy's"):
        loaded = twotier.get_policy(str(path))
    assert (loaded.id, loaded.status) == ("mine", "user file")
    assert dataclasses.replace(
        loaded, id=builtin.id, title=builtin.title, status=builtin.status
    ) == (builtin)
    big = tmp_path / "big.toml"
    big.write_text("#" * (MAX_POLICY_BYTES + 1))
    with pytest.raises(PolicyError, match="too large"):
        twotier.get_policy(str(big))
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PolicyError, match="expected UTF-8"):
        twotier.get_policy(str(binary))
    with pytest.raises(PolicyError, match="cannot read"):
        twotier.get_policy(str(tmp_path / "absent.toml"))
    with pytest.raises(UnknownPolicyError, match="accepted: article5"):
        twotier.get_policy("no-such-policy")


def test_grace_and_exemption_on_a_hand_made_alliance(data: twotier.NatoData) -> None:
    """Three allies below 2% in 2024: DEU rose 0.30 pp (covered by grace at 0.25/yr),
    FRA rose 0.10 pp (not), ESP fell but is exempt; ITA has no 2023 figure (unknown)."""
    tiny = make_data(
        [
            ("DEU", 2023, "pct_gdp", 1.50, "2099-01"),
            ("DEU", 2024, "pct_gdp", 1.80, "2099-01"),
            ("FRA", 2023, "pct_gdp", 1.80, "2099-01"),
            ("FRA", 2024, "pct_gdp", 1.90, "2099-01"),
            ("ESP", 2023, "pct_gdp", 1.30, "2099-01"),
            ("ESP", 2024, "pct_gdp", 1.20, "2099-01"),
            ("ITA", 2024, "pct_gdp", 1.40, "2099-01"),
            ("POL", 2024, "pct_gdp", 4.00, "2099-01"),
        ],
        data,
    )
    policy = parse_policy(
        HEADER
        + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=2.0\n"
        + "[tier1.grace]\nmin_annual_rise_pp=0.25\n"
        + "[[tier1.exemptions]]\niso3='ESP'\nreason='stated position'\n"
    )
    frame = twotier.coverage(policy, 2024, "2099-01", data=tiny).set_index("iso3")
    got = {k: (frame.loc[k, "reason"], frame.loc[k, "tier"]) for k in ("DEU", "FRA", "ESP", "POL")}
    assert got == {
        "DEU": ("grace", 1),
        "FRA": ("below threshold", 2),
        "ESP": ("exempt", 1),
        "POL": ("meets criteria", 1),
    }
    assert frame.loc["ITA", "reason"] == "below threshold; path unknown"
    assert pd.isna(frame.loc["ITA", "tier"])


def test_previous_year_and_mean_bases(data: twotier.NatoData) -> None:
    tiny = make_data(
        [
            ("DEU", 2022, "pct_gdp", 2.2, "2099-01"),
            ("DEU", 2023, "pct_gdp", 2.1, "2099-01"),
            ("DEU", 2024, "pct_gdp", 1.5, "2099-01"),
            ("FRA", 2024, "pct_gdp", 2.5, "2099-01"),
        ],
        data,
    )
    prev = parse_policy(
        HEADER + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=2\nbasis='previous_year'\n"
    )
    frame = twotier.coverage(prev, 2024, "2099-01", data=tiny).set_index("iso3")
    assert frame.loc["DEU", "value"] == 2.1 and frame.loc["DEU", "tier"] == 1
    assert pd.isna(frame.loc["FRA", "tier"])  # no 2023 figure
    mean = parse_policy(
        HEADER + "[[tier1.criteria]]\nindicator='pct_gdp'\nthreshold=2\nbasis='mean'\nwindow=3\n"
    )
    frame = twotier.coverage(mean, 2024, "2099-01", data=tiny).set_index("iso3")
    assert frame.loc["DEU", "value"] == pytest.approx((2.2 + 2.1 + 1.5) / 3)
    assert frame.loc["DEU", "tier"] == 2


def test_wales_needs_both_criteria(data: twotier.NatoData) -> None:
    """Wales (strict) 2024, edition 2024-06: every ally at >= 2% also has >= 20% on
    equipment except none; Belgium fails both (1.30%, 15.16%)."""
    frame = twotier.coverage("wales-2014", 2024, "2024-06", data=data).set_index("iso3")
    assert frame.loc["BEL", "pct_gdp_passed"] is False or not frame.loc["BEL", "pct_gdp_passed"]
    assert not frame.loc["BEL", "equipment_pct_passed"]
    both = frame["pct_gdp_passed"].fillna(False) & frame["equipment_pct_passed"].fillna(False)
    assert (frame["covered"].fillna(False) == both).all()


@pytest.mark.parametrize(
    "date",
    ["２０２４-０２-１４", "2024-٠٢", "2024-2-14", "2024-99-99", "2023-02-29", "2024-13", "0000"],
)
def test_policy_dates_are_ascii_yyyy_mm_dd(date: str) -> None:
    """Full-width or Arabic-Indic digits matched ``\\d`` and were accepted."""
    text = HEADER.replace('date = "2024-02-14"', f'date = "{date}"')
    assert text != HEADER
    with pytest.raises(PolicyError, match="date"):
        parse_policy(text)


@pytest.mark.parametrize(
    ("title", "fragment"),
    [
        ("a\u2028b", "U+2028"), ("a\u2029b", "U+2029"), ("a\u200fb", "U+200F"),
        ("a\u061cb", "U+061C"), ("a\U000e0041b", "U+E0041"),
        ("line one\nline two", "one line of at most 200"),
        ("x" * 60_000, "one line of at most 200"),
    ],
)  # fmt: skip
def test_titles_are_one_clean_line(title: str, fragment: str) -> None:
    """Second adversarial pass, L5: separators, bidi marks, tags, newlines and a
    60,000-character title reached every headline."""
    text = HEADER.replace('title = "Test"', f"title = {json.dumps(title, ensure_ascii=False)}")
    assert text != HEADER
    with pytest.raises(PolicyError, match="title") as info:
        parse_policy(text)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_a_file_name_with_escapes_is_neither_shown_raw_nor_an_id(tmp_path: Path) -> None:
    """Second adversarial pass, L4: an OSC/colour sequence in the file name reached the
    terminal and became the policy id."""
    name = "\x1b]0;owned\x07\x1b[31mx.toml"
    path = tmp_path / name
    text = twotier.builtin_policy_text("two-tier-2pct")  # reuses a built-in id: relabelled
    path.write_text(text, encoding="utf-8")
    with pytest.warns(twotier.UserPolicyWarning) as caught:
        policy = twotier.get_policy(path)
    assert policy.id == "0-owned-31mx"
    shown = [str(w.message) for w in caught] + [policy.title]
    assert all("\x1b" not in s and "\x07" not in s for s in shown)
    assert "\\x1b" in policy.title
    bad = tmp_path / "\x1b[31mred.toml"
    bad.write_text("not toml [", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        twotier.get_policy(bad)
    assert "\x1b" not in str(info.value) and "\\x1b[31mred.toml" in str(info.value)

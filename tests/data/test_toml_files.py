"""The bounded TOML reader refuses what would hang, exhaust memory or crash tomllib."""

from __future__ import annotations

import math
import os
import threading
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.data.toml_files import (
    MAX_TOML_BYTES,
    MAX_TOML_DEPTH,
    MAX_TOML_INT,
    loads_toml,
    read_text_file,
    read_toml_file,
)
from twotier.errors import InputError, PolicyError, ScenarioError


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text
    return text


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('\ufeffa = 1\n[t]\nb = "x"\n', encoding="utf-8")
    assert read_toml_file(path) == {"a": 1, "t": {"b": "x"}}


def test_device_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(PolicyError, match="expected a regular file") as info:
        read_toml_file(link, error=PolicyError)
    assert "zero.toml" in _one_line(info.value)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            read_toml_file(fifo)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)  # a blocked reader never returns; a busy machine may take seconds
    if worker.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], InputError)
    assert "regular file" in _one_line(outcome[0])


def test_folder_and_missing_file_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="found a folder"):
        read_toml_file(tmp_path, error=ScenarioError)
    with pytest.raises(ScenarioError, match="file not found"):
        read_toml_file(tmp_path / "absent.toml", error=ScenarioError)


def test_size_limit_is_enforced_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * MAX_TOML_BYTES)
    with pytest.raises(InputError, match="too large"):
        read_text_file(path)
    with pytest.raises(InputError, match="too large"):
        loads_toml(path.read_bytes())


def test_undecodable_bytes_name_the_offset() -> None:
    with pytest.raises(InputError, match="offset 4"):
        loads_toml(b"a = \xff\n", origin="up.toml")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("a = " + "[" * 30_000 + "]" * 30_000, "nested too deeply"),
        ("a = " + "{b = " * 3_000 + "1" + "}" * 3_000, "nested too deeply"),
        ("[" + ".".join(["k"] * 200) + "]\nv = 1", "nested too deeply"),
        (".".join(["k"] * 200) + " = 1", "nested too deeply"),
        ("a = 1" + "0" * 400, "whole number between"),
        ("a = -1" + "0" * 5_000, "not valid TOML"),
        ("a = inf", "finite number"),
        ("a = [1.0, nan]", "key a[1]: expected a finite number"),
        ("x = 1e400", "finite number"),
        ("a = [1,", "not valid TOML"),
        # Second review, L1: ESC (terminal escape sequences) in a title reached the terminal.
        ('title = "\\u001b[31mRED"', "key title: expected text without control characters"),
        ('t = ["ok", "\\u009b2J"]', "key t[1]: expected text without control"),
        ('"a\\u0007" = 1', "expected text without control characters, found U+0007"),
        ('t = "\\u202eevil"', "found U+202E"),
    ],
)
def test_hostile_documents_give_one_line_errors(document: str, fragment: str) -> None:
    with pytest.raises(PolicyError, match="nested|whole|TOML|finite|control") as info:
        loads_toml(document, origin="evil.toml", error=PolicyError)
    message = _one_line(info.value)
    assert fragment in message and message.startswith("evil.toml: ")


def test_brackets_inside_strings_and_comments_do_not_count() -> None:
    deep = "[" * (MAX_TOML_DEPTH + 5)
    text = (
        f'a = "{deep}"\n'
        f"b = '{deep}'\n"
        f'c = """\n{deep}\\"""\n"""\n'
        f"d = '''{deep}''''\n"
        f"# {deep}\n"
        f'e = "x\\"{deep}"\n'
        f'f = """ends with quotes"""""\n'
        "g = [[1], [2]]\n"
    )
    doc = loads_toml(text)
    assert doc["a"] == deep and doc["d"] == deep + "'" and doc["f"] == 'ends with quotes""'


def test_limits_are_inclusive() -> None:
    nested = "a = " + "[" * MAX_TOML_DEPTH + "]" * MAX_TOML_DEPTH
    assert loads_toml(nested)["a"] is not None
    assert loads_toml(f"a = {MAX_TOML_INT}\nb = -{MAX_TOML_INT}")["a"] == MAX_TOML_INT


# Documents built from TOML's own grammar pieces, with brackets and quotes placed anywhere.
_pieces = st.sampled_from(
    ["[", "]", "{", "}", '"', "'", '"""', "'''", "#", "\\", "\n", "=", ",", ".", "a", "1",
     "1e999", "nan", "inf", "9" * 30, "x = ", "[t]", "[[t]]", " "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=80), st.integers(0, 400))
def test_fuzz_anything_is_a_dict_or_one_line_error(pieces: list[str], depth: int) -> None:
    text = "".join(pieces) + "v = " + "[" * depth + "]" * depth
    try:
        doc = loads_toml(text, origin="fuzz.toml", error=ScenarioError)
    except ScenarioError as exc:
        assert _one_line(exc).startswith("fuzz.toml: ")
        return
    # What is accepted is what tomllib reads, shallow, with finite, bounded numbers only.
    assert doc == tomllib.loads(text)
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        item, level = stack.pop()
        assert level <= MAX_TOML_DEPTH
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
        elif isinstance(item, float):
            assert math.isfinite(item)
        elif isinstance(item, int):
            assert abs(item) <= MAX_TOML_INT


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_bytes(raw: bytes) -> None:
    try:
        loads_toml(raw, origin="upload")
    except InputError as exc:
        assert _one_line(exc).startswith("upload: ")


def test_tabs_newlines_and_letters_of_any_script_are_text() -> None:
    doc = loads_toml('d = """line one\n\tline two"""\nt = "Türkiye, Κύπρος, Україна"')
    assert doc["t"] == "Türkiye, Κύπρος, Україна" and "\t" in doc["d"]

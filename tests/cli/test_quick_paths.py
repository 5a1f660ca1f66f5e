"""What a short command loads, and that the CLI's shortcuts parse exactly as typer does.

Speed itself is measured in ``benchmarks/bench_cli.py``; these tests check the
behaviour behind it: a JSON or CSV answer imports neither pydantic (typer's
validators) nor rich (tables), and the options read without them (``_plain_options``)
come out as typer's own coercion makes them, value for value and error for error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from twotier.cli import _load
from twotier.cli._plain_options import PLAIN, plain_options


def _loaded(args: list[str]) -> tuple[int, set[str]]:
    code = (
        "import contextlib, io, json, sys\nfrom twotier.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    with contextlib.redirect_stderr(io.StringIO()):\n"
        f"        status = main({args!r})\n"
        "print(json.dumps([status, sorted(sys.modules)]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    status, modules = json.loads(out.splitlines()[-1])
    return status, {m.split(".")[0] for m in modules} | set(modules)


QUESTION = ["coverage", "--threshold", "2", "--year", "2024"]


@pytest.mark.parametrize(
    ("args", "status"),
    [
        ([*QUESTION, "--format", "json"], 0),
        ([*QUESTION, "--format", "csv"], 0),
        (["coverage", "--threshold", "two", "--year", "2024", "--format", "json"], 2),
        (["coverage", "--threshold", "2", "--year", "2024", "--colour"], 2),
    ],
)
def test_a_json_or_csv_answer_or_a_refusal_loads_no_validator_rich_or_toml(
    args: list[str], status: int
) -> None:
    got, loaded = _loaded(args)
    assert got == status
    assert not loaded & {"pydantic", "pydantic_core", "typer._adapters", "rich", "tomllib"}


def test_a_table_loads_rich_so_the_check_above_can_see_it() -> None:
    got, loaded = _loaded([*QUESTION, "--format", "table"])
    assert got == 0
    assert "rich" in loaded


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", None)
    if not subs:
        return [(path, command)]
    return [leaf for name, sub in sorted(subs.items()) for leaf in _leaves(sub, (*path, name))]


_APP = _load().app
_LEAVES = [((), typer.main.get_command(_APP)), *_leaves(typer.main.get_command(_APP))]


def _parse(command: Any, path: tuple[str, ...], args: list[str]) -> Any:
    """``ctx.params`` of the leaf command, or the refusal's type and message."""
    for name in path:
        command = command.commands[name]
    try:
        with command.make_context("twotier " + " ".join(path), list(args)) as ctx:
            return ("ok", ctx.params)
    except Exception as exc:  # a usage error: both must refuse alike
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return (type(exc).__name__, message)


def _plain_flags(command: Any) -> list[tuple[str, type]]:
    return [
        (p.opts[0], p.type_descriptor.annotation)
        for p in command.params
        if p.type_descriptor.annotation in PLAIN and p.param_type_name == "option"
    ]


#: Any text a shell can pass, surrogates (undecodable bytes in argv) included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from("\udcff\x00-= "))


@given(
    leaf=st.sampled_from(_LEAVES),
    picks=st.lists(st.tuples(st.integers(0, 50), TEXT), max_size=4),
    flags=st.lists(st.integers(0, 50), max_size=2),
    positional=st.lists(TEXT, max_size=2),
)
def test_options_read_as_given_parse_as_typer_parses_them(
    leaf: tuple[tuple[str, ...], Any],
    picks: list[tuple[int, str]],
    flags: list[int],
    positional: list[str],
) -> None:
    """Every command (and the root), its text and flag options given any values."""
    path, command = leaf
    options = _plain_flags(command)
    args: list[str] = []
    if options:
        for i, value in picks:
            name, kind = options[i % len(options)]
            args += [name] if kind is bool else [name, value]
        for i in flags:
            name, kind = options[i % len(options)]
            if kind is bool:
                args.append(name)
    if path and any(p.param_type_name == "argument" for p in command.params):
        args += positional
    plain = plain_options(typer.main.get_command(_APP))
    typer_own = typer.main.get_command(_APP)
    assert _parse(plain, path, args) == _parse(typer_own, path, args)


def _shape(command: Any) -> Any:
    """What a command reads and shows: its parameters, help, and subcommands'."""
    params = [
        (p.name, p.opts, p.secondary_opts, p.default, p.required, getattr(p, "help", None))
        for p in command.params
    ]
    subs = {n: _shape(c) for n, c in sorted(getattr(command, "commands", {}).items())}
    return (type(command).__name__, command.help, command.no_args_is_help, params, subs)


def test_a_command_built_alone_is_the_command_of_the_whole_group() -> None:
    app = _load()
    whole = typer.main.get_command(app.app)
    names = sorted(whole.commands)  # type: ignore[attr-defined]
    assert {"coverage", "data", "policies"} <= set(names)
    for name in names:
        alone = app._command_for([name, "--help"])
        assert list(alone.commands) == [name]
        assert _shape(alone.commands[name]) == _shape(whole.commands[name])  # type: ignore[attr-defined]
        assert _shape(alone)[:4] == _shape(whole)[:4]  # the root's own options and help
    for args in ([], ["--help"], ["--debug", "coverage"], ["covrage"], ["--", "coverage"]):
        assert set(app._command_for(args).commands) == set(names)


@pytest.mark.parametrize(("given", "expected"), [(None, "4"), ("28", "28")])
def test_idle_blas_threads_told_to_sleep_unless_the_user_chose(
    given: str | None, expected: str
) -> None:
    """Set before numpy loads (OpenBLAS reads it then); a user's own setting is kept."""
    code = (
        "import contextlib, io, os, sys\nfrom twotier.cli import main\nseen = []\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'numpy' and not seen:\n"
        "            seen.append(os.environ.get('OPENBLAS_THREAD_TIMEOUT'))\n"
        "sys.meta_path.insert(0, Spy())\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['coverage', '--threshold', 'two'])\n"
        "print(*seen)"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if given is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = given
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    assert out == [expected]  # as numpy was first imported


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    from twotier.cli import COMMAND_MODULES, COMMANDS

    app = _load().app
    found = {
        (c.name or typer.main.get_command_name(c.callback.__name__)): c.callback.__module__
        for c in app.registered_commands
        if c.callback is not None
    }
    for group in app.registered_groups:
        callbacks = [c.callback for c in group.typer_instance.registered_commands]
        modules = {c.__module__ for c in callbacks if c is not None}
        assert len(modules) == 1, group.name
        found[str(group.name)] = modules.pop()
    assert {name: f"twotier.cli.{module}" for name, module in COMMANDS.items()} == found
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)


def test_a_command_imports_its_own_module_only() -> None:
    got, loaded = _loaded([*QUESTION, "--format", "json"])
    assert got == 0
    others = {"data_cmds", "negotiation_cmds", "projection_cmds", "response_cmds", "web_cmds"}
    assert "twotier.cli.coverage_cmds" in loaded
    assert not loaded & {f"twotier.cli.{m}" for m in others}


def _help_after(*earlier: list[str]) -> str:
    code = (
        "import contextlib, io\nfrom twotier.cli import main\n"
        f"for args in {list(earlier)!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        main(args)\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['--help'])\n"
        "print(out.getvalue())"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout


def test_the_command_list_keeps_its_order_whatever_ran_before() -> None:
    """A process that ran a command of a later module first lists commands as always."""
    fresh = _help_after()
    assert fresh.index("coverage ") < fresh.index("editions ") < fresh.index("serve ")
    assert _help_after(["serve", "--help"], ["editions", "--format", "csv"]) == fresh


@pytest.mark.parametrize("args", [["--help"], ["coverage", "--help"], ["data", "--help"]])
def test_help_imports_neither_pandas_nor_numpy(args: list[str]) -> None:
    got, loaded = _loaded(args)
    assert got == 0
    assert not loaded & {"pandas", "numpy", "rich", "pydantic"}


def test_a_policy_files_warning_shows_on_every_run_in_one_process(tmp_path: Any) -> None:
    """Warnings are caught as UserWarning now (naming UserPolicyWarning would import the
    rules for --help): a user policy's warning still shows, on each of two runs."""
    text = subprocess.run(
        [sys.executable, "-m", "twotier.cli", "policies", "show", "two-tier-2pct"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    policy = tmp_path / "mine.toml"
    policy.write_text(text, encoding="utf-8")  # reuses a built-in id: labelled, warned
    code = (
        "from twotier.cli import main\nfor _ in range(2):\n"
        f"    main(['coverage', '--policy', {str(policy)!r}, '--year', '2024', '--format', 'csv'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    lines = done.stderr.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("twotier: warning: policy file mine.toml: its id") for line in lines)

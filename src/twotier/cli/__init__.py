"""Command-line interface: a thin shell over the public Python API.

Every command takes ``--format table|csv|json``. Bad input prints one line,
``twotier: error: <argument>: <what is wrong>; accepted: <values>``, and exits
with status 2, without a traceback; problems of the environment exit with 1.

The commands are imported when a command runs, so ``twotier --version`` imports
nothing else.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = [
    "app",
    "coverage_cmds",
    "data_cmds",
    "main",
    "negotiation_cmds",
    "projection_cmds",
    "response_cmds",
    "serve",
    "web_cmds",
]

#: One module per group of commands (a new model adds its own module here).
COMMAND_MODULES = (
    "coverage_cmds",
    "data_cmds",
    "negotiation_cmds",
    "projection_cmds",
    "response_cmds",
    "web_cmds",
)


#: The module that registers each command and group (a test keeps it in step with them).
COMMANDS = {
    **dict.fromkeys(("coverage", "diff", "compare", "graph", "demo"), "coverage_cmds"),
    **dict.fromkeys(("editions", "figures", "policies", "data"), "data_cmds"),
    "negotiate": "negotiation_cmds",
    "project": "projection_cmds",
    **dict.fromkeys(("backtest", "respond", "exploitation"), "response_cmds"),
    **dict.fromkeys(("report", "chart", "serve"), "web_cmds"),
}


def _load(args: Sequence[str] = ()) -> Any:
    """Import the command modules (they register on the app) and return ``_app``.

    When ``args`` start with a command's name, only its module is imported (the app
    then builds that command alone); otherwise every module, for help and suggestions.

    The garbage collector is paused while they import (pandas, numpy, typer): imports
    make many long-lived objects and no garbage, and the collections they set off cost
    about a tenth of a short command's time. The imported objects are then frozen
    (left out of later collections) and collection resumes.
    """
    named = COMMANDS.get(args[0]) if args else None
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in COMMAND_MODULES if named is None else (named,):
            importlib.import_module(f"twotier.cli.{name}")
        return importlib.import_module("twotier.cli._app")
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _idle_blas_threads_sleep() -> None:
    """Let OpenBLAS's idle threads sleep at once, unless the user chose otherwise.

    numpy's OpenBLAS starts a thread per core when numpy is imported, and an idle one
    spins for about 2**28 cycles (~0.1 s) before it sleeps: on a busy machine it takes a
    core from the command starting up (the coverage question, 15 runs at load 3: median
    395 -> 339 ms).
    A short spin (2**4 cycles) changes neither the number of threads nor how work is
    split among them, so results are the same; read by OpenBLAS when numpy loads, and
    inherited by the processes a command starts (dashboard and projection workers).
    """
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``twotier`` command; returns the exit status.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 for bad input, 1 for problems of the environment or bugs.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"]):
        from twotier import __version__

        sys.stdout.write(f"twotier {__version__}\n")
        return 0
    _idle_blas_threads_sleep()
    result: int = _load(args).main(args)
    return result


def __getattr__(name: str) -> Any:
    """``app``, ``serve`` and the command modules, imported on first use (PEP 562)."""
    if name in COMMAND_MODULES:
        return importlib.import_module(f"twotier.cli.{name}")
    if name == "app":
        return _load().app
    if name == "serve":
        return importlib.import_module("twotier.cli.web_cmds").serve
    raise AttributeError(f"module 'twotier.cli' has no attribute {name!r}")

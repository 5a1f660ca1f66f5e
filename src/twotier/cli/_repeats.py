"""Refuse an option given more than once (click would silently keep the last one).

``coverage --threshold 2 --threshold 3`` used 3 without a word. Options that take a list
by repetition (``multiple``, such as ``negotiate --set``) may repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer

from twotier.errors import InputError

__all__ = ["check_repeats"]


def _command(root: Any, args: Sequence[str]) -> Any:
    """The (sub)command ``args`` run: ``data import`` is ``import`` inside ``data``.

    Duck-typed: typer builds its commands with its own copy of click.
    """
    command = root
    for token in args:
        group = getattr(command, "commands", None)
        if group is None:
            break
        if token.startswith("-"):
            continue
        if token not in group:
            break
        command = group[token]
    return command


def check_repeats(app: typer.Typer, args: Sequence[str]) -> None:
    """Raise InputError if a single-valued option of the command appears twice in ``args``.

    Only when some ``--name`` token repeats is the command tree built (most runs pay nothing).
    """
    end = list(args).index("--") if "--" in args else len(args)
    names = [a.split("=", 1)[0] for a in args[:end] if a.startswith("--")]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if not repeated:
        return
    command = _command(typer.main.get_command(app), args[:end])
    single = {
        opt
        for p in command.params
        if getattr(p, "param_type_name", "") == "option"
        and not getattr(p, "multiple", False)
        and not getattr(p, "count", False)
        for opt in (*p.opts, *p.secondary_opts)
    }
    for name in repeated:
        if name in single:
            count = names.count(name)
            times = "twice" if count == 2 else f"{count} times"
            raise InputError(f"{name}: given {times}; give it once", field=None)

"""Text and flag options read as typer reads them, without building pydantic validators.

typer (0.2x) coerces every option's value through a pydantic ``TypeAdapter`` that it
builds when the command runs; importing pydantic and building the adapters cost about
a tenth of a short command such as ``twotier coverage``. For an option typed ``str``
the adapter returns the very string it is given (a command-line value is already
``str``; ``None``, an option not given, is returned before any adapter runs), and a
flag's ``True``/``False`` never reaches its adapter; so :func:`plain_options`
passes such values through unchanged. Anything else (numbers, paths, lists, a value
of another type) still goes through typer's own coercion and its messages.

Duck-typed on typer's parameters (``type_descriptor``, ``_runtime_param``): a typer
without them is left alone and simply validates as before.
"""

from __future__ import annotations

from typing import Any

__all__ = ["plain_options"]


#: The option types whose values of that very type (or None) typer passes through as given.
PLAIN = (str, bool)


class _AsGiven:
    """typer's runtime coercion of one ``str`` or ``bool`` option, for values as given."""

    __slots__ = ("descriptor",)

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None or type(value) is self.descriptor.annotation:
            return value
        from typer._coercion import build_runtime_param

        return build_runtime_param(self.descriptor).coerce(value, param=param, ctx=ctx)


def _is_plain(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    return (
        getattr(descriptor, "annotation", None) in PLAIN
        and getattr(descriptor, "file_annotation", True) is None
        and getattr(info, "parser", True) is None
        and getattr(param, "nargs", None) == 1
        and getattr(param, "multiple", True) is False
        and "_runtime_param" in vars(param)
        and param._runtime_param is None
    )


def plain_options(command: Any) -> Any:
    """Read the ``str`` and ``bool`` options of ``command`` and its subcommands as given.

    The ``--help`` option, which typer makes when a command parses, included.

    Returns ``command``.
    """
    get_params = command.get_params

    def params_as_given(ctx: Any) -> Any:
        params = get_params(ctx)
        for param in params:
            if _is_plain(param):
                param._runtime_param = _AsGiven(param.type_descriptor)
        return params

    command.get_params = params_as_given
    for sub in getattr(command, "commands", {}).values():
        plain_options(sub)
    return command

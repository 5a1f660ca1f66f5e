"""Argument types checked at the public API, from each function's annotations.

A public function decorated with :func:`checked` refuses an argument of the wrong
type with one line naming the parameter and the accepted types
(:class:`~twotier.errors.InputError`), before its body runs; without it, ``None`` or a
DataFrame where a year belongs ended in an AttributeError or KeyError deep inside
(review D26). Only types are checked here: values (a year without figures, an unknown
edition, NaN) are each function's own business.

Annotations are read once, when the function is first called. The forms understood:
classes, ``X | None``, ``Literal[...]``, ``Iterable[X]`` / ``Sequence[X]`` (text is not
taken as a sequence of letters; elements of lists and tuples are checked),
``Mapping[K, V]``, ``tuple[...]`` and ``Callable``. An annotation that cannot be
resolved is not checked. ``int`` accepts any real number (the function decides
whether 2024.0 is a year); ``float`` any real number a float can hold (not 10**400);
neither accepts bool.

>>> @checked
... def f(year: int, edition: str = "latest") -> int:
...     return year
>>> f(2024)
2024
>>> f(None)
Traceback (most recent call last):
...
twotier.errors.InputError: year: expected a number, found None
"""

from __future__ import annotations

import collections.abc as abc
import functools
import inspect
import numbers
import os
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from twotier.errors import InputError

__all__ = ["check_fields", "checked", "is_file"]

F = TypeVar("F", bound=Callable[..., Any])
Check = tuple[Callable[[Any], bool], str]

_ANY: Check = (lambda v: True, "anything")


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_float(value: object) -> bool:
    try:
        return _is_real(value) and isinstance(float(value), float)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond 1e308
        return False


def _class(cls: type) -> Check:
    if cls is int:
        return _is_real, "a number"
    if cls is float:
        return _is_float, "a number"
    if cls is bool:
        return lambda v: isinstance(v, bool) or type(v).__name__ == "bool_", "True or False"
    if cls is str:
        return lambda v: isinstance(v, str), "text"
    if cls is os.PathLike or getattr(cls, "__name__", "") in ("Path", "PurePath"):
        return lambda v: isinstance(v, os.PathLike), "a path"
    if cls is type(None):
        return lambda v: v is None, "None"
    return lambda v: isinstance(v, cls), cls.__name__


def _grouped(name: str) -> str:
    return f"({name})" if " or " in name else name


def _items(args: tuple[Any, ...], what: str) -> Check:
    inner, name = _check(args[0]) if args else _ANY

    def ok(value: object) -> bool:
        if isinstance(value, (str, bytes)) or not isinstance(value, abc.Iterable):
            return False
        if isinstance(value, (list, tuple, set, frozenset)):
            return all(inner(v) for v in value)
        return True  # an iterator: its elements cannot be looked at without using it

    return ok, f"{what} of {_grouped(name)}" if args else what


def _mapping(args: tuple[Any, ...]) -> Check:
    key, key_name = _check(args[0]) if args else _ANY
    val, val_name = _check(args[1]) if len(args) > 1 else _ANY

    def ok(value: object) -> bool:
        return isinstance(value, abc.Mapping) and all(key(k) and val(v) for k, v in value.items())

    return ok, f"a mapping of {_grouped(key_name)} to {_grouped(val_name)}"


def _tuple(args: tuple[Any, ...]) -> Check:
    if len(args) == 2 and args[1] is Ellipsis:
        return _items(args[:1], "a tuple")
    parts = [_check(a) for a in args]

    def ok(value: object) -> bool:
        return (
            isinstance(value, (tuple, list))
            and len(value) == len(parts)
            and all(p[0](v) for p, v in zip(parts, value, strict=True))
        )

    return ok, f"a pair ({', '.join(p[1] for p in parts)})"


def _union(args: tuple[Any, ...]) -> Check:
    parts = [_check(a) for a in args]
    names = list(dict.fromkeys(p[1] for p in parts if p[1] != "None"))
    shown = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    if len(names) < len(parts):
        shown += " or None"
    if "a path" in names:  # no file name holds NUL; open() would raise ValueError
        return (lambda v: any(p[0](v) for p in parts) and not _has_nul(v)), shown
    return (lambda v: any(p[0](v) for p in parts)), shown


def _has_nul(value: object) -> bool:
    return isinstance(value, (str, os.PathLike)) and "\x00" in str(os.fspath(value))


def is_file(path: str | os.PathLike[str]) -> bool:
    """``Path(path).is_file()`` that says False for names the system refuses.

    ``Path.is_file`` raises for a name that is too long (OSError) or holds NUL
    (ValueError); a policy id or scenario name is looked up as a file only if it is one.
    """
    from pathlib import Path

    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


_GENERIC: dict[Any, Callable[[tuple[Any, ...]], Check]] = {
    abc.Iterable: lambda a: _items(a, "a list"),
    abc.Sequence: lambda a: _items(a, "a list"),
    abc.Mapping: _mapping,
    tuple: _tuple,
    list: lambda a: _items(a, "a list"),
}


def _check(annotation: Any) -> Check:
    """A predicate and a description of what ``annotation`` accepts."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is Any or annotation is inspect.Parameter.empty:
        return _ANY
    if annotation is None:
        return _class(type(None))
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is typing.Literal:
        return (lambda v: any(type(v) is type(a) and v == a for a in args)), " or ".join(
            repr(a) for a in args
        )
    if origin is abc.Callable or annotation is abc.Callable:
        return callable, "a function"
    if origin in _GENERIC:
        return _GENERIC[origin](args)
    if isinstance(annotation, type):
        return _class(annotation)
    return _ANY


def _shown(value: object) -> str:
    text = (
        repr(value)
        if isinstance(value, (str, bytes, numbers.Number)) or value is None
        else (type(value).__name__)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _checks(func: Callable[..., Any]) -> dict[str, Check]:
    try:
        hints = typing.get_type_hints(func)
    except Exception:  # a name imported only for type checkers: check what resolves
        hints = {}
        namespace = getattr(func, "__globals__", None) or vars(sys.modules[func.__module__])
        for name, annotation in getattr(func, "__annotations__", {}).items():
            try:
                hints[name] = (
                    eval(annotation, namespace) if isinstance(annotation, str) else annotation
                )
            except Exception:
                continue
    hints.pop("return", None)
    return {name: _check(annotation) for name, annotation in hints.items()}


def checked(func: F) -> F:
    """Decorate a public function: arguments of the wrong type raise InputError."""
    signature = inspect.signature(func)

    @functools.cache
    def checks() -> dict[str, Check]:
        return _checks(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise InputError(f"{func.__name__}: {exc}", field=func.__name__) from None
        for name, value in bound.arguments.items():
            ok, accepted = checks().get(name, _ANY)
            if not ok(value):
                raise InputError(f"{name}: expected {accepted}, found {_shown(value)}", field=name)
        return func(*args, **kwargs)

    return typing.cast(F, wrapper)


_FIELD_CHECKS: dict[type, dict[str, Check]] = {}


def _field_checks(cls: type) -> dict[str, Check]:
    if cls not in _FIELD_CHECKS:
        _FIELD_CHECKS[cls] = _checks(cls)
    return _FIELD_CHECKS[cls]


def check_fields(instance: object, error: type[InputError] = InputError) -> None:
    """Check the fields of a dataclass instance against their annotations.

    Called first in ``__post_init__`` of the public parameter classes, so
    ``Criterion(threshold="x")`` is a one-line ``error`` naming the field, not a
    TypeError from a comparison further down.

    Raises
    ------
    InputError
        (or ``error``) ``"<field>: expected <types>, found <value>"``.
    """
    for name, (ok, accepted) in _field_checks(type(instance)).items():
        value = getattr(instance, name, None)
        if not ok(value):
            raise error(f"{name}: expected {accepted}, found {_shown(value)}", field=name)

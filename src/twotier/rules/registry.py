"""Where policies come from: built-in TOML files, users' files, a threshold.

:func:`resolve_policy` is the one place where "a policy or a threshold" becomes a
:class:`~twotier.Policy`, for the CLI, the dashboard and the Python API alike.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import warnings
from importlib import resources
from pathlib import Path

from twotier._arguments import checked, is_file
from twotier.data.toml_files import read_text_file
from twotier.errors import InputError, PolicyError, UnknownPolicyError, decimal_number, printable
from twotier.rules.policy import Criterion, Policy, parse_policy

__all__ = [
    "THRESHOLD_DECIMALS",
    "UserPolicyWarning",
    "builtin_policy_text",
    "check_threshold",
    "get_policy",
    "list_policies",
    "load_policy_file",
    "resolve_policy",
    "threshold_policy",
]

#: Largest policy file accepted (a policy is a few hundred bytes).
MAX_POLICY_BYTES = 64 * 1024


@functools.cache
def _builtin_files() -> dict[str, resources.abc.Traversable]:
    folder = resources.files("twotier.rules") / "builtin"
    return {
        entry.name.removesuffix(".toml"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


@checked
def builtin_policy_text(policy_id: str) -> str:
    """Return the TOML text of a built-in policy (to copy and edit)."""
    files = _builtin_files()
    if policy_id not in files:
        raise UnknownPolicyError(
            f"policy: unknown policy {policy_id!r}; accepted: {', '.join(sorted(files))} "
            "or the path of a .toml policy file",
            field="policy",
        )
    return files[policy_id].read_text(encoding="utf-8")


@functools.cache
def _builtin(policy_id: str) -> Policy:
    policy = parse_policy(builtin_policy_text(policy_id), origin=f"{policy_id}.toml")
    if policy.id != policy_id:  # pragma: no cover - guarded by a test over all built-ins
        raise PolicyError(f"{policy_id}.toml: policy.id is {policy.id!r}", field="policy.id")
    return policy


def list_policies() -> list[Policy]:
    """Return the built-in policies, sorted by id."""
    return [_builtin(name) for name in sorted(_builtin_files())]


@checked
def load_policy_file(path: str | Path) -> Policy:
    """Read and validate a policy file.

    Raises
    ------
    PolicyError
        The file cannot be read, is too large, or is not a valid policy.
    """
    p = Path(path)
    text = read_text_file(p, max_bytes=MAX_POLICY_BYTES, error=PolicyError, field="policy")
    return _label_user_policy(parse_policy(text, origin=p.name), p)


class UserPolicyWarning(UserWarning):
    """A user's policy file that could be taken for a built-in policy or misread."""


def _title_contradicts(title: str, threshold: float) -> bool:
    """True when the title names percentages and none of them is the threshold."""
    named = [float(x) for x in re.findall(r"([0-9]+(?:\.[0-9]+)?)\s*%", title)]
    return bool(named) and all(abs(x - threshold) > 1e-9 for x in named)


def _label_user_policy(policy: Policy, path: Path) -> Policy:
    """Label a user's file that could be taken for a built-in policy or misread.

    A file that reuses a built-in id or whose title names another threshold than its
    first criterion's gets its id from the file name, a title marked as the user's,
    and a :class:`UserPolicyWarning`.
    """
    problems = []
    if policy.id in _builtin_files():
        problems.append(f"its id {policy.id!r} is a built-in policy's")
    if policy.primary is not None and _title_contradicts(policy.title, policy.primary.threshold):
        problems.append(
            f"its title {policy.title!r} names another threshold than its "
            f"{policy.primary.threshold:g}%"
        )
    if not problems:
        return policy
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")[:58] or "policy"
    new_id = stem if stem not in _builtin_files() else f"{stem}-user"
    name = printable(path.name)  # a file name may hold terminal escape sequences
    warnings.warn(
        f"policy file {name}: {'; '.join(problems)}; shown as {new_id!r} "
        "(your file), not as a built-in policy",
        UserPolicyWarning,
        stacklevel=2,
    )
    return dataclasses.replace(
        policy, id=new_id, title=f"{policy.title} (your file {name})", status="user file"
    )


@checked
def get_policy(policy: str | Path | Policy) -> Policy:
    """Return a policy from a built-in id, a ``.toml`` path, or a :class:`Policy`."""
    if isinstance(policy, Policy):
        return policy
    text = str(policy)
    if text in _builtin_files():
        return _builtin(text)
    if text.endswith(".toml") or is_file(text):
        return load_policy_file(text)
    raise UnknownPolicyError(
        f"policy: unknown policy {text!r}; accepted: {', '.join(sorted(_builtin_files()))} "
        "or the path of a .toml policy file",
        field="policy",
    )


#: Thresholds are kept to hundredths of a percentage point, the precision of NATO's
#: published shares of GDP (decided here once, for the CLI, the dashboard and the API).
THRESHOLD_DECIMALS = 2


def check_threshold(value: object, *, field: str = "threshold") -> float:
    """Return a two-tier threshold (% of GDP) as a finite number from 0 to 100.

    Text is read as a number (the CLI passes what was typed); the result is rounded
    to :data:`THRESHOLD_DECIMALS` decimals.

    Parameters
    ----------
    value
        A number, or text holding one.
    field
        The argument's name, used in the error.

    Returns
    -------
    float
        The threshold in % of GDP.

    Raises
    ------
    InputError
        If ``value`` is not a finite number from 0 to 100.

    Examples
    --------
    >>> check_threshold("3.5")
    3.5
    >>> check_threshold(2.0049)
    2.0
    >>> check_threshold(-1)
    Traceback (most recent call last):
    ...
    twotier.errors.InputError: threshold: expected a percentage of GDP from 0 to 100, found -1
    """
    expected = "a number of percent of GDP from 0 to 100, such as 2 or 3.5"
    if isinstance(value, str):  # typed text: ASCII digits only, as --year (review D25)
        number = decimal_number(value, field, expected)
    else:
        try:
            if isinstance(value, bool):
                raise TypeError
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            message = f"{field}: expected {expected}, found {value!r}"
            raise InputError(message, field=field) from None
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise InputError(
            f"{field}: expected a percentage of GDP from 0 to 100, found {value!r}", field=field
        )
    return round(number, THRESHOLD_DECIMALS) + 0.0  # + 0.0: no negative zero


def threshold_policy(  # any type: check_threshold reads it
    threshold_pct: float,
) -> Policy:
    """Return the alliance-wide two-tier rule at ``threshold_pct`` % of GDP.

    Used for ``--threshold`` and by the dashboard's slider; the threshold is checked
    and rounded by :func:`check_threshold`.

    Parameters
    ----------
    threshold_pct
        Threshold, % of GDP, from 0 to 100.

    Returns
    -------
    Policy
        The rule, with id ``threshold-<value>``.

    Raises
    ------
    InputError
        If the threshold is not a finite number from 0 to 100 (field ``threshold``).

    Examples
    --------
    >>> threshold_policy(3.5).id
    'threshold-3.5'
    """
    value = check_threshold(threshold_pct)
    criterion = Criterion(indicator="pct_gdp", threshold=value)
    return Policy(
        id=f"threshold-{value:g}",
        title=f"Two-tier rule: Article 5 only for allies at >= {value:g}% of GDP",
        source="user-supplied threshold",
        date="",
        status="user",
        description="Alliance-wide two-tier rule with a threshold given by the user.",
        criteria=(criterion,),
    )


@checked
def resolve_policy(
    policy: str | Path | Policy | None = None,
    threshold: float | str | None = None,
    *,
    policy_field: str = "policy",
    threshold_field: str = "threshold",
) -> Policy:
    """Return the policy selected by exactly one of ``policy`` and ``threshold``.

    Parameters
    ----------
    policy
        A built-in id, the path of a ``.toml`` policy file, or a :class:`Policy`.
    threshold
        A two-tier threshold in % of GDP (a number, or text holding one), checked
        and rounded by :func:`check_threshold`.
    policy_field, threshold_field
        The names used in errors (for an interface whose arguments are named otherwise).

    Returns
    -------
    Policy
        The policy.

    Raises
    ------
    InputError
        Both or neither given (field ``policy``), or a bad threshold (field ``threshold``).
    UnknownPolicyError
        ``policy`` is neither built in nor a readable file.
    PolicyError
        The policy file does not parse or validate.

    Examples
    --------
    >>> resolve_policy(threshold="2.5").id
    'threshold-2.5'
    >>> resolve_policy("article5").id
    'article5'
    """
    if threshold is not None and policy is None:
        return threshold_policy(check_threshold(threshold, field=threshold_field))
    if policy is not None and threshold is None:
        return get_policy(policy)
    raise InputError(
        f"{policy_field}: give exactly one of {policy_field} (a built-in id or a .toml "
        f"file) or {threshold_field} (% of GDP)",
        field=policy_field,
    )

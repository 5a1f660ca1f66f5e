"""Built-in policies (TOML files shipped in the package) and policy files of users."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from twotier.data.toml_files import read_text_file
from twotier.errors import PolicyError, UnknownPolicyError
from twotier.rules.policy import Policy, parse_policy

__all__ = ["builtin_policy_text", "get_policy", "list_policies", "load_policy_file"]

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


def builtin_policy_text(policy_id: str) -> str:
    """Return the TOML text of a built-in policy (to copy and edit)."""
    files = _builtin_files()
    if policy_id not in files:
        raise UnknownPolicyError(
            f"--policy: unknown policy {policy_id!r}; accepted: {', '.join(sorted(files))} "
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


def load_policy_file(path: str | Path) -> Policy:
    """Read and validate a policy file.

    Raises
    ------
    PolicyError
        The file cannot be read, is too large, or is not a valid policy.
    """
    p = Path(path)
    text = read_text_file(p, max_bytes=MAX_POLICY_BYTES, error=PolicyError, field="policy")
    return parse_policy(text, origin=p.name)


def get_policy(policy: str | Path | Policy) -> Policy:
    """Return a policy from a built-in id, a ``.toml`` path, or a :class:`Policy`."""
    if isinstance(policy, Policy):
        return policy
    text = str(policy)
    if text in _builtin_files():
        return _builtin(text)
    if text.endswith(".toml") or Path(text).is_file():
        return load_policy_file(text)
    raise UnknownPolicyError(
        f"--policy: unknown policy {text!r}; accepted: {', '.join(sorted(_builtin_files()))} "
        "or the path of a .toml policy file",
        field="policy",
    )

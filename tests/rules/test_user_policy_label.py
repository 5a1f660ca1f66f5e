"""A user's policy file is never shown as a built-in policy, nor under a misleading title."""

from __future__ import annotations

from pathlib import Path

import pytest

import twotier
from twotier.cli import main


def _write(folder: Path, name: str, *, policy_id: str, title: str, threshold: float) -> Path:
    text = twotier.builtin_policy_text("two-tier-2pct")
    lines = []
    for line in text.splitlines():
        if line.startswith("id = "):
            line = f'id = "{policy_id}"'
        elif line.startswith("title = "):
            line = f'title = "{title}"'
        elif line.startswith("threshold = "):
            line = f"threshold = {threshold}"
        lines.append(line)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reused_builtin_id_is_relabelled_and_warned(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "strict.toml", policy_id="two-tier-2pct", title="Stricter rule", threshold=2.5
    )
    with pytest.warns(twotier.UserPolicyWarning, match="built-in policy's"):
        policy = twotier.load_policy_file(path)
    assert policy.id == "strict"
    assert "your file strict.toml" in policy.title


def test_title_contradicting_the_threshold_is_warned(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.toml", policy_id="mine", title="At 2% of GDP", threshold=3.5)
    with pytest.warns(twotier.UserPolicyWarning, match="names another threshold"):
        policy = twotier.load_policy_file(path)
    assert policy.id == "p"


def test_a_consistent_user_file_is_left_alone(tmp_path: Path) -> None:
    import warnings

    path = _write(tmp_path, "p.toml", policy_id="mine", title="At 2.5% of GDP", threshold=2.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        policy = twotier.load_policy_file(path)
    assert (policy.id, policy.title) == ("mine", "At 2.5% of GDP")


def test_cli_prints_the_warning_and_the_users_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path, "copy.toml", policy_id="two-tier-2pct", title="Two-tier: 3% of GDP", threshold=2
    )
    assert main(["coverage", "--policy", str(path), "--year", "2025"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("twotier: warning: policy file copy.toml:")
    assert "(your file copy.toml)" in out

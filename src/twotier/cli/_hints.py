"""What to try when a command runs out of memory, in the command's own flags."""

from __future__ import annotations

__all__ = ["memory_hint"]

#: Command -> its flags that reduce memory (adversarial2 H1, M3: the one message named
#: --chunk-size, which only ``project`` has).
HINTS = {
    "project": "try fewer --draws or a smaller --chunk-size",
    "respond": "try fewer --draws or --threats, or an earlier --to",
    "backtest": "try fewer --draws, --origins or --horizons",
    "negotiate": "try fewer --draws or a smaller --sobol",
    "data": "the file may be larger than this machine can read",
}


def memory_hint(args: list[str]) -> str:
    """The one line for a MemoryError in the command ``args`` ran."""
    command = next((a for a in args if not a.startswith("-")), "")
    return "out of memory; " + HINTS.get(command, "the run needs more memory than is free")

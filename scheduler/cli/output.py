"""Where the command line prints: wrapped to a terminal, never wrapped anywhere else."""

from __future__ import annotations

from rich.console import Console

# Wide enough that no record is ever wrapped when the output goes to a pipe or a file.
UNWRAPPED = 1_000_000


def make_console(stderr: bool = False) -> Console:
    """A console that wraps to a terminal's width, but writes one record per line to a pipe
    or a file (`fristvakt diff | grep` finds whole records)."""
    console = Console(stderr=stderr, highlight=False)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=UNWRAPPED)

"""Maps the exception tree to messages and exit codes: the only place that does."""

from __future__ import annotations

import traceback

import typer
from rich.console import Console

from scheduler.cli.context import state
from timelines.exceptions import FristvaktError, ValidationFailed

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
INTERNAL_ERROR = 70


def _report(exc: FristvaktError) -> None:
    if isinstance(exc, ValidationFailed):
        for problem in exc.problems:
            style = "yellow" if problem.severity == "warning" else "red"
            err_console.print(str(problem), style=style, markup=False)
        return
    err_console.print(f"error: {exc}", style="red", markup=False)


def _exit_code(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)


def run_guarded(app: typer.Typer, argv: list[str]) -> int:
    """Run the app; a coordinator never sees a traceback unless --debug was given.

    Click's standalone mode handles usage errors (exit 2), `--help` and `typer.Exit` itself
    and ends with SystemExit; everything else that escapes a command is ours to report.
    """
    try:
        app(args=argv, prog_name="fristvakt")
    except SystemExit as exc:
        return _exit_code(exc)
    except FristvaktError as exc:
        if state.debug:
            traceback.print_exc()
        _report(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if state.debug:
            traceback.print_exc()
        else:
            err_console.print(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                style="red", markup=False,
            )
        return INTERNAL_ERROR
    return 0

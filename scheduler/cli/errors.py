"""Maps the exception tree to messages and exit codes: the only place that does."""

from __future__ import annotations

import traceback

import click
import typer
from rich.console import Console

from scheduler.cli.context import state
from timelines.exceptions import FristvaktError, ValidationFailed

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _report(exc: FristvaktError) -> None:
    if isinstance(exc, ValidationFailed):
        for problem in exc.problems:
            style = "yellow" if problem.severity == "warning" else "red"
            err_console.print(str(problem), style=style, markup=False)
        return
    err_console.print(f"error: {exc}", style="red", markup=False)


def run_guarded(app: typer.Typer, argv: list[str]) -> int:
    """Run the app; a coordinator never sees a traceback unless --debug was given."""
    try:
        # Without standalone mode click returns the code of a `typer.Exit` instead of raising.
        result = app(args=argv, standalone_mode=False)
    except (click.exceptions.Exit, typer.Exit) as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted")
        return 130
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
        return 70
    return result if isinstance(result, int) else 0

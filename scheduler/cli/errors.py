"""Maps the exception tree to messages and exit codes: the only place that does."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable

import typer

from scheduler.cli.context import state
from scheduler.cli.output import make_console, print_lines
from timelines.base.exceptions import DatabaseError, FristvaktError, ValidationFailed
from timelines.base.i18n import _
from timelines.base.problems import Problem

err_console = make_console(stderr=True)
INTERNAL_ERROR = 70


def error_line(lang: str, exc: Exception | str) -> str:
    """`error: ...` in the reader's language."""
    return _(lang, "error: {message}", message=exc)


def print_problems(problems: Iterable[Problem]) -> None:
    """Each problem on its own line of stderr, in the language it was found in: errors red
    and warnings yellow on a terminal; to a pipe or a file as they are."""
    found = list(problems)
    print_lines(err_console, [str(problem) for problem in found],
                ["yellow" if problem.severity == "warning" else "red" for problem in found])


def _report(exc: FristvaktError, lang: str) -> None:
    if isinstance(exc, ValidationFailed):
        print_problems(exc.problems)
        return
    err_console.print(error_line(lang, exc), style="red", markup=False)


def _internal(lang: str, exc: Exception) -> None:
    if state.debug:
        traceback.print_exc()
        return
    text = _(lang, "internal error: {kind}: {message} (run with --debug for details)",
             kind=type(exc).__name__, message=exc)
    err_console.print(text, style="red", markup=False)


def _database_error(exc: Exception) -> bool:
    """Raised by the database driver (read-only file, locked, server unreachable)? Looked
    up without importing SQLAlchemy: a command that never opened a database has none."""
    module = sys.modules.get("sqlalchemy.exc")
    return module is not None and isinstance(exc, module.DBAPIError)


def _database(lang: str, exc: Exception) -> int:
    """A database error is the database's exit code (5) and one clear line."""
    if state.debug:
        traceback.print_exc()
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    err_console.print(_(lang, "error: the database cannot be used: {detail}", detail=detail),
                      style="red",
                      markup=False)
    return DatabaseError.exit_code


def _exit_code(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)


def run_guarded(app: typer.Typer, argv: list[str]) -> int:
    """Run the app; a coordinator never sees a traceback unless --debug was given.

    Click runs without its standalone mode so that its usage errors are told here, in the
    reader's language (helptext.py); `--help` and `typer.Exit` come back as exit codes.
    """
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
    from typer.exceptions import Abort

    try:
        code = app(args=argv, prog_name="fristvakt", standalone_mode=False)
    except SystemExit as exc:
        return _exit_code(exc)
    except NoArgsIsHelpError as exc:
        err_console.print(exc.ctx.get_help() if exc.ctx else "", markup=False)
        return exc.exit_code
    except UsageError as exc:
        from scheduler.cli.helptext import usage_error

        err_console.print(usage_error(state.lang(), exc), markup=False)
        return exc.exit_code
    except ClickException as exc:
        err_console.print(error_line(state.lang(), exc.format_message()), markup=False)
        return exc.exit_code
    except FristvaktError as exc:
        if state.debug:
            traceback.print_exc()
        _report(exc, state.lang())
        return exc.exit_code
    except (KeyboardInterrupt, Abort):
        err_console.print(_(state.lang(), "aborted"), style="yellow", markup=False)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if _database_error(exc):
            return _database(state.lang(), exc)
        _internal(state.lang(), exc)
        return INTERNAL_ERROR
    return code if isinstance(code, int) else 0

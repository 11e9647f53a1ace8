"""The `fristvakt` command line. Errors become messages and exit codes here, in one place."""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from scheduler.cli.context import state

app = typer.Typer(
    name="fristvakt",
    help="Deadline reminders and calendar feeds for regional action plans.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each command group lives in its own module with a `register(app)` function.
COMMAND_MODULES = ("core", "dates", "importer", "mail", "engine", "feeds", "owners")


@app.callback()
def _root(
    config: str = typer.Option(
        None, "-c", "--config", envvar="FRISTVAKT_CONFIG", help="Path to fristvakt.toml."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    state.config_path = config
    state.debug = debug
    state.chosen_lang = None  # chosen again for this run's config (context.py)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = import_module(f"scheduler.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scheduler.cli.{name}":
                raise
            continue
        module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    from scheduler.cli.errors import run_guarded

    _register_all()
    code = run_guarded(app, argv if argv is not None else sys.argv[1:])
    if argv is None:
        sys.exit(code)
    return code

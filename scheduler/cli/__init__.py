"""The `fristvakt` command line. Errors become messages and exit codes here, in one place.

Commands are loaded when they are run: `fristvakt validate` imports what validating needs and
nothing else (no SQLAlchemy, alembic or icalendar), and `--help` lists every command from the
table below without importing any.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperGroup

from scheduler.cli.context import state

# Each command → the modules (with a `register(app)` function) that define it.
COMMANDS: dict[str, tuple[str, ...]] = {
    "init": ("core",), "validate": ("core",), "import": ("importer",), "diff": ("core",),
    "apply": ("core",), "agenda": ("core",), "plan": ("engine",), "run": ("engine",),
    "serve": ("engine",), "log": ("engine",), "requeue": ("engine",), "feeds": ("feeds",),
    "mail": ("mail",), "mailcatcher": ("mail",), "dates": ("dates",), "demo": ("engine",),
    "pages": ("pages",), "requests": ("owners",), "status": ("owners",), "report": ("owners",),
    "status-round": ("owners",),
}


def _load(modules: tuple[str, ...]) -> dict[str, Any]:
    """The click commands the modules register."""
    sub = typer.Typer(rich_markup_mode=None)
    for name in modules:
        import_module(f"scheduler.cli.{name}").register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyGroup(TyperGroup):
    """The root group: a command's module is imported when that command is looked up."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            from scheduler.cli.helptext import translate_command

            command = _load(COMMANDS[cmd_name])[cmd_name]
            translate_command(command, state.lang(), cmd_name)
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        from scheduler.cli.helptext import translate_command

        translate_command(self, state.lang(), "root")  # the root's own help, in the reader's
        return super().make_context(info_name, args, parent, **extra)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from helptext.COMMAND_HELP, so `--help` imports no command's module."""
        from scheduler.cli.helptext import command_rows, section

        with formatter.section(section(state.lang(), "Commands")):
            formatter.write_dl(command_rows(state.lang(), list(COMMANDS)))


app = typer.Typer(
    name="fristvakt",
    help="Deadline reminders and calendar feeds for regional action plans.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    cls=LazyGroup,
)


@app.callback()
def _root(
    config: str = typer.Option(
        None, "-c", "--config",
        help="Path to fristvakt.toml (default: the nearest one in this folder or a parent, "
             "else $FRISTVAKT_CONFIG)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    state.config_path = config
    state.debug = debug
    state.chosen_lang = None  # chosen again for this run's config (context.py)


def _config_arg(args: list[str]) -> str | None:
    """The value of -c/--config among the root options, if given."""
    for index, arg in enumerate(args):
        if arg in ("-c", "--config") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--config="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):  # the command: what follows is its own
            return None
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    from scheduler.cli.errors import run_guarded

    args = argv if argv is not None else sys.argv[1:]
    # Help and usage errors are told before the root callback runs: start from this run's -c.
    state.config_path, state.debug, state.chosen_lang = _config_arg(args), False, None
    code = run_guarded(app, args)
    if argv is None:
        sys.exit(code)
    return code

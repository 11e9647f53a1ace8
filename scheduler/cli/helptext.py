"""`--help` and click's own words (usage, headings, usage errors) in the reader's language.

The help of each command and option is in `COMMAND_HELP` and `OPTION_HELP`, click's fixed
phrases in the tables below (English messages, translated like every other text). A help
missing from them stays as written in the code.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click import Context, HelpFormatter
from typer._click.exceptions import MissingParameter, NoSuchOption, UsageError

from scheduler.cli.context import state
from timelines.base.i18n import N_, _, translate

HELP_OPTION = "Show this message and exit."
# Each command's help, by its path (`feeds.export` for a subcommand), and each option's, by
# its name: what `--help` shows instead of the text written in the code.
COMMAND_HELP = {
    "root": N_("Deadline reminders and calendar feeds for regional action plans."),
    "init": N_("Create fristvakt.toml and timelines/ with commented examples."),
    "validate": N_("Check fristvakt.toml and every timeline file; exit 1 on any error."),
    "import": N_("Read plan documents into timeline files."),
    "diff": N_("What applying the files would change; changes nothing."),
    "apply": N_("Make the database match the files and plan the reminders."),
    "agenda": N_("Upcoming and overdue open tasks."),
    "plan": N_("Which reminders will go out, when and to whom."),
    "run": N_("The scheduler: send every reminder that is due."),
    "serve": N_("The scheduler and the feed server, until stopped."),
    "log": N_("What was sent, when, to whom, and what failed."),
    "requeue": N_("Re-arm reminders that died (after a broken SMTP password, say)."),
    "feeds": N_("Calendar feeds: static files, subscription links, the server."),
    "mail": N_("Look at and test the email owners get."),
    "mailcatcher": N_("A local SMTP server that keeps every message in a Maildir."),
    "dates": N_("Show how a date text is read."),
    "demo": N_("A plan replayed over a year into a local mail catcher."),
    "pages": N_("Plan timelines, the årshjul and overviews as HTML pages."),
    "requests": N_("Owners' requests for more time, and your decision."),
    "status": N_("Owners' recorded statuses; --write puts them into the timeline files."),
    "report": N_("The council's status report."),
    "status-round": N_("Ask every owner for the status of their open tasks before a meeting."),
}
OPTION_HELP = {
    "config": N_("Path to fristvakt.toml (default: the nearest one in this folder or a parent, "
                 "else $FRISTVAKT_CONFIG)."),
    "debug": N_("Show tracebacks."),
    "now": N_("Pretend it is this instant (ISO 8601; without an offset: the config's time "
              "zone)."),
    "json": N_("Print JSON."),
    "days": N_("How many days ahead."),
    "once": N_("One pass, then exit (for cron)."),
    "today": N_("Date the example plan from this day (YYYY-MM-DD)."),
    "owner": N_("Only tasks that reach this owner key."),
    "interval": N_("Seconds between scheduler ticks."),
    "lease": N_("Seconds a claimed reminder stays reserved."),
    "batch": N_("Reminders claimed at a time; while many are due, claims grow to four times "
                "this."),
}
# The headings click writes.
_SECTIONS = {"Options": N_("Options"), "Commands": N_("Commands"),
             "Arguments": N_("Arguments")}
# click's and typer's words for a value it could not convert → what we say (with its fields).
_VALUE_ERRORS = (
    (re.compile(r"^Value (?P<value>.+) is not a valid (?P<kind>\w+)\.$"),
     N_("{value} is not a valid {kind}")),
    (re.compile(r"^(?P<value>.+) does not match the formats? (?P<formats>.+)\.$"),
     N_("{value} does not match the format {formats}")),
    (re.compile(r"^(?P<value>.+) is not one of (?P<choices>.+)\.$"),
     N_("{value} is not one of {choices}")),
)
# pydantic's words when typer converts a number (they carry no value to quote).
_NUMBER_ERRORS = {"Input should be a valid integer": N_("expected a whole number"),
                  "Input should be a valid number": N_("expected a number")}
_USAGE_ERRORS = (
    (re.compile(r"^No such command (?P<name>.+)\.$"), N_("no such command {name}")),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$"),
     N_("unexpected extra arguments ({args})")),
)


def _help(lang: str, table: dict[str, str], name: str, default: str) -> str:
    """The help `name` has in `table`, in `lang`; else `default`."""
    message = table.get(name)
    return translate(lang, message) if message else default


def section(lang: str, title: str) -> str:
    """A heading click writes (`Commands`, `Options`, `Arguments`)."""
    return _help(lang, _SECTIONS, title, title)


def command_rows(lang: str, names: list[str]) -> list[tuple[str, str]]:
    """(command, short help) for the root `--help`."""
    return [(name, _help(lang, COMMAND_HELP, name, "")) for name in names]


class TranslatedFormatter(HelpFormatter):
    """click's help layout with its fixed words in the reader's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(state.lang(), "Usage: "))

    def section(self, name: str) -> Any:
        return super().section(section(state.lang(), name))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        said = _(state.lang(), "Show this message and exit.")
        super().write_dl([(a, said if b == HELP_OPTION else b) for a, b in rows],
                         col_max, col_spacing)


class TranslatedContext(Context):
    formatter_class = TranslatedFormatter


def translate_command(command: Any, lang: str, path: str) -> None:
    """Give a loaded command (and its subcommands) help texts and headings in `lang`."""
    command.context_class = TranslatedContext
    command.help = _help(lang, COMMAND_HELP, path, command.help or "")
    command.short_help = None
    for param in command.params:
        name = (param.opts[-1] if param.opts else param.name or "").lstrip("-")
        if getattr(param, "help", None):
            param.help = _help(lang, OPTION_HELP, name, param.help)
    for name, sub in getattr(command, "commands", {}).items():
        translate_command(sub, lang, f"{path}.{name}")


def usage_error(lang: str, exc: UsageError) -> str:
    """What click would print for a usage error (usage, where to get help, the error), in
    `lang`."""
    lines = []
    if exc.ctx is not None:
        lines.append(exc.ctx.get_usage())
        lines.append(_(lang, "Try '{command}' for help.", command=exc.ctx.command_path + " --help"))
    lines.append(_(lang, "Error: {message}", message=_message(lang, exc)))
    return "\n".join(lines)


def _message(lang: str, exc: UsageError) -> str:
    if isinstance(exc, NoSuchOption):
        return _(lang, "no such option: {name}", name=exc.option_name)
    if isinstance(exc, MissingParameter):
        return _(lang, "missing {name}", name=_hint(exc))
    if getattr(exc, "param", None) is not None or getattr(exc, "param_hint", None):
        return _(lang, "invalid value for {name}: {message}", name=_hint(exc),
                 message=_value(lang, exc.message))
    for pattern, message in _USAGE_ERRORS:
        if found := pattern.match(exc.message):
            return translate(lang, message, **found.groupdict())
    return exc.format_message()


def _hint(exc: Any) -> str:
    """The parameter as click names it in an error: `'--year'`, `'TEXT'`."""
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)
    return str(exc.param.get_error_hint()) if exc.param is not None else ""


def _value(lang: str, message: str) -> str:
    """A conversion error in `lang` when it is one click or typer words; else as given (our
    own BadParameters are told in the reader's language already)."""
    for pattern, said in _VALUE_ERRORS:
        if found := pattern.match(message):
            return translate(lang, said, **found.groupdict())
    for start, said in _NUMBER_ERRORS.items():
        if message.startswith(start):
            return translate(lang, said)
    return message

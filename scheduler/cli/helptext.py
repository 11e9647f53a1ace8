"""`--help` and click's own words (usage, headings, usage errors) in the reader's language.

Texts live in the catalogs under `green.help.<command>` (a command's help; `feeds.export` for a
subcommand), `green.help.opt.<option>` (an option's help) and `green.click.*` (click's fixed
phrases). A text missing from the catalogs stays as written in the code.
"""

from __future__ import annotations

import re
from typing import Any

from typer._click import Context, HelpFormatter
from typer._click.exceptions import MissingParameter, NoSuchOption, UsageError

from scheduler.cli.context import state
from timelines.base.i18n import catalog, pick_lang, t

HELP_OPTION = "Show this message and exit."
# click's and typer's words for a value it could not convert → (catalog key, its fields).
_VALUE_ERRORS = (
    (re.compile(r"^Value (?P<value>.+) is not a valid (?P<kind>\w+)\.$"), "not_valid"),
    (re.compile(r"^(?P<value>.+) does not match the formats? (?P<formats>.+)\.$"), "formats"),
    (re.compile(r"^(?P<value>.+) is not one of (?P<choices>.+)\.$"), "choice"),
)
# pydantic's words when typer converts a number (they carry no value to quote).
_NUMBER_ERRORS = {"Input should be a valid integer": "value_int",
                  "Input should be a valid number": "value_number"}
_NO_COMMAND = re.compile(r"^No such command (?P<name>.+)\.$")
_EXTRA = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$")


def text(lang: str, key: str, default: str) -> str:
    """The catalog text `key` in `lang`, else English, else `default`."""
    for source in (catalog(pick_lang(lang)), catalog("en")):
        if key in source:
            return source[key]
    return default


def section(lang: str, title: str) -> str:
    """A heading click writes (`Commands`, `Options`, `Arguments`)."""
    return text(lang, f"green.click.{title.lower()}", title)


def command_rows(lang: str, names: list[str]) -> list[tuple[str, str]]:
    """(command, short help) for the root `--help`."""
    return [(name, text(lang, f"green.help.{name}", "")) for name in names]


class TranslatedFormatter(HelpFormatter):
    """click's help layout with its fixed words in the reader's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, text(state.lang(), "green.click.usage", "Usage: "))

    def section(self, name: str) -> Any:
        return super().section(section(state.lang(), name))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        said = text(state.lang(), "green.click.help_option", HELP_OPTION)
        super().write_dl([(a, said if b == HELP_OPTION else b) for a, b in rows],
                         col_max, col_spacing)


class TranslatedContext(Context):
    formatter_class = TranslatedFormatter


def translate_command(command: Any, lang: str, path: str) -> None:
    """Give a loaded command (and its subcommands) help texts and headings in `lang`."""
    command.context_class = TranslatedContext
    command.help = text(lang, f"green.help.{path}", command.help or "")
    command.short_help = None
    for param in command.params:
        name = (param.opts[-1] if param.opts else param.name or "").lstrip("-")
        if getattr(param, "help", None):
            param.help = text(lang, f"green.help.{path}.{name}",
                              text(lang, f"green.help.opt.{name}", param.help))
    for name, sub in getattr(command, "commands", {}).items():
        translate_command(sub, lang, f"{path}.{name}")


def usage_error(lang: str, exc: UsageError) -> str:
    """What click would print for a usage error (usage, where to get help, the error), in
    `lang`."""
    lines = []
    if exc.ctx is not None:
        lines.append(exc.ctx.get_usage())
        lines.append(t(lang, "green.click.try", command=f"{exc.ctx.command_path} --help"))
    lines.append(t(lang, "green.click.error", message=_message(lang, exc)))
    return "\n".join(lines)


def _message(lang: str, exc: UsageError) -> str:
    if isinstance(exc, NoSuchOption):
        return t(lang, "green.click.no_such_option", name=exc.option_name)
    if isinstance(exc, MissingParameter):
        return t(lang, "green.click.missing", name=_hint(exc))
    if getattr(exc, "param", None) is not None or getattr(exc, "param_hint", None):
        return t(lang, "green.click.invalid", name=_hint(exc), message=_value(lang, exc.message))
    for pattern, key in ((_NO_COMMAND, "no_such_command"), (_EXTRA, "extra")):
        if found := pattern.match(exc.message):
            return t(lang, f"green.click.{key}", **found.groupdict())
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
    for pattern, key in _VALUE_ERRORS:
        if found := pattern.match(message):
            return t(lang, f"green.click.value_{key}", **found.groupdict())
    for start, key in _NUMBER_ERRORS.items():
        if message.startswith(start):
            return t(lang, f"green.click.{key}")
    return message

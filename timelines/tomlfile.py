"""Read a TOML file and validate it into a pydantic model, turning every failure into Problems.

Problems are rendered in the language the source was opened with: pydantic's common errors
and our validators' complaints (`Invalid`) are our messages, translated; any other pydantic
error keeps pydantic's English text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import tomli
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from timelines.base.i18n import N_, _, translate
from timelines.base.problems import Problem
from timelines.base.textfile import NotUtf8, read_toml_text
from timelines.toml_lines import key_path, locate

M = TypeVar("M", bound=BaseModel)

_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_QUOTED = re.compile(r"'([^']*)'")
_SHOWN_MAX = 60

# pydantic error type → what we say instead (each message takes {value}).
_MISSING, _EXTRA = N_("required key is missing"), N_("unknown key (check the spelling)")
_LIST = N_('must be a list in brackets, like ["a", "b"]')
_TABLE = N_("must be a table: a [section] with keys under it")
_INT, _NUMBER = N_("must be a whole number (got {value})"), N_("must be a number (got {value})")
_BOOL = N_("must be true or false (got {value})")
_DATE = N_("must be a date like 2024-05-31 (got {value})")
_TIME = N_("must be a time like 08:00:00 (got {value})")
_MESSAGES = {
    "missing": _MISSING, "extra_forbidden": _EXTRA,
    "list_type": _LIST, "dict_type": _TABLE, "model_type": _TABLE,
    "int_parsing": _INT, "int_type": _INT, "int_from_float": _INT,
    "float_parsing": _NUMBER, "float_type": _NUMBER,
    "bool_parsing": _BOOL, "bool_type": _BOOL,
    "string_type": N_("must be text in quotes (got {value})"),
    "date_parsing": _DATE, "date_type": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE, "time_parsing": _TIME, "time_type": _TIME,
}
# pydantic error type → (the ctx entry that holds the limit, what we say).
_LIMITS = {"greater_than_equal": ("ge", N_("must be at least {limit} (got {value})")),
           "less_than_equal": ("le", N_("must be at most {limit} (got {value})")),
           "greater_than": ("gt", N_("must be greater than {limit} (got {value})"))}
_PATTERN = N_("does not have the expected form {pattern} (got {value})")
# A Field(pattern=...) → the message that says how to write it (filled by `hinted`).
PATTERN_HINTS: dict[str, str] = {}


def hinted(pattern: str, message: str) -> str:
    """Register how to explain a pattern (a message marked with N_, taking {value});
    returns the pattern."""
    PATTERN_HINTS[pattern] = message
    return pattern


class Invalid(ValueError):
    """A validator's complaint as a message (marked with N_) and its values, so the problem
    can be told in the reader's language."""

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


class TomlSource:
    """A TOML file's text and data; `problems` holds a syntax error if there was one."""

    def __init__(self, path: Path, lang: str = "en", raw: bytes | None = None) -> None:
        self.path = path
        self.lang = lang
        self.text = ""
        self.data: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self._read(raw)

    def _read(self, raw: bytes | None) -> None:
        try:
            self.text = read_toml_text(self.path, raw)
        except OSError as exc:
            self._file_problem(_(self.lang, "cannot read file: {error}", error=exc.strerror or exc))
            return
        except NotUtf8 as exc:
            self._file_problem(_(self.lang, "{file} is not UTF-8 (it looks like {guess}): save it "
                                            "as UTF-8", file=self.path.name,
                                 guess=exc.guess))
            return
        try:
            # tomli is the parser the standard library's tomllib was taken from (TOML 1.0, the
            # same values and messages), compiled: reading a plan costs half.
            self.data = tomli.loads(self.text)
        except tomli.TOMLDecodeError as exc:
            self.problems.append(self._syntax_problem(exc))
        except RecursionError:  # nested arrays and tables are parsed recursively
            message = _(self.lang, "nested too deeply for a timeline file (more than {bound} "
                                   "levels)", bound=sys.getrecursionlimit() // 2)
            self.problems.append(Problem(str(self.path), None, "", message, lang=self.lang))

    def _file_problem(self, message: str) -> None:
        self.problems.append(Problem(str(self.path), None, "", message, lang=self.lang))

    def _syntax_problem(self, exc: tomli.TOMLDecodeError) -> Problem:
        match = _AT_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        said = _AT_LINE.sub("", str(exc)).strip()
        message = _(self.lang, "TOML syntax error: {message}", message=said)
        return Problem(str(self.path), line, "", message, lang=self.lang)

    def problem(
        self, path: tuple[str | int, ...], message: str, severity: str = "error"
    ) -> Problem:
        """A problem at a key path of this file, with its line when it can be found."""
        line = locate(self.text, path) if self.text else None
        return Problem(str(self.path), line, key_path(path), message,
                       severity, self.lang)  # type: ignore[arg-type]

    def _check(self, model: type[M], data: Any, prefix: tuple[str | int, ...]
               ) -> tuple[M | None, list[ErrorDetails]]:
        """Validate into `model`; every pydantic error becomes a located Problem."""
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        for error in errors:
            message = pydantic_message(error, self.lang)
            self.problems.append(self.problem(prefix + tuple(error["loc"]), message))
        return None, errors

    def validate(self, model: type[M], data: Any = None, prefix: tuple[str | int, ...] = ()
                 ) -> M | None:
        """Validate into `model` (the whole file by default), reporting every error."""
        return self._check(model, self.data if data is None else data, prefix)[0]

    def salvage(self, model: type[M], data: Any, prefix: tuple[str | int, ...]) -> M | None:
        """Validate, reporting every error; then retry without the offending keys so the rest
        of the item can still be checked (the file stays in error either way)."""
        result, errors = self._check(model, data, prefix)
        if result is not None or not isinstance(data, dict):
            return result
        if any(e["type"] == "missing" for e in errors):
            return None
        bad = {e["loc"][0] for e in errors if e["loc"]}
        try:
            return model.model_validate({k: v for k, v in data.items() if k not in bad})
        except ValidationError:
            return None


def shown(value: object) -> str:
    """A value as an error message quotes it: text in quotes, long values cut."""
    text = f"'{value}'" if isinstance(value, str) else str(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def pydantic_message(error: Mapping[str, Any], lang: str) -> str:
    """One pydantic error in `lang`: ours for the common types, pydantic's for the rest."""
    kind, ctx = error["type"], error.get("ctx") or {}
    value = shown(error.get("input"))
    if kind in _MESSAGES:
        return translate(lang, _MESSAGES[kind], value=value)
    if kind in _LIMITS:
        field, message = _LIMITS[kind]
        return translate(lang, message, limit=ctx.get(field), value=value)
    if kind == "literal_error":
        expected = ", ".join(_QUOTED.findall(str(ctx.get("expected", ""))))
        return _(lang, "must be one of: {expected} (got {value})", expected=expected, value=value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        message = PATTERN_HINTS.get(pattern, _PATTERN)
        return translate(lang, message, pattern=pattern, value=value)
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, Invalid):
        return translate(lang, cause.message, **cause.values)
    return _pydantic_text(error, lang)


def _pydantic_text(error: Mapping[str, Any], lang: str) -> str:
    """pydantic's own (English) message, with the offending value where it helps."""
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if value is not None and not isinstance(value, dict | list):
        return _(lang, "{message} (got {value})", message=message, value=shown(value))
    return message

"""Read a TOML file and validate it into a pydantic model, turning every failure into Problems.

Problems are rendered in the language the source was opened with: pydantic's common errors
and our validators' complaints (`Invalid`) come from the catalogs (`problem.*`); any other
pydantic error keeps pydantic's English text.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from timelines.base.i18n import t, translator
from timelines.base.problems import Problem
from timelines.base.textfile import NotUtf8, read_toml_text
from timelines.toml_lines import key_path, locate

M = TypeVar("M", bound=BaseModel)

_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_QUOTED = re.compile(r"'([^']*)'")
_SHOWN_MAX = 60

# pydantic error type → catalog key under `problem.` (each pattern takes {value}).
_KEYS = {
    "missing": "missing", "extra_forbidden": "extra",
    "list_type": "list", "dict_type": "table", "model_type": "table",
    "int_parsing": "int", "int_type": "int", "int_from_float": "int",
    "float_parsing": "number", "float_type": "number",
    "bool_parsing": "bool", "bool_type": "bool", "string_type": "string",
    "date_parsing": "date", "date_type": "date", "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date", "time_parsing": "time", "time_type": "time",
}
# pydantic error type → (catalog key, the ctx entry that holds the limit).
_LIMITS = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt"}
# A Field(pattern=...) → the catalog key that says how to write it (filled by `hinted`).
PATTERN_HINTS: dict[str, str] = {}


def hinted(pattern: str, key: str) -> str:
    """Register how to explain a pattern (`problem.<key>`); returns the pattern."""
    PATTERN_HINTS[pattern] = key
    return pattern


class Invalid(ValueError):
    """A validator's complaint as a catalog key (`problem.<key>`) and its values, so the
    problem can be told in the reader's language."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(translator("en")(f"problem.{key}", **values))
        self.key = key
        self.values = values


class TomlSource:
    """A TOML file's text and data; `problems` holds a syntax error if there was one."""

    def __init__(self, path: Path, lang: str = "en") -> None:
        self.path = path
        self.lang = lang
        self.text = ""
        self.data: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self._read()

    def say(self, key: str, /, **values: object) -> str:
        """The catalog text `problem.<key>` in this source's language."""
        return translator(self.lang)(f"problem.{key}", **values)

    def t(self, key: str, /, **values: object) -> str:
        """Any catalog text in this source's language."""
        return translator(self.lang)(key, **values)

    def _read(self) -> None:
        try:
            self.text = read_toml_text(self.path)
        except OSError as exc:
            self._file_problem(self.say("cannot_read", error=exc.strerror or exc))
            return
        except NotUtf8 as exc:
            self._file_problem(t(self.lang, "green.not_utf8", file=self.path.name,
                                 guess=exc.guess))
            return
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            self.problems.append(self._syntax_problem(exc))
        except RecursionError:  # tomllib parses nested arrays and tables recursively
            message = self.say("reliability.too_deep", bound=sys.getrecursionlimit() // 2)
            self.problems.append(Problem(str(self.path), None, "", message, lang=self.lang))

    def _file_problem(self, message: str) -> None:
        self.problems.append(Problem(str(self.path), None, "", message, lang=self.lang))

    def _syntax_problem(self, exc: tomllib.TOMLDecodeError) -> Problem:
        match = _AT_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = self.say("syntax", message=_AT_LINE.sub("", str(exc)).strip())
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
    if kind in _KEYS:
        return t(lang, f"problem.{_KEYS[kind]}", value=value)
    if kind in _LIMITS:
        return t(lang, f"problem.{_LIMITS[kind]}", limit=ctx.get(_LIMITS[kind]), value=value)
    if kind == "literal_error":
        expected = ", ".join(_QUOTED.findall(str(ctx.get("expected", ""))))
        return t(lang, "problem.literal", expected=expected, value=value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        key = PATTERN_HINTS.get(pattern, "pattern")
        return t(lang, f"problem.{key}", pattern=pattern, value=value)
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, Invalid):
        return translator(lang)(f"problem.{cause.key}", **cause.values)
    return _pydantic_text(error, lang)


def _pydantic_text(error: Mapping[str, Any], lang: str) -> str:
    """pydantic's own (English) message, with the offending value where it helps."""
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if value is not None and not isinstance(value, dict | list):
        return t(lang, "problem.got", message=message, value=shown(value))
    return message

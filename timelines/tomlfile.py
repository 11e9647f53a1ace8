"""Read a TOML file and validate it into a pydantic model, turning every failure into Problems."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from timelines.problems import Problem
from timelines.toml_lines import key_path, locate

M = TypeVar("M", bound=BaseModel)

_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class TomlSource:
    """A TOML file's text and data; `problems` holds a syntax error if there was one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = ""
        self.data: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self._read()

    def _read(self) -> None:
        try:
            self.text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(str(self.path), None, "", f"cannot read file: {exc}"))
            return
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            self.problems.append(self._syntax_problem(exc))

    def _syntax_problem(self, exc: tomllib.TOMLDecodeError) -> Problem:
        match = _AT_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _AT_LINE.sub("", str(exc)).strip()
        return Problem(str(self.path), line, "", f"TOML syntax error: {message}")

    def problem(
        self, path: tuple[str | int, ...], message: str, severity: str = "error"
    ) -> Problem:
        """A problem at a key path of this file, with its line when it can be found."""
        line = locate(self.text, path) if self.text else None
        return Problem(str(self.path), line, key_path(path), message, severity)  # type: ignore[arg-type]

    def validate(self, model: type[M], data: Any = None, prefix: tuple[str | int, ...] = ()
                 ) -> M | None:
        """Validate into `model`; every pydantic error becomes a located Problem."""
        try:
            return model.model_validate(self.data if data is None else data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                self.problems.append(self.problem(prefix + tuple(error["loc"]), _message(error)))
            return None

    def salvage(self, model: type[M], data: Any, prefix: tuple[str | int, ...]) -> M | None:
        """Validate, reporting every error; then retry without the offending keys so the rest
        of the item can still be checked (the file stays in error either way)."""
        result = self.validate(model, data, prefix)
        if result is not None or not isinstance(data, dict):
            return result
        try:
            model.model_validate(data)
        except ValidationError as exc:
            bad = {e["loc"][0] for e in exc.errors() if e["loc"] and e["type"] != "missing"}
            if any(e["type"] == "missing" for e in exc.errors()):
                return None
        try:
            return model.model_validate({k: v for k, v in data.items() if k not in bad})
        except ValidationError:
            return None


def _message(error: Any) -> str:
    """pydantic's message, with the offending value where it helps."""
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (check the spelling)"
    if error["type"] == "missing":
        return "required key is missing"
    value = error.get("input")
    if value is not None and not isinstance(value, dict | list):
        message += f" (got {value!r})"
    return message

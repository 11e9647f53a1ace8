"""Problems found in user input, collected so every one is reported at once.

>>> str(Problem("plan.toml", 12, "task[3].due", "expected a date"))
'plan.toml:12: task[3].due: expected a date'
>>> str(Problem("plan.toml", None, "", "rollen mangler", "warning", "nb"))
'plan.toml: (advarsel) rollen mangler'

The message is rendered when the problem is found, in the language in force (`lang`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from timelines.base.i18n import _

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file: where (file, line, key) and what."""

    file: str
    line: int | None
    key: str
    message: str
    severity: Severity = "error"
    lang: str = "en"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        tag = " " + _(self.lang, "(warning)") if self.severity == "warning" else ""
        return f"{where}:{key}{tag} {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that stop a command."""
    return [p for p in problems if p.is_error]

"""The Jinja environment of the web pages: autoescaped, unknown names are errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifiers.i18n import texts, translator

WEB_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"


@cache
def env() -> Environment:
    return Environment(loader=FileSystemLoader(WEB_TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True), trim_blocks=True,
                       lstrip_blocks=True)


def page(template: str, lang: str, /, **values: Any) -> str:
    """A page in `lang`: `L["owners.key"]` and `t("owners.key", ...)` as in the mail."""
    return env().get_template(template).render(L=texts(lang), t=translator(lang), lang=lang,
                                           **values)

"""The Jinja environment of the web pages: autoescaped, unknown names are errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from timelines.base.i18n import texts, translator

WEB_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"


@cache
def env() -> Environment:
    return Environment(loader=FileSystemLoader(WEB_TEMPLATES), undefined=StrictUndefined,
                       autoescape=_escaped, trim_blocks=True, lstrip_blocks=True)


def _escaped(name: str | None) -> bool:
    """HTML templates (`*.html.j2`) are autoescaped; the plain-text mail parts are not."""
    return name is None or ".txt" not in name


def page(template: str, lang: str, /, **values: Any) -> str:
    """A page in `lang`: `L["owners.key"]` and `t("owners.key", ...)` as in the mail."""
    return env().get_template(template).render(L=texts(lang), t=translator(lang), lang=lang,
                                           **values)

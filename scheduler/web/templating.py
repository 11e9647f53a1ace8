"""The Jinja environment of the web pages: autoescaped, unknown names are errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from timelines.base.i18n import template_gettext

WEB_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"


@cache
def env() -> Environment:
    return Environment(loader=FileSystemLoader(WEB_TEMPLATES), undefined=StrictUndefined,
                       autoescape=_escaped, trim_blocks=True, lstrip_blocks=True,
                       extensions=["jinja2.ext.i18n"])


def _escaped(name: str | None) -> bool:
    """HTML templates (`*.html.j2`) are autoescaped; the plain-text mail parts are not."""
    return name is None or ".txt" not in name


def page(template: str, lang: str, /, **values: Any) -> str:
    """A page in `lang`: its `_("Text", name=...)`s are told in that language."""
    return env().get_template(template).render(**template_gettext(lang), lang=lang, **values)

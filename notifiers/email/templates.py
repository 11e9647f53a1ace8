"""The Jinja environment for mail: HTML autoescaped, unknown names are errors, CSS inlined.

The stylesheet (templates/mail/mail.css) is inlined with css-inline once, when a template is
loaded, not on every message: that saves a fifth of the rendering time. Jinja statements are
wrapped in HTML comments while css-inline parses the template (a comment may stand anywhere,
even between table rows, where HTML parsers would move bare text), and a load-time check
refuses a template whose Jinja tags did not come through unchanged.

The templates say everything with `_("English text", name=...)` (gettext: the render context
brings `_` bound to the reader's language, see `timelines.base.i18n`). Each template is also
loaded once per language with its `{{ _("text") }}`s without values written out, translated
(escaped in HTML): Jinja then emits one piece of text where it called, escaped and joined a
dozen, every message. A test renders every kind and language both ways and compares.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from markupsafe import escape

from timelines.base.i18n import LANGS, template_gettext

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
_STATEMENT = re.compile(r"({%.*?%})", re.S)
_WRAPPED = re.compile(r"<!--J({%.*?%})J-->", re.S)
_JINJA = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# The newline after an include tag is consumed with it, as trim_blocks would.
_INCLUDE = re.compile(r'{% include "([^"]+)" %}\n?')
_EXTENDS = re.compile(r'\A{% extends "([^"]+)" %}')
_CHILD_BLOCK = re.compile(r"{% block body %}(.*){% endblock %}", re.S)
_EMPTY_BLOCK = "{% block body %}{% endblock %}"
# `{{ _("text") }}`: a message without values, in a Jinja string literal.
_LOOKUP = re.compile(r"""{{ *_\(("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\) *}}""")
# Written out only when the text cannot change how Jinja reads what surrounds it: no
# delimiter characters, no line break or edge whitespace (trim_blocks, lstrip_blocks).
_UNSAFE = re.compile(r"[{}%#\n]|^\s|\s$")


def inline_css(source: str, css: str) -> str:
    """A Jinja HTML template with the stylesheet moved into style attributes."""
    wrapped = _STATEMENT.sub(lambda match: f"<!--J{match.group(1)}J-->", source)
    if "<html" in source:
        inlined = css_inline.CSSInliner(extra_css=css, keep_style_tags=False).inline(wrapped)
    else:
        inlined = css_inline.inline_fragment(wrapped, css)
    result = _WRAPPED.sub(r"\1", inlined)
    if _JINJA.findall(result) != _JINJA.findall(source):
        raise TemplateError("inlining CSS changed the template's Jinja tags")
    return result


def flatten(source: str, read: Callable[[str], str]) -> str:
    """The template with its `{% include %}`s and its one-block `{% extends %}` written out.

    Jinja's includes and inheritance cost a fifth of the rendering time per message; our
    templates use them only to share text, so they are resolved here, once (a test renders
    every kind both ways and compares).
    """
    source = _INCLUDE.sub(lambda match: flatten(read(match.group(1)), read), source)
    extends = _EXTENDS.match(source)
    if extends is None:
        return source
    block = _CHILD_BLOCK.search(source)
    if block is None:
        raise TemplateError(f"{extends.group(0)!r} without a body block")
    layout = flatten(read(extends.group(1)), read)
    return layout.replace(_EMPTY_BLOCK, "{% block body %}" + block.group(1) + "{% endblock %}")


def bake_texts(source: str, gettext: Callable[[str], str], html: bool) -> str:
    """The template with its `{{ _("text") }}`s written out in one language (HTML-escaped
    in HTML, as autoescape would); a text that could confuse the template stays a call."""

    def written(match: re.Match[str]) -> str:
        value = gettext(ast.literal_eval(match.group(1)))
        if not value or _UNSAFE.search(value):
            return match.group(0)
        return str(escape(value)) if html else value

    return _LOOKUP.sub(written, source)


def _split_lang(template: str) -> tuple[str | None, str]:
    """`nb/due.html.j2` → ("nb", "due.html.j2"); a name without a language → (None, name)."""
    lang, slash, name = template.partition("/")
    return (lang, name) if slash and lang in LANGS else (None, template)


class InliningLoader(FileSystemLoader):
    """Loads mail templates flattened; HTML ones come with mail.css already inlined, and
    `<lang>/<name>` is the template with that language's texts written out."""

    def __init__(self, folder: Path, flat: bool = True) -> None:
        super().__init__(folder)
        self.folder, self.flat = folder, flat

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        lang, template = _split_lang(template)
        source, filename, uptodate = super().get_source(environment, template)
        if self.flat:
            source = flatten(source, self._read)
        html = template.endswith(".html.j2")
        if html:
            css = (self.folder / "mail.css").read_text(encoding="utf-8")
            source = inline_css(source, css)
        if lang is not None:
            source = bake_texts(source, template_gettext(lang)["_"], html)
        return source, filename, uptodate

    def _read(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")


@cache
def environment(flat: bool = True) -> Environment:
    """One Jinja environment: HTML templates autoescaped, any unknown name an error."""
    env = Environment(
        loader=InliningLoader(MAIL_TEMPLATES, flat),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False, extensions=["jinja2.ext.i18n"],
    )
    # Jinja copies its default globals (range, dict, lipsum, cycler, joiner, namespace) into
    # every render's context through a ChainMap: 40% of the template time. The mail
    # templates use none of them (nor the i18n extension's `_`: each render brings its own);
    # a template that did would fail loudly (StrictUndefined).
    env.globals.clear()
    return env


def _name(template: str, context: dict[str, Any]) -> str:
    """The language's own version of the template when `_` is that language's gettext."""
    lang = context.get("lang")
    if lang in LANGS and context.get("_") is template_gettext(lang)["_"]:
        return f"{lang}/{template}"
    return template


def render_text(template: str, context: dict[str, Any]) -> str:
    """The plain-text part of one message kind (written as its own template)."""
    return environment().get_template(_name(f"{template}.txt.j2", context)).render(context)


def render_html(template: str, context: dict[str, Any]) -> str:
    """The HTML part of one message kind, styles inline for mail clients."""
    return environment().get_template(_name(f"{template}.html.j2", context)).render(context)


def render_parts(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Both parts of one message kind."""
    return render_text(template, context), render_html(template, context)

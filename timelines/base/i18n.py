"""Texts a user reads, per language: gettext through Babel, and dates as the reader writes them.

English is the source language: a message is its English text, a `str.format` pattern
(`_(lang, "Hello {name},", name=...)`), and `templates/locale/<lang>/LC_MESSAGES/fristvakt.po`
translates it to nb, nn and sv. Everything takes the language as a parameter:

- `_(lang, message, **values)`: a message (gettext);
- `_n(lang, singular, plural, n, **values)`: a message that depends on a number, with `n`
  among its values (ngettext: Babel knows each language's plural rules);
- `_p(lang, context, message, **values)`: a message one English text shares with another
  place that translators have to tell apart (pgettext);
- `N_(message)`: marks a message kept in a table, so that `pybabel extract` finds it;
  `translate(lang, message, **values)` tells such a message, `Deferred` keeps one with its
  values to be told later, in the language of whoever reads it.

The calls get string literals only (a test checks it), so `make messages` extracts every text.
A language is read from its compiled `.mo`, or from the `.po` itself when the `.mo` is missing
or older (a checkout whose catalogs were edited and not compiled yet). A text a catalog lacks
stays English. Languages are chosen owner → timeline → "en".

>>> _("nb", "Hello {name},", name="Kari")
'Hei Kari,'
>>> _n("sv", "{n} task", "{n} tasks", 3)
'3 uppgifter'
>>> _p("nn", "table column", "Overdue")
'Forfalle'
>>> Deferred(N_("date not read: '{when}'"), when="22/5").text("sv")
'datum inte läst: ”22/5”'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache, lru_cache, partial
from gettext import NullTranslations
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # babel is imported when a date, a plural or a catalog is first needed: a
    from babel import Locale  # command that prints none of them starts faster

LANGS: tuple[str, ...] = ("nb", "nn", "sv", "en")
FALLBACK = "en"  # the source language: its texts are the messages themselves
DOMAIN = "fristvakt"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "templates" / "locale"
# A .mo this much older than its .po was compiled before the .po was edited (an install
# writes both within a moment, in either order).
_STALE_AFTER = 1.0
_FIELD = re.compile(r"%\((\w+)\)s")


def pick_lang(*candidates: str | None) -> str:
    """The first supported language among the candidates (owner, timeline, ...), else en."""
    for lang in candidates:
        if lang and lang.lower() in LANGS:
            return lang.lower()
    return FALLBACK


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    """Where a language's catalog is: `templates/locale/<lang>/LC_MESSAGES/fristvakt.po`."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of a language (English: the messages as they are)."""
    lang = pick_lang(lang)
    if lang == FALLBACK:
        return NullTranslations()
    from babel.support import Translations

    po, mo = catalog_path(lang), catalog_path(lang, ".mo")
    if mo.exists() and not (po.exists() and _older(mo, po)):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    return Translations(_compiled(po, lang), domain=DOMAIN)


def _older(mo: Path, po: Path) -> bool:
    return mo.stat().st_mtime + _STALE_AFTER < po.stat().st_mtime


def _compiled(po: Path, lang: str) -> Any:
    """The .po compiled in memory, as `pybabel compile` would write it (fuzzy ones left out)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return compiled


def _(lang: str, message: str, /, **values: object) -> str:
    """`message` in `lang`, filled with `values`."""
    return translations(lang).gettext(message).format(**values)


def _n(lang: str, singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form of a message the number `n` asks for in `lang`, filled with `n` and `values`."""
    return translations(lang).ngettext(singular, plural, n).format(n=n, **values)


def _p(lang: str, context: str, message: str, /, **values: object) -> str:
    """`message` in `lang` as translated in `context`, filled with `values`."""
    return translations(lang).pgettext(context, message).format(**values)


def N_(message: str) -> str:  # named as gettext tools expect
    """Marks a message kept in a table for `pybabel extract`; it is translated where used."""
    return message


def translate(lang: str, message: str, /, **values: object) -> str:
    """A message marked with `N_` elsewhere (a table's entry), in `lang`."""
    return translations(lang).gettext(message).format(**values)


class Deferred:
    """A message not told yet, with its values: told later in the reader's language (the
    importer's reasons go to the coordinator in theirs and into the file in the plan's).
    The message is marked with `N_` where it is written."""

    __slots__ = ("message", "values")

    def __init__(self, message: str, /, **values: object) -> None:
        self.message = message
        self.values = values

    def text(self, lang: str) -> str:
        return translate(lang, self.message, **self.values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Deferred) and (self.message, self.values) == (
            other.message, other.values)

    def __hash__(self) -> int:
        return hash((self.message, tuple(self.values.items())))

    def __repr__(self) -> str:
        return f"Deferred({self.message!r}, **{self.values!r})"


@cache
def template_gettext(lang: str) -> Mapping[str, Callable[..., str]]:
    """`_`, `gettext`, `ngettext` and `pgettext` bound to `lang`, for a Jinja render context
    (the environments enable `jinja2.ext.i18n`; templates call `_("Text", name=...)`)."""
    lang = pick_lang(lang)
    gettext = partial(_, lang)
    return MappingProxyType({"_": gettext, "gettext": gettext, "ngettext": partial(_n, lang),
                             "pgettext": partial(_p, lang)})


@cache
def locale(lang: str) -> Locale:
    """The babel locale of a supported language (parsed once: parsing is the slow part)."""
    from babel import Locale

    return Locale.parse(pick_lang(lang))


@lru_cache(maxsize=4096)  # a batch repeats the same few dates (today, common deadlines)
def format_date(day: date, lang: str, width: str = "full") -> str:
    """A date as the reader writes it: `fredag 20. oktober 2017` (nb), `fredag 20 oktober
    2017` (sv)."""
    from babel.dates import format_date as babel_format_date

    quick = _date_formatter(lang, width)
    return quick(day) if quick else babel_format_date(day, format=width, locale=locale(lang))


# The pattern fields the quick formatter fills itself; any other pattern goes to babel.
_QUICK_FIELDS = frozenset({"EEEE", "d", "MMMM", "y"})


@cache
def _date_formatter(lang: str, width: str) -> Callable[[date], str] | None:
    """The locale's date pattern with babel's own day and month names, applied with one
    `%` instead of babel's per-call pattern lookup and field dispatch (a third of a render
    when the dates are new). A test compares it with babel for every day of 70 years."""
    from babel.dates import get_date_format as babel_get_date_format

    loc = locale(lang)
    # babel types the width as a Literal and `.format` loosely; it is the `%(field)s` string.
    pattern = str(babel_get_date_format(cast(Any, width), locale=loc).format)
    if not set(_FIELD.findall(pattern)) <= _QUICK_FIELDS:
        return None
    weekdays, months = loc.days["format"]["wide"], loc.months["format"]["wide"]

    def quick(day: date) -> str:
        return pattern % {"EEEE": weekdays[day.weekday()], "d": day.day,
                          "MMMM": months[day.month], "y": day.year}

    return quick


_NAMED_DAYS = {-1: N_("yesterday"), 0: N_("today"), 1: N_("tomorrow")}


@lru_cache(maxsize=4096)  # a batch repeats the same few distances (3 days, 14 days, ...)
def format_distance(days: int, lang: str) -> str:
    """How far away a day is: `i dag`, `i morgon`, `om 3 dagar`, `för 2 dagar sedan`."""
    if days in _NAMED_DAYS:
        return translate(lang, _NAMED_DAYS[days])
    if days > 0:
        return _n(lang, "in {n} day", "in {n} days", days)
    return _n(lang, "{n} day ago", "{n} days ago", -days)


def named(title: str, occurrence: str, lang: str) -> str:
    """A task's title, or one occurrence's of a recurring task: "Årsmelding 2024"."""
    if not occurrence:
        return title
    return _(lang, "{title} {occurrence}", title=title, occurrence=occurrence)

"""Texts a user reads, per language: `t`, `format_date`, `format_distance`, `pick_lang`.

The catalogs are `templates/i18n/<lang>.toml` (nested tables, addressed as dotted keys, values
are `str.format` patterns). A key missing in a language falls back to English; a key missing in
English is a bug and raises KeyError. Languages are chosen owner → timeline → "en".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # babel is imported when a date or a plural is first needed: a command
    from babel import Locale  # that prints neither starts faster

LANGS: tuple[str, ...] = ("nb", "nn", "sv", "en")
FALLBACK = "en"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "templates" / "i18n"
_FIELD = re.compile(r"%\((\w+)\)s")


def pick_lang(*candidates: str | None) -> str:
    """The first supported language among the candidates (owner, timeline, ...), else en."""
    for lang in candidates:
        if lang and lang.lower() in LANGS:
            return lang.lower()
    return FALLBACK


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language, keyed by dotted key."""
    with (CATALOG_DIR / f"{lang}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


@cache
def texts(lang: str) -> dict[str, str]:
    """Every text of a language, English filling any gap: for `L["key"]` in templates (a
    lookup, cheaper than calling `t` for texts without values)."""
    return {**catalog(FALLBACK), **catalog(pick_lang(lang))}


@cache
def translator(lang: str) -> Callable[..., str]:
    """`t` bound to one language, looked up once (templates call it dozens of times)."""
    own, fallback = catalog(pick_lang(lang)), catalog(FALLBACK)

    def translate(key: str, /, **values: object) -> str:
        pattern = own.get(key)
        return (fallback[key] if pattern is None else pattern).format(**values)

    return translate


def t(lang: str, key: str, **values: object) -> str:
    """The text for `key` in `lang` (English if that language lacks it), filled with values."""
    return translator(lang)(key, **values)


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


def _plural(lang: str, count: int) -> str:
    # babel knows each language's plural rules; our catalogs carry "one" and "other".
    form = locale(lang).plural_form(count)
    return "one" if form == "one" else "other"


_NAMED_DAYS = {-1: "yesterday", 0: "today", 1: "tomorrow"}


@lru_cache(maxsize=4096)  # a batch repeats the same few distances (3 days, 14 days, ...)
def format_distance(days: int, lang: str) -> str:
    """How far away a day is: `i dag`, `i morgon`, `om 3 dagar`, `för 2 dagar sedan`."""
    lang = pick_lang(lang)
    if days in _NAMED_DAYS:
        return t(lang, f"distance.{_NAMED_DAYS[days]}")
    direction = "future" if days > 0 else "past"
    count = abs(days)
    return t(lang, f"distance.{direction}.{_plural(lang, count)}", n=count)

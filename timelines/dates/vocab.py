"""The nb/nn/sv planning vocabulary of date texts, as data (see docs/dates.md).

Every entry is `phrase -> (category, value)`. A phrase is one or more words; a word written with a
trailing dot (`"jul."`) only matches when the text has that dot, a word without one matches with
or without it. The tables are kept per language (bokmål and nynorsk share one: plans mix the
two) so that they can be read and extended by someone who knows the language; no word in one
means a different date, or something common that is not a date, in another.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Literal, NamedTuple

Category = Literal[
    "month", "season", "quarter", "tertial", "half", "week", "q", "ordinal", "pom", "den",
    "deadline", "open", "during", "approx", "between", "sep", "until", "or_before", "ongoing",
    "undated", "history",
]

Lang = Literal["no", "sv"]


class Entry(NamedTuple):
    category: Category
    value: int


# Month names with the usual abbreviations. "jul" without a dot is Christmas in both languages,
# so only "jul." counts as July.
_MONTHS_NO = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "febr": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul.": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}
_MONTHS_SV = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul.": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

SPRING, SUMMER, AUTUMN, WINTER = 1, 2, 3, 4
_SEASONS_NO = {
    "vår": SPRING, "våren": SPRING, "sommer": SUMMER, "sommeren": SUMMER, "sommar": SUMMER,
    "sommaren": SUMMER, "høst": AUTUMN, "høsten": AUTUMN, "haust": AUTUMN, "hausten": AUTUMN,
    "vinter": WINTER, "vinteren": WINTER,
}
_SEASONS_SV = {
    "vår": SPRING, "våren": SPRING, "sommar": SUMMER, "sommaren": SUMMER, "höst": AUTUMN,
    "hösten": AUTUMN, "vinter": WINTER, "vintern": WINTER,
}

LAST = -1  # "siste kvartal": the last quarter/tertial/half of the year
_ORDINALS_NO = {
    "første": 1, "fyrste": 1, "andre": 2, "annet": 2, "annen": 2, "tredje": 3, "fjerde": 4,
    "siste": LAST,
}
_ORDINALS_SV = {
    "första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "sista": LAST,
}

START, MIDDLE, END = 1, 2, 3  # part of a month: days 1-10, 11-20, 21-last
_POM_NO = {
    "primo": START, "begynnelsen av": START, "starten av": START, "byrjinga av": START,
    "medio": MIDDLE, "midten av": MIDDLE, "ultimo": END, "slutten av": END, "slutet av": END,
    "i begynnelsen av": START, "tidlig i": START, "tidleg i": START, "mot slutten av": END,
    "i slutten av": END, "sent i": END, "seint i": END,
}
_POM_SV = {
    "primo": START, "början av": START, "i början av": START, "medio": MIDDLE,
    "mitten av": MIDDLE, "i mitten av": MIDDLE, "ultimo": END, "slutet av": END,
    "i slutet av": END, "början på": START, "tidigt i": START, "mot slutet av": END,
    "sent i": END,
}

_UNITS_NO: dict[str, tuple[Category, int]] = {
    "kvartal": ("quarter", 0), "kv": ("quarter", 0), "kvt": ("quarter", 0),
    "tertial": ("tertial", 0), "halvår": ("half", 0), "halvåret": ("half", 0),
    "uke": ("week", 0), "veke": ("week", 0), "v": ("week", 0), "q": ("q", 0), "den": ("den", 0),
    "uka": ("week", 0), "uken": ("week", 0), "veka": ("week", 0), "h": ("half", 0),
    "t": ("tertial", 0),
}
_UNITS_SV: dict[str, tuple[Category, int]] = {
    "kvartal": ("quarter", 0), "kvartalet": ("quarter", 0), "kv": ("quarter", 0),
    "tertial": ("tertial", 0), "tertialet": ("tertial", 0), "halvår": ("half", 0),
    "halvåret": ("half", 0), "vecka": ("week", 0), "veckan": ("week", 0), "v": ("week", 0),
    "q": ("q", 0),
    "den": ("den", 0),
}

# Prefixes and separators. "fra"/"från" open a range when a "til"/"till" follows, else they
# mean an open start; "mellom"/"mellan" need "og"/"och". "til og med" (up to and including)
# separates a range, or at the start of a text is a deadline.
_GLUE_NO: dict[str, tuple[Category, int]] = {
    "innen": ("deadline", 0), "innan": ("deadline", 0), "senest": ("deadline", 0),
    "seinast": ("deadline", 0), "innen utgangen av": ("deadline", 0),
    "innan utgangen av": ("deadline", 0), "ved utgangen av": ("deadline", 0),
    "senest innen": ("deadline", 0), "seinast innan": ("deadline", 0),
    "fra": ("open", 0), "frå": ("open", 0), "fra og med": ("open", 0),
    "frå og med": ("open", 0), "f.o.m.": ("open", 0), "fom.": ("open", 0), "fom": ("open", 0),
    "innen fristen": ("deadline", 0), "ila": ("during", 0), "i.l.a.": ("during", 0),
    "i løpet av": ("during", 0), "i": ("during", 0), "under": ("during", 0),
    "ca": ("approx", 0), "ca.": ("approx", 0), "cirka": ("approx", 0), "circa": ("approx", 0),
    "omkring": ("approx", 0), "mellom": ("between", 0), "til": ("sep", 0), "og": ("sep", 0),
    "til og med": ("until", 0), "t.o.m.": ("until", 0), "tom.": ("until", 0),
    "hele": ("during", 0), "heile": ("during", 0),
    "eller før": ("or_before", 0), "eller tidligere": ("or_before", 0),
    "eller tidlegare": ("or_before", 0),
}
_GLUE_SV: dict[str, tuple[Category, int]] = {
    "senast": ("deadline", 0), "innan": ("deadline", 0), "senast vid utgången av": ("deadline", 0),
    "vid utgången av": ("deadline", 0), "innan utgången av": ("deadline", 0),
    "från": ("open", 0), "från och med": ("open", 0), "fr.o.m.": ("open", 0),
    "sedan": ("open", 0), "fom": ("open", 0),
    "under": ("during", 0), "i": ("during", 0), "ca": ("approx", 0), "ca.": ("approx", 0),
    "c:a": ("approx", 0), "cirka": ("approx", 0), "circa": ("approx", 0),
    "omkring": ("approx", 0), "mellan": ("between", 0), "till": ("sep", 0), "och": ("sep", 0),
    "till och med": ("until", 0), "t.o.m.": ("until", 0), "tom.": ("until", 0),
    "hela": ("during", 0),
    "eller före": ("or_before", 0), "eller tidigare": ("or_before", 0),
}

# Whole texts that say "no date": ongoing work, or an explicit placeholder.
_STATES_NO: dict[str, tuple[Category, int]] = {
    **dict.fromkeys(
        ("løpende", "fortløpende", "pågående", "kontinuerlig", "kontinuerleg", "kontinuerligt",
         "løpande", "fortløpande", "pågåande"), ("ongoing", 0)),
    **dict.fromkeys(
        ("ikke avklart", "ikkje avklart", "må avklares", "må avklarast", "uavklart",
         "ikke fastsatt", "ikkje fastsett", "ikke bestemt", "ikkje bestemt", "uavklara",
         "snarest", "snarast", "så snart som mulig", "omgående", "asap"), ("undated", 0)),
}
_STATES_SV: dict[str, tuple[Category, int]] = {
    **dict.fromkeys(
        ("löpande", "fortlöpande", "pågående", "kontinuerligt", "kontinuerlig", "pågår"),
        ("ongoing", 0)),
    **dict.fromkeys(
        ("ej fastställt", "ej fastställd", "ej klart", "inte klart", "inte fastställt",
         "ej bestämt", "inte bestämt", "oklart", "snarast", "så snart som möjligt", "omgående",
         "asap"), ("undated", 0)),
}

# First words of a parenthetical remark about the date's history: "(justert fra mars)".
_HISTORY = (
    "justert", "justera", "endret", "endra", "flyttet", "flytta", "utsatt", "framskyndet",
    "opprinnelig", "opphavleg", "tidligere", "tidlegare", "tidl", "var", "oppdatert",
    "ändrat", "ändrad", "flyttat", "flyttad", "uppskjutet", "uppskjuten", "utsett",
    "framflyttat", "ursprungligen", "tidigare", "uppdaterat", "revidert", "reviderad",
)


def _with_category(table: dict[str, int], category: Category) -> dict[str, tuple[Category, int]]:
    return {phrase: (category, value) for phrase, value in table.items()}


_TABLES: dict[Lang, list[dict[str, tuple[Category, int]]]] = {
    "no": [_with_category(_MONTHS_NO, "month"), _with_category(_SEASONS_NO, "season"),
           _with_category(_ORDINALS_NO, "ordinal"), _with_category(_POM_NO, "pom"),
           _UNITS_NO, _GLUE_NO, _STATES_NO,
           _with_category(dict.fromkeys(_HISTORY, 0), "history")],
    "sv": [_with_category(_MONTHS_SV, "month"), _with_category(_SEASONS_SV, "season"),
           _with_category(_ORDINALS_SV, "ordinal"), _with_category(_POM_SV, "pom"),
           _UNITS_SV, _GLUE_SV, _STATES_SV,
           _with_category(dict.fromkeys(_HISTORY, 0), "history")],
}

Key = tuple[str, ...]


class Vocabulary(NamedTuple):
    single: MappingProxyType[str, Entry]  # one-word phrases ("jul." only matches with its dot)
    multi: MappingProxyType[str, tuple[tuple[Key, Entry], ...]]  # by first word, longest first
    date_words: frozenset[str]  # words that can carry a date (months, seasons, units)
    calendar_words: frozenset[str]  # month and season names
    words: frozenset[str]  # every word of every phrase: a text with another is not Part 1
    seconds: MappingProxyType[str, frozenset[str]]  # by first word of `multi`, the second words


def _key(phrase: str) -> Key:
    """Words of a phrase; "f.o.m." is written dotted but its words are single letters."""
    if phrase.count(".") > 1:
        return tuple(f"{part}." for part in phrase.rstrip(".").split("."))
    return tuple(phrase.split())


def _build(langs: tuple[Lang, ...]) -> Vocabulary:
    phrases: dict[Key, Entry] = {}
    for lang in langs:
        for table in _TABLES[lang]:
            for phrase, (category, value) in table.items():
                phrases[_key(phrase)] = Entry(category, value)
    multi: dict[str, list[tuple[Key, Entry]]] = {}
    for key, entry in sorted(phrases.items(), key=lambda item: -len(item[0])):
        if len(key) > 1:
            multi.setdefault(key[0].rstrip("."), []).append((key, entry))
    single = {key[0]: entry for key, entry in phrases.items() if len(key) == 1}
    dating = {"month", "season", "quarter", "tertial", "half", "week", "q", "ordinal", "pom"}
    words = {word.rstrip(".") for key, e in phrases.items() if e.category in dating for word in key}
    named = {key[0].rstrip(".") for key, e in phrases.items() if e.category in ("month", "season")}
    frozen = {first: tuple(entries) for first, entries in multi.items()}
    every = frozenset(word.rstrip(".") for key in phrases for word in key)
    seconds = {first: frozenset(key[1] for key, _ in entries) for first, entries in multi.items()}
    return Vocabulary(MappingProxyType(single), MappingProxyType(frozen), frozenset(words),
                      frozenset(named), every, MappingProxyType(seconds))


@cache
def vocabulary() -> Vocabulary:
    """All three languages at once: the vocabularies overlap and never contradict each other, so
    a Swedish plan that writes the Norwegian "senest" still means a deadline."""
    return _build(("no", "sv"))

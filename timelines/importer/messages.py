"""Every text the importer shows a person: a thin lookup over the catalogs (`[importer]` in
`templates/i18n/<lang>.toml`).

`say(key, lang, **values)` tells a text now; `said(key, **values)` keeps it to be told later,
in the language of whoever reads it (the coordinator's in the printed summary, the plan's in
the timeline file).

>>> say("no_owner", "nn")
'ingen ansvarleg'
>>> said("unparsed", when="22/5").text("sv")
'datum inte läst: ”22/5”'
"""

from __future__ import annotations

from dataclasses import dataclass

from timelines.base.i18n import translator


def say(key: str, lang: str = "en", /, **values: object) -> str:
    """The importer text `key` in `lang` (English where that language lacks it).

    Keys of the office readers are written `office.KEY` (the `[office]` table)."""
    full = key if key.startswith("office.") else f"importer.{key}"
    return translator(lang)(full, **values)


@dataclass(frozen=True)
class Said:
    """A text not told yet: its key and values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        return say(self.key, lang, **dict(self.values))


def said(key: str, /, **values: object) -> Said:
    return Said(key, tuple(values.items()))


def place(where: Said | None, line: int, lang: str) -> str:
    """Where a row is, told to a person: 'table 2, row 5', 'Ark1!B7', or 'line 17'."""
    return where.text(lang) if where is not None else say("office.at_line", lang, line=line)


def told(reasons: tuple[Said, ...] | list[Said], lang: str) -> str:
    """Several reasons as one line in `lang`."""
    return "; ".join(reason.text(lang) for reason in reasons)

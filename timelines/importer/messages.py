"""Where a row is and why it needs a look, told in the language of whoever reads it (the
coordinator's in the printed summary, the plan's in the timeline file): the importer keeps
both as `Deferred` messages until then.

>>> place(None, 17, "nn")
'linje 17'
>>> reasons_text([Deferred(N_("no owner")), Deferred(N_("date not read: '{when}'"),
...                                                   when="22/5")], "sv")
'ingen ansvarig; datum inte läst: ”22/5”'
"""

from __future__ import annotations

from collections.abc import Sequence

from timelines.base.i18n import N_, Deferred, _

# Where a sheet of a workbook starts (its name heads the sheet's part of the plan).
AT_SHEET = N_("sheet {sheet}")


def place(where: Deferred | None, line: int, lang: str) -> str:
    """Where a row is, told to a person: 'table 2, row 5', 'Ark1!B7', or 'line 17'."""
    return where.text(lang) if where is not None else _(lang, "line {line}", line=line)


def reasons_text(reasons: Sequence[Deferred], lang: str) -> str:
    """Several reasons as one line in `lang`."""
    return "; ".join(reason.text(lang) for reason in reasons)

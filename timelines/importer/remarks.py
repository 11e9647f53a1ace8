"""Status remarks and budgets: "STATUS: Gjennomført ..." → done, "4,8 mill" → 4 800 000 NOK.

>>> budget_nok("4,8 mill"), budget_nok("0,25 mill"), budget_nok("100.000 kroner")
(4800000, 250000, 100000)
>>> budget_nok("Drift") is None
True
>>> split_status("Utarbeide plan STATUS: Pågår. Mer tekst")
('Utarbeide plan', 'Pågår. Mer tekst')
>>> status_of("Gjennomført og videreføres"), status_of("Leder arbeidet")
('done', None)
"""

from __future__ import annotations

import re

from timelines.importer import vocab

_MARKER = re.compile(
    "|".join(re.escape(m) for m in vocab.STATUS_MARKERS), re.IGNORECASE
)
_AMOUNT = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ .\u00a0]\d{3})+|\d+)(?:,(\d+))?\s*([^\W\d]+\.?|'|,-)?",
    re.IGNORECASE,
)

_CURRENCY_FIRST = re.compile(r"\b(?:kr\.?|nok|sek)\s*(?=\d)", re.IGNORECASE)


def split_status(text: str) -> tuple[str, str]:
    """An activity cell with a 'STATUS:' remark → (activity, remark)."""
    match = _MARKER.search(text)
    if not match:
        return text, ""
    return text[: match.start()].strip(), text[match.end():].strip()


def status_of(remark: str, anywhere: bool = False) -> str | None:
    """The status a remark's first words state (or any words, for reported work), else None."""
    folded = " ".join(re.findall(r"[^\W\d_]+", remark.lower()))
    found = [
        (folded.find(word), status)
        for status, words in vocab.STATUS_WORDS.items()
        for word in words
        if re.search(rf"(?:^|\s){re.escape(word)}(?:\s|$)", folded)
    ]
    if anywhere:
        return min(found)[1] if found else None
    return next((status for at, status in sorted(found) if at == 0), None)


def budget_nok(text: str) -> int | None:
    """The amount in NOK a budget text states, if it states exactly one with a known unit."""
    # "kr 50 000" says the same as "50 000 kr"; move the currency behind the number.
    text = _CURRENCY_FIRST.sub("", text) + (" kr" if _CURRENCY_FIRST.search(text) else "")
    amounts = [_amount(m) for m in _AMOUNT.finditer(text)]
    known = [a for a in amounts if a is not None]
    return known[0] if len(known) == 1 else None


def _amount(match: re.Match[str]) -> int | None:
    unit = (match.group(3) or "").lower()
    if unit not in vocab.MONEY_UNITS:
        return None
    whole = re.sub(r"[ .\u00a0]", "", match.group(1))
    decimals = match.group(2) or ""
    value = float(f"{whole}.{decimals}" if decimals else whole)
    return round(value * vocab.MONEY_UNITS[unit])

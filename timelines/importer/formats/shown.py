"""The text a spreadsheet shows for a number or date cell, for `when` and for table cells.

Only the date codes plans use are rendered (day, month, year, in any order and with any
separator); any other date format shows the date as ISO 8601, which `when` reads the same.

>>> import datetime as dt
>>> shown_date(dt.date(2024, 3, 5), "dd.mm.yyyy"), shown_date(dt.date(2024, 3, 5), "d/m")
('05.03.2024', '5/3')
>>> shown_date(dt.datetime(2024, 3, 5, 0, 0), "[$-414]mmmm yyyy;@")
'2024-03-05'
>>> shown_number(2018.0), shown_number(0.5)
('2018', '0.5')
"""

from __future__ import annotations

import datetime as dt
import re

_CODES = {"yyyy": "%Y", "yy": "%y", "mm": "%m", "m": "%-m", "dd": "%d", "d": "%-d"}
_TOKEN = re.compile(r"yyyy|yy|mm|m|dd|d|[./\- ]", re.IGNORECASE)


def shown_date(value: dt.date, number_format: str) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    tokens = _TOKEN.findall(number_format)
    if not tokens or "".join(tokens) != number_format:
        return day.isoformat()
    return "".join(_one(day, token.lower()) for token in tokens)


def _one(day: dt.date, token: str) -> str:
    if token in _CODES:
        return day.strftime(_CODES[token].replace("%-", "%")).lstrip("0") if "-" in _CODES[
            token] else day.strftime(_CODES[token])
    return token


def shown_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)

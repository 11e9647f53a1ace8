"""DATES.md Part 2, one row per example it gives (with its language and plan year).

Where DATES.md names a word without a date ("`ila`", "`hver høst`"), the row puts it in front
of a unit and the expected span was worked out by hand from the rule, not taken from the
parser. Rows whose year is not stated use the plan year that makes the example's weekday or
week hold (e.g. `19–23 februari (vecka 8)` is true in 2024).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest
from dateutil.rrule import rrulestr
from icalendar import vRecur

from timelines.dates import parse_span, recurs_until


class Row(NamedTuple):
    text: str
    lang: str | None
    ref_year: int | None
    kind: str
    start: str | None = None
    due: str | None = None
    approximate: bool = False
    recurrence: str | None = None


def span(text: str, lang: str | None, ref: int | None, start: str | None, due: str | None,
         approximate: bool = False) -> Row:
    return Row(text, lang, ref, "dated", start, due, approximate)


def kind(text: str, lang: str | None, ref: int | None, what: str) -> Row:
    return Row(text, lang, ref, what)


def every(text: str, lang: str | None, ref: int, start: str | None, due: str, rule: str,
          approximate: bool = False) -> Row:
    return Row(text, lang, ref, "recurring", start, due, approximate, rule)


CHANGE_NOTHING = [
    span("i mars 2014", "nb", None, "2014-03-01", "2014-03-31"),
    span("i uke 3", "nb", 2024, "2024-01-15", "2024-01-21"),
    span("i 2017", "nb", None, "2017-01-01", "2017-12-31"),
    span("i april/mai", "nb", 2023, "2023-04-01", "2023-05-31"),
    span("I begynnelsen av desember 2013", "nb", None, "2013-12-01", "2013-12-10"),
    span("ila mars 2023", "nb", None, "2023-03-01", "2023-03-31"),
    span("i.l.a. 2023", "nb", None, "2023-01-01", "2023-12-31"),
    span("det första kvartalet 2024", "sv", None, "2024-01-01", "2024-03-31"),
    span("under det andra kvartalet", "sv", 2024, "2024-04-01", "2024-06-30"),
    span("i mars månad 2023", "sv", None, "2023-03-01", "2023-03-31"),
    span("15. mars kl. 12", "nb", 2023, "2023-03-15", "2023-03-15"),
    span("15. mars kl 10.00–14.00", "nb", 2023, "2023-03-15", "2023-03-15"),
    span("torsdag 6 september 13:00", "sv", 2018, "2018-09-06", "2018-09-06"),
    kind("kl. 10.00", "nb", 2023, "unparsed"),
]

UNIT_SPELLINGS = [
    span("H1 2024", "nb", None, "2024-01-01", "2024-06-30"),
    span("H2 2024", "nb", None, "2024-07-01", "2024-12-31"),
    span("T1", "nb", 2024, "2024-01-01", "2024-04-30"),
    span("T2", "nb", 2024, "2024-05-01", "2024-08-31"),
    span("T3 2024", "nb", None, "2024-09-01", "2024-12-31"),
    span("1:a kvartalet 2024", "sv", None, "2024-01-01", "2024-03-31"),
    span("2:a tertialet 2024", "sv", None, "2024-05-01", "2024-08-31"),
    span("3:e kvartalet 2024", "sv", None, "2024-07-01", "2024-09-30"),
    span("4:e kvartalet 2024", "sv", None, "2024-10-01", "2024-12-31"),
    span("1:e halvåret 2024", "sv", None, "2024-01-01", "2024-06-30"),
    span("3:dje tertialet 2024", "sv", None, "2024-09-01", "2024-12-31"),
    span("2:a veckan 2024", "sv", None, "2024-01-08", "2024-01-14"),
    span("fyrste kvartal 2024", "nn", None, "2024-01-01", "2024-03-31"),
    span("fyrste veke 2024", "nn", None, "2024-01-01", "2024-01-07"),
    span("2. kv 2023", "nb", None, "2023-04-01", "2023-06-30"),
    span("3. kv. 2023", "nb", None, "2023-07-01", "2023-09-30"),
    span("andra kvartalet 2023", "sv", None, "2023-04-01", "2023-06-30"),
    span("andre halvåret 2023", "nb", None, "2023-07-01", "2023-12-31"),
    span("den 30/10", "sv", 2023, "2023-10-30", "2023-10-30"),
    span("den 15.03", "sv", 2023, "2023-03-15", "2023-03-15"),
    kind("ikkje avklart", "nn", 2023, "undated"),
    kind("uavklart", "nn", 2023, "undated"),
    kind("uavklara", "nn", 2023, "undated"),
    kind("oklart", "sv", 2023, "undated"),
    kind("fortløpande", "nn", 2023, "ongoing"),
    kind("pågår", "sv", 2023, "ongoing"),
    kind("pågående", "nb", 2023, "ongoing"),
    kind("løpende", "nb", 2023, "ongoing"),
    span("cirka mars 2023", "nb", None, "2023-03-01", "2023-03-31", True),
    span("ca mars 2023", "nb", None, "2023-03-01", "2023-03-31", True),
    span("c:a mars 2023", "sv", None, "2023-03-01", "2023-03-31", True),
    span("3. og 4. kvartal", "nb", 2023, "2023-07-01", "2023-12-31"),
    span("2.-4. kvartal", "nb", 2023, "2023-04-01", "2023-12-31"),
    span("1.–2. tertial 2024", "nb", None, "2024-01-01", "2024-08-31"),
    span("15.08", "nb", 2023, "2023-08-15", "2023-08-15"),
    span("12.08-14.08", "nb", 2023, "2023-08-12", "2023-08-14"),
    span("innen 01.04.", "nb", 2023, None, "2023-04-01"),
    span("02.10- 06.10", "nb", 2023, "2023-10-02", "2023-10-06"),
    span("30.november", "nb", 2023, "2023-11-30", "2023-11-30"),
    span("4.oktober", "nb", 2023, "2023-10-04", "2023-10-04"),
    span("uke 26/27", "nb", 2023, "2023-06-26", "2023-07-09"),
    span("veke 14/15", "nn", 2023, "2023-04-03", "2023-04-16"),
    span("v. 44/45", "nb", 2023, "2023-10-30", "2023-11-12"),
]

WEEKDAYS = [
    span("mandag 10. april", "nb", 2023, "2023-04-10", "2023-04-10"),
    kind("mandag 10. april", "nb", 2024, "unparsed"),
    span("fredag 26.02", "nb", 2021, "2021-02-26", "2021-02-26"),
    kind("fredag 26.02", "nb", 2022, "unparsed"),
    span("Torsdag 15. og fredag 16.august", "nb", 2024, "2024-08-15", "2024-08-16"),
    kind("Torsdag 15. og lørdag 16.august", "nb", 2024, "unparsed"),
    span("torsdagen den 6 september", "sv", 2018, "2018-09-06", "2018-09-06"),
    span("tis 19 juni 2018", "sv", None, "2018-06-19", "2018-06-19"),
    kind("tis 19 juni 2019", "sv", None, "unparsed"),
    span("mandag 30. september – fredag 4. oktober", "nb", 2024, "2024-09-30", "2024-10-04"),
    kind("mandag 30. september – fredag 4. oktober", "nb", 2025, "unparsed"),
    span("tysdag 2. april", "nn", 2024, "2024-04-02", "2024-04-02"),
    span("lördagen den 6 april", "sv", 2024, "2024-04-06", "2024-04-06"),
    span("søn. 7. april", "nb", 2024, "2024-04-07", "2024-04-07"),
]

BRACKETS = [
    span("19–23 februari (vecka 8)", "sv", 2024, "2024-02-19", "2024-02-23"),
    span("9 december (vecka 50)", "sv", 2024, "2024-12-09", "2024-12-09"),
    span("v.44 (2025-10-27 - 2025-11-02)", "sv", 2025, "2025-10-27", "2025-11-02"),
    span("13–19 augusti (vecka 33–34)", "sv", 2025, "2025-08-13", "2025-08-19"),
    kind("2023 (Q1)", "nb", None, "unparsed"),
    kind("19–23 februari (vecka 9)", "sv", 2024, "unparsed"),
    span("våren 2024 (jf. vedtak i sak 12/23)", "nb", None, "2024-03-01", "2024-05-31"),
    span("mars 2024 (se sak 45/2023)", "nb", None, "2024-03-01", "2024-03-31"),
    span("maj 2024 (dnr 2023/1234)", "sv", None, "2024-05-01", "2024-05-31"),
    span("mars 2024 (utsatt fra januar 2024)", "nb", None, "2024-03-01", "2024-03-31"),
    span("mars 2024 (opprinnelig 2022)", "nb", None, "2024-03-01", "2024-03-31"),
    span("maj 2024 (uppskjuten från mars)", "sv", None, "2024-05-01", "2024-05-31"),
]

UNTIL_BEFORE_AFTER = [
    span("innen 1. mars", "nb", 2019, None, "2019-03-01"),
    span("senest 1. mars", "nb", 2019, None, "2019-03-01"),
    span("innan 1. mars", "nn", 2019, None, "2019-03-01"),
    span("senast 1 mars", "sv", 2019, None, "2019-03-01"),
    span("til og med uke 25", "nb", 2019, None, "2019-06-23"),
    span("t.o.m. mars", "nb", 2019, None, "2019-03-31"),
    span("till och med mars", "sv", 2019, None, "2019-03-31"),
    span("før 1. desember", "nb", 2019, None, "2019-11-30"),
    span("före sommaren", "sv", 2019, None, "2019-05-31"),
    span("innan sommaren", "sv", 2019, None, "2019-05-31"),
    span("inför sommaren", "sv", 2019, None, "2019-05-31"),
    span("frem til 31. oktober 2018", "nb", 2019, None, "2018-10-31"),
    span("fram til 31. oktober", "nn", 2019, None, "2019-10-31"),
    span("inntil 1. juni", "nb", 2019, None, "2019-06-01"),
    span("fram till hösten", "sv", 2019, None, "2019-08-31", True),
    span("fram tills hösten", "sv", 2019, None, "2019-08-31", True),
    span("til uke 34", "nb", 2019, "2019-08-19", "2019-08-25", True),
    span("till vecka 34", "sv", 2019, "2019-08-19", "2019-08-25", True),
    span("etter påske", "nb", 2019, "2019-04-23", None),
    span("efter sommaren", "sv", 2019, "2019-09-01", None),
    span("fra og med mars", "nb", 2019, "2019-03-01", None),
    span("f.o.m. mars", "nb", 2019, "2019-03-01", None),
    span("fom mars", "nb", 2019, "2019-03-01", None),
    span("frå og med mars", "nn", 2019, "2019-03-01", None),
    span("från och med mars", "sv", 2019, "2019-03-01", None),
    span("fr.o.m. mars", "sv", 2019, "2019-03-01", None),
    span("sedan mars", "sv", 2019, "2019-03-01", None),
    span("mars til og med mai", "nb", 2019, "2019-03-01", "2019-05-31"),
    span("fra mars til og med mai", "nb", 2019, "2019-03-01", "2019-05-31"),
    span("mars till och med maj", "sv", 2019, "2019-03-01", "2019-05-31"),
    span("från mars till och med maj", "sv", 2019, "2019-03-01", "2019-05-31"),
    span("februar eller mars 2022", "nb", None, "2022-02-01", "2022-03-31", True),
    span("innan sommaren", "nb", 2019, None, "2019-08-31"),
    span("innan sommaren", None, 2019, None, "2019-05-31", True),
    span("innen fristen 1. mars", "nb", 2019, None, "2019-03-01"),
    span("senest innen 1. mars", "nb", 2019, None, "2019-03-01"),
]

PARTS = [
    span("begynnelsen av mars 2024", "nb", None, "2024-03-01", "2024-03-10"),
    span("tidlig i mars 2024", "nb", None, "2024-03-01", "2024-03-10"),
    span("tidleg i mars 2024", "nn", None, "2024-03-01", "2024-03-10"),
    span("början på mars 2024", "sv", None, "2024-03-01", "2024-03-10"),
    span("tidigt i mars 2024", "sv", None, "2024-03-01", "2024-03-10"),
    span("starten av 2024", "nb", None, "2024-01-01", "2024-03-31", True),
    span("i början av 2024", "sv", None, "2024-01-01", "2024-03-31", True),
    span("midten av 2024", "nb", None, "2024-05-01", "2024-08-31", True),
    span("medio mars 2024", "nb", None, "2024-03-11", "2024-03-20"),
    span("slutten av 2024", "nb", None, "2024-10-01", "2024-12-31", True),
    span("mot slutten av 2025", "nb", None, "2025-10-01", "2025-12-31", True),
    span("sent i mars 2024", "nb", None, "2024-03-21", "2024-03-31"),
    span("mot slutet av februari 2024", "sv", None, "2024-02-21", "2024-02-29"),
    span("i slutet av 2024", "sv", None, "2024-10-01", "2024-12-31", True),
    span("begynnelsen av våren 2024", "nb", None, "2024-03-01", "2024-03-31", True),
    span("midten av sommeren 2024", "nb", None, "2024-07-01", "2024-07-31", True),
    span("slutten av hausten 2024", "nn", None, "2024-11-01", "2024-11-30", True),
    span("slutten av vinteren 2024", "nb", None, "2024-02-01", "2024-02-29", True),
    kind("midten av vinteren 2024", "nb", None, "unparsed"),
    span("midten av 3. kvartal 2024", "nb", None, "2024-08-01", "2024-08-31", True),
    span("midten av 2. tertial 2024", "nb", None, "2024-06-01", "2024-07-31", True),
    span("midten av 1. halvår 2024", "nb", None, "2024-03-01", "2024-04-30", True),
    span("slutten av 2. halvår 2024", "nb", None, "2024-12-01", "2024-12-31", True),
    kind("slutten av sommerferien", "nb", 2024, "unparsed"),
    kind("midten av vårterminen 2024", "nb", None, "unparsed"),
    kind("slutten av uke 12", "nb", 2024, "unparsed"),
    span("første uke i september", "nb", 2019, "2019-09-02", "2019-09-08"),
    span("fyrste veka i september", "nn", 2019, "2019-09-02", "2019-09-08"),
    span("första veckan i september", "sv", 2019, "2019-09-02", "2019-09-08"),
    span("första veckan september", "sv", 2019, "2019-09-02", "2019-09-08"),
    span("siste uke i september", "nb", 2019, "2019-09-23", "2019-09-29"),
    span("sista veckan i september", "sv", 2019, "2019-09-23", "2019-09-29"),
    kind("3:e veckan i mars", "sv", 2019, "unparsed"),
    span("månedsskiftet januar/februar", "nb", 2024, "2024-01-25", "2024-02-05", True),
    span("i månedsskiftet januar/februar", "nb", 2024, "2024-01-25", "2024-02-05", True),
    span("overgangen mellom mars og april", "nb", 2024, "2024-03-25", "2024-04-05", True),
    span("månadsskiftet mai/juni", "nn", 2024, "2024-05-25", "2024-06-05", True),
    span("månadsskiftet maj/juni", "sv", 2024, "2024-05-25", "2024-06-05", True),
    span("övergången mellan mars och april", "sv", 2024, "2024-03-25", "2024-04-05", True),
    span("månedsskiftet desember/januar", "nb", 2024, "2024-12-25", "2025-01-05", True),
    kind("månedsskiftet januar/mars", "nb", 2024, "unparsed"),
]

HOLIDAYS = [
    span("før jul", "nb", 2024, None, "2024-12-23"),
    span("etter påske", "nb", 2024, "2024-04-02", None),
    span("i påskeuken", "nb", 2024, "2024-03-25", "2024-03-31"),
    span("i jul", "nb", 2024, "2024-12-24", "2024-12-26"),
    kind("jul", "nb", 2024, "unparsed"),
    kind("jul 2024", "nb", None, "unparsed"),
    span("jula", "nb", 2024, "2024-12-24", "2024-12-26"),
    span("julen", "sv", 2024, "2024-12-24", "2024-12-26"),
    span("julehelga", "nn", 2024, "2024-12-24", "2024-12-26"),
    span("julhelgen", "sv", 2024, "2024-12-24", "2024-12-26"),
    span("påske", "nb", 2024, "2024-03-28", "2024-04-01"),
    span("påska", "nn", 2025, "2025-04-17", "2025-04-21"),
    span("påsken", "nb", 2024, "2024-03-28", "2024-04-01"),
    span("påsk", "sv", 2024, "2024-03-28", "2024-04-01"),
    span("påskeuka", "nb", 2025, "2025-04-14", "2025-04-20"),
    span("påskeveka", "nn", 2025, "2025-04-14", "2025-04-20"),
    span("påskveckan", "sv", 2025, "2025-04-14", "2025-04-20"),
    span("pinse", "nb", 2024, "2024-05-19", "2024-05-20"),
    span("pinsen", "nb", 2024, "2024-05-19", "2024-05-20"),
    span("pingst", "sv", 2024, "2024-05-19", "2024-05-20"),
    span("pingsten", "sv", 2024, "2024-05-19", "2024-05-20"),
    span("sommerferien", "nb", 2024, "2024-07-01", "2024-07-31", True),
    span("fellesferien", "nb", 2024, "2024-07-01", "2024-07-31", True),
    span("sommarferien", "nn", 2024, "2024-07-01", "2024-07-31", True),
    span("sommaruppehållet", "sv", 2024, "2024-07-01", "2024-07-31", True),
    span("semestern", "sv", 2024, "2024-07-01", "2024-07-31", True),
    span("før sommerferien", "nb", 2024, None, "2024-06-30", True),
    span("før nyttår", "nb", 2024, None, "2024-12-31"),
    span("innen nyttår", "nb", 2024, None, "2024-12-31"),
    span("til nyttår", "nb", 2024, None, "2024-12-31"),
    span("frem til nyttår", "nb", 2024, None, "2024-12-31"),
    span("til og med årsskiftet", "nb", 2024, None, "2024-12-31"),
    span("före nyår", "sv", 2024, None, "2024-12-31"),
    span("innan nyår", "sv", 2024, None, "2024-12-31"),
    span("till nyår", "sv", 2024, None, "2024-12-31"),
    span("fram till nyår", "sv", 2024, None, "2024-12-31"),
    span("till och med årsskiftet", "sv", 2024, None, "2024-12-31"),
    span("etter nyttår", "nb", 2024, "2024-01-02", None),
    span("over nyttår", "nb", 2024, "2024-01-02", None),
    span("efter nyår", "sv", 2024, "2024-01-02", None),
    span("etter nyåret", "nb", 2024, "2024-01-02", None),
    span("på nyåret", "nb", 2024, "2024-01-01", "2024-02-29", True),
    span("på nyåret", "sv", 2023, "2023-01-01", "2023-02-28", True),
    span("årsskiftet 2023/2024", "nb", None, "2023-12-31", "2024-01-01"),
    span("årsskiftet 2023/24", "sv", None, "2023-12-31", "2024-01-01"),
    span("før årsskiftet 2023/2024", "nb", None, None, "2023-12-31"),
    span("etter årsskiftet 2023/2024", "nb", None, "2024-01-02", None),
    kind("nyttår", "nb", 2024, "unparsed"),
    kind("i nyttår", "nb", 2024, "unparsed"),
    kind("årsskiftet", "nb", 2024, "unparsed"),
    kind("årsskiftet 2023/2025", "nb", None, "unparsed"),
    span("mellom jul og nyttår", "nb", 2024, "2024-12-27", "2024-12-30"),
    span("mellan jul och nyår", "sv", 2024, "2024-12-27", "2024-12-30"),
]

TERMS = [
    span("vårsemesteret 2024", "nb", None, "2024-01-01", "2024-06-30", True),
    span("Vårterminen 2024", "nb", None, "2024-01-01", "2024-06-30", True),
    span("vårterminen 2024", "sv", None, "2024-01-01", "2024-06-30", True),
    span("vårhalvåret 2024", "sv", None, "2024-01-01", "2024-06-30", True),
    span("høstsemesteret 2024", "nb", None, "2024-08-01", "2024-12-31", True),
    span("høstterminen 2024", "nb", None, "2024-08-01", "2024-12-31", True),
    span("haustsemesteret 2024", "nn", None, "2024-08-01", "2024-12-31", True),
    span("höstterminen 2024", "sv", None, "2024-08-01", "2024-12-31", True),
    span("høsthalvåret 2024", "nb", None, "2024-07-01", "2024-12-31", True),
    span("hausthalvåret 2024", "nn", None, "2024-07-01", "2024-12-31", True),
    span("hösthalvåret 2024", "sv", None, "2024-07-01", "2024-12-31", True),
    span("skoleåret 2023/2024", "nb", None, "2023-08-01", "2024-06-30", True),
    span("skuleåret 2023/24", "nn", None, "2023-08-01", "2024-06-30", True),
    span("läsåret 2023–2024", "sv", None, "2023-08-01", "2024-06-30", True),
    span("verksamhetsåret 2023/24", "sv", None, "2023-08-01", "2024-06-30", True),
    span("vinteren 2023/2024", "nb", None, "2023-12-01", "2024-02-29", True),
    span("vinter 2024/25", "nb", None, "2024-12-01", "2025-02-28", True),
    span("vintern 2023/2024", "sv", None, "2023-12-01", "2024-02-29", True),
    span("høst/vinter 2023/2024", "nb", None, "2023-09-01", "2024-02-29", True),
    span("höst/vinter 2023/24", "sv", None, "2023-09-01", "2024-02-29", True),
    kind("våren 2023/2024", "nb", None, "unparsed"),
    kind("skoleåret 2023/2025", "nb", None, "unparsed"),
]

RELATIVE = [
    span("i år", "nb", 2024, "2024-01-01", "2024-12-31"),
    span("i år", "sv", 2024, "2024-01-01", "2024-12-31"),
    span("neste år", "nb", 2024, "2025-01-01", "2025-12-31"),
    span("neste år", "nn", 2024, "2025-01-01", "2025-12-31"),
    span("nästa år", "sv", 2024, "2025-01-01", "2025-12-31"),
    span("påfølgende år", "nb", 2024, "2025-01-01", "2025-12-31"),
    span("påföljande år", "sv", 2024, "2025-01-01", "2025-12-31"),
    span("följande år", "sv", 2024, "2025-01-01", "2025-12-31"),
    span("året etter", "nb", 2024, "2025-01-01", "2025-12-31"),
    span("året efter", "sv", 2024, "2025-01-01", "2025-12-31"),
    span("innen neste år", "nb", 2024, None, "2025-12-31"),
    span("til neste år", "nb", 2024, "2025-01-01", "2025-12-31", True),
    span("i løpet av neste år", "nb", 2024, "2025-01-01", "2025-12-31"),
    kind("neste år", "nb", None, "unparsed"),
    kind("snarest", "nb", 2024, "undated"),
    kind("snarast", "nn", 2024, "undated"),
    kind("så snart som mulig", "nb", 2024, "undated"),
    kind("så snart som möjligt", "sv", 2024, "undated"),
    kind("omgående", "nb", 2024, "undated"),
    kind("asap", "nb", 2024, "undated"),
]

YEARLY = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
QUARTERLY = "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
MARCH_1 = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
MARCH = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"
AUTUMN = "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30"
RECURRING = [
    every("årlig", "nb", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("årleg", "nn", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("hvert år", "nb", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("kvart år", "nn", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("årligen", "sv", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("varje år", "sv", 2022, "2022-01-01", "2022-12-31", YEARLY),
    every("årlig", "sv", 2022, "2022-01-01", "2022-12-31", YEARLY),
    *(every(text, lang, 2022, "2022-01-01", "2022-06-30",
            "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1")
      for text, lang in (("halvårlig", "nb"), ("halvårleg", "nn"), ("hvert halvår", "nb"),
                         ("halvårsvis", "sv"), ("varje halvår", "sv"))),
    *(every(text, lang, 2022, "2022-01-01", "2022-04-30",
            "FREQ=YEARLY;BYMONTH=4,8,12;BYMONTHDAY=-1")
      for text, lang in (("tertialvis", "nb"), ("hvert tertial", "nb"),
                         ("kvart tertial", "nn"), ("varje tertial", "sv"))),
    *(every(text, lang, 2022, "2022-01-01", "2022-03-31", QUARTERLY)
      for text, lang in (("kvartalsvis", "nb"), ("hvert kvartal", "nb"),
                         ("kvart kvartal", "nn"), ("kvartalsvis", "sv"),
                         ("varje kvartal", "sv"))),
    *(every(text, lang, 2022, "2022-01-01", "2022-01-31", "FREQ=MONTHLY;BYMONTHDAY=-1")
      for text, lang in (("månedlig", "nb"), ("hver måned", "nb"), ("månadleg", "nn"),
                         ("kvar månad", "nn"), ("månadsvis", "sv"), ("varje månad", "sv"),
                         ("månatligen", "sv"))),
    every("årlig i mars", "nb", 2022, "2022-03-01", "2022-03-31", MARCH),
    every("i mars hvert år", "nb", 2022, "2022-03-01", "2022-03-31", MARCH),
    every("hvert år i mars", "nb", 2022, "2022-03-01", "2022-03-31", MARCH),
    every("varje år i mars", "sv", 2022, "2022-03-01", "2022-03-31", MARCH),
    every("15. januar hvert år", "nb", 2022, "2022-01-15", "2022-01-15",
          "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15"),
    every("årlig 15. januar", "nb", 2022, "2022-01-15", "2022-01-15",
          "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15"),
    every("årlig innen 1. mars", "nb", 2022, None, "2022-03-01", MARCH_1),
    every("innen 1. mars hvert år", "nb", 2022, None, "2022-03-01", MARCH_1),
    every("senast 1 mars varje år", "sv", 2022, None, "2022-03-01", MARCH_1),
    every("hver høst", "nb", 2022, "2022-09-01", "2022-11-30", AUTUMN),
    every("kvar haust", "nn", 2022, "2022-09-01", "2022-11-30", AUTUMN),
    every("varje höst", "sv", 2022, "2022-09-01", "2022-11-30", AUTUMN),
    every("kvartalsvis innen utgangen av kvartalet", "nb", 2022, None, "2022-03-31",
          QUARTERLY),
    every("årlig i februar", "nb", 2023, "2023-02-01", "2023-02-28",
          "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"),
    kind("i april, september og oktober", "nb", 2022, "unparsed"),
    kind("årlig", "nb", None, "unparsed"),
    kind("årlig i 2023", "nb", 2022, "unparsed"),
    kind("hver påske", "nb", 2022, "unparsed"),
    kind("månedlig innen den 10.", "nb", 2022, "unparsed"),
]

# Where DATES.md is silent (docs/dates.md, "Part 2: decisions").
SILENT = [
    kind("innen mars kl 12", "nb", 2023, "unparsed"),
    kind("mars 2023 kl 12", "nb", None, "unparsed"),
    span("innen 15. mars kl. 12", "nb", 2023, None, "2023-03-15"),
    kind("mandag i uke 12", "nb", 2023, "unparsed"),
    kind("innen mars (vecka 10)", "sv", 2023, "unparsed"),
    kind("innen mars eller april", "nb", 2023, "unparsed"),
    span("mars neste år", "nb", 2023, "2024-03-01", "2024-03-31"),
    span("påsken 2024", "nb", None, "2024-03-28", "2024-04-01"),
    kind("nyttår 2024", "nb", None, "unparsed"),
    kind("skoleåret 2023", "nb", None, "unparsed"),
    kind("månedsskiftet desember/januar 2024", "nb", None, "unparsed"),
    kind("mellom jul og nyttår", "nb", None, "unparsed"),
    span("første uke i september 2024", "nb", None, "2024-09-02", "2024-09-08"),
    every("årlig i jula", "nb", 2023, "2023-12-24", "2023-12-26",
          "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=26"),
    every("hver vinter", "nb", 2023, "2023-01-01", "2023-02-28",
          "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"),
    every("årlig i desember–januar", "nb", 2023, "2022-12-01", "2023-01-31",
          "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31"),
    kind("årlig første uke i mars", "nb", 2023, "unparsed"),
    kind("uke 12 hvert år", "nb", 2023, "unparsed"),
    kind("kvartalsvis rapportering", "nb", 2023, "unparsed"),
    kind("innen utgangen av året", "nb", 2023, "unparsed"),
    kind("mandag mars", "nb", 2023, "unparsed"),
    kind("andre uke i mars", "nb", 2023, "unparsed"),
    kind("kvartalsvis i mars", "nb", 2023, "unparsed"),
    kind("i år", "nb", None, "unparsed"),
    kind("påsken", "nb", None, "unparsed"),
    span("julen 2023", "nb", None, "2023-12-24", "2023-12-26"),
    kind("skoleåret 2023/2025", "nb", None, "unparsed"),
]

ROWS = (CHANGE_NOTHING + UNIT_SPELLINGS + WEEKDAYS + BRACKETS + UNTIL_BEFORE_AFTER + PARTS
        + HOLIDAYS + TERMS + RELATIVE + RECURRING + SILENT)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.lang}:{row.text}:{row.ref_year}"
                                           for row in ROWS])
def test_part2(row: Row) -> None:
    found = parse_span(row.text, lang=row.lang, ref_year=row.ref_year)
    assert (found.kind, found.start, found.due, found.approximate, found.recurrence) == (
        row.kind, _date(row.start), _date(row.due), row.approximate, row.recurrence)
    assert found.text == row.text


def test_annual_occurrences_follow_the_rule() -> None:
    """DATES.md: `årleg` (ref 2022) is 2022, then due 2023-12-31, 2024-12-31 ..."""
    found = parse_span("årleg", lang="nn", ref_year=2022)
    shown = [(one.start, one.due) for one in found.occurrences(dt.date(2022, 1, 1),
                                                                  dt.date(2024, 12, 31))]
    assert shown == [(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in (2022, 2023, 2024)]


def test_deadline_occurrences_have_no_start() -> None:
    found = parse_span("årlig innen 1. mars", lang="nb", ref_year=2022)
    shown = [(one.start, one.due) for one in found.occurrences(dt.date(2022, 1, 1),
                                                                  dt.date(2024, 12, 31))]
    assert shown == [(None, dt.date(year, 3, 1)) for year in (2022, 2023, 2024)]


def test_quarterly_occurrences_are_whole_quarters() -> None:
    found = parse_span("kvartalsvis", lang="nb", ref_year=2022)
    shown = [(one.start, one.due) for one in found.occurrences(dt.date(2022, 1, 1),
                                                                  dt.date(2022, 12, 31))]
    assert shown == [(dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
                     (dt.date(2022, 4, 1), dt.date(2022, 6, 30)),
                     (dt.date(2022, 7, 1), dt.date(2022, 9, 30)),
                     (dt.date(2022, 10, 1), dt.date(2022, 12, 31))]


def test_february_stays_whole_in_leap_years() -> None:
    found = parse_span("årlig i februar", lang="nb", ref_year=2023)
    dues = [one.due for one in found.occurrences(dt.date(2023, 1, 1), dt.date(2024, 12, 31))]
    starts = [one.start for one in found.occurrences(dt.date(2023, 1, 1),
                                                      dt.date(2024, 12, 31))]
    assert dues == [dt.date(2023, 2, 28), dt.date(2024, 2, 29)]
    assert starts == [dt.date(2023, 2, 1), dt.date(2024, 2, 1)]


def test_a_span_that_does_not_recur_is_its_own_occurrence() -> None:
    found = parse_span("mars 2023", ref_year=2023)
    assert found.occurrences(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == [found]
    assert found.occurrences(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == []


@pytest.mark.parametrize("row", [row for row in ROWS if row.recurrence],
                         ids=[row.text for row in ROWS if row.recurrence])
def test_every_rule_is_rfc5545_and_its_first_due_day_is_the_span(row: Row) -> None:
    """icalendar (RFC 5545) reads the rule and writes the same parts back; dateutil's first
    occurrence from 1 January of the plan year is the span's due day."""
    found = parse_span(row.text, lang=row.lang, ref_year=row.ref_year)
    assert found.recurrence is not None and row.ref_year is not None
    parsed = vRecur.from_ical(found.recurrence)
    assert parsed["FREQ"] in (["YEARLY"], ["MONTHLY"]) and "DTSTART" not in found.recurrence
    assert sorted(parsed.to_ical().decode().split(";")) == sorted(found.recurrence.split(";"))
    first = rrulestr(found.recurrence, dtstart=dt.datetime(row.ref_year, 1, 1))[0]
    assert first.date() == found.due


def test_recurrence_ends_with_until_else_period_else_two_years_on() -> None:
    until = dt.date(2023, 6, 30)
    assert recurs_until(until, "2022-2024", 2022) == until
    assert recurs_until(None, "2022-2024", 2022) == dt.date(2024, 12, 31)
    assert recurs_until(None, "Handlingsplan", 2022) == dt.date(2024, 12, 31)
    assert recurs_until(None, None, 2023) == dt.date(2025, 12, 31)
    assert recurs_until(None, "2022-2027", 2022) == dt.date(2027, 12, 31)

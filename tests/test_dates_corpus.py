"""A corpus of realistic date texts in nb, nn and sv, each row (text, lang, ref_year, expected).

Rows are written from DATES.md's rules and docs/dates.md (where DATES.md is silent); the
expected spans were worked out by hand from the unit tables, not taken from the parser.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from timelines.dates import DateSpan, parse_span


class Row(NamedTuple):
    text: str
    lang: str | None
    ref_year: int | None
    kind: str
    start: str | None = None
    due: str | None = None
    approximate: bool = False


def span(text: str, lang: str | None, ref: int | None, start: str | None, due: str | None,
         approximate: bool = False) -> Row:
    return Row(text, lang, ref, "dated", start, due, approximate)


def kind(text: str, lang: str | None, ref: int | None, what: str) -> Row:
    return Row(text, lang, ref, what)


RANGE_SHARING = [
    span("uke 40–42 2023", "nb", None, "2023-10-02", "2023-10-22"),
    span("Uke 40-42", "nb", 2023, "2023-10-02", "2023-10-22"),
    span("vecka 12–14 2024", "sv", None, "2024-03-18", "2024-04-07"),
    span("v. 8-9", "nn", 2022, "2022-02-21", "2022-03-06"),
    span("3.–5. oktober 2022", "nb", None, "2022-10-03", "2022-10-05"),
    span("17–19 maj 2022", "sv", None, "2022-05-17", "2022-05-19"),
    span("25-26/10", "nb", 2017, "2017-10-25", "2017-10-26"),
    span("januar – mars 2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("vår - høst 2023", "nb", None, "2023-03-01", "2023-11-30"),
    span("Vår/sommer 2023", "nb", None, "2023-03-01", "2023-08-31"),
    span("Våren/sommeren 2024", "nb", None, "2024-03-01", "2024-08-31"),
    span("april/mai 2023", "nb", None, "2023-04-01", "2023-05-31"),
    span("jan.–mars 2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("sept–okt 2021", "nb", None, "2021-09-01", "2021-10-31"),
    span("1. og 2. kvartal 2023", "nb", None, "2023-01-01", "2023-06-30"),
    span("1.–3. kvartal 2024", "nb", None, "2024-01-01", "2024-09-30"),
    span("Q1–Q2 2025", "nb", None, "2025-01-01", "2025-06-30"),
    span("Q1-2 2025", "sv", None, "2025-01-01", "2025-06-30"),
    span("10.-12. mai", "nb", 2022, "2022-05-10", "2022-05-12"),
    span("25.10.–3.11.2023", "nb", None, "2023-10-25", "2023-11-03"),
    span("30/8-1/9", "nb", 2017, "2017-08-30", "2017-09-01"),
    span("2022-24", "nn", None, "2022-01-01", "2024-12-31"),
    span("2019-20", "nb", None, "2019-01-01", "2020-12-31"),
    span("2023/2024", "nb", None, "2023-01-01", "2024-12-31"),
    span("2023 og 2024", "nb", None, "2023-01-01", "2024-12-31"),
    span("2022 - mars 2023", "nb", None, "2022-01-01", "2023-03-31"),
    span("22.5.-24.5.2023", "nb", None, "2023-05-22", "2023-05-24"),
    span("22/5 - 24/5 2023", "nb", None, "2023-05-22", "2023-05-24"),
    span("Vår og høst 2023", "nb", None, "2023-03-01", "2023-11-30"),
    span("mellom uke 10 og 12", "nb", 2023, "2023-03-06", "2023-03-26"),
    span("Høst 2019/vår 2020", "nb", None, "2019-09-01", "2020-05-31"),
    span("2. kvartal 2023 – 1. kvartal 2024", "nb", None, "2023-04-01", "2024-03-31"),
    span("jan-feb 2024", "nb", None, "2024-01-01", "2024-02-29"),
    span("Høst 2022 – vår 2023", "nb", None, "2022-09-01", "2023-05-31"),
    span("Hösten 2022 - våren 2023", "sv", None, "2022-09-01", "2023-05-31"),
    span("oktober 2023 - mars 2024", "nb", None, "2023-10-01", "2024-03-31"),
    span("uke 50 2023 – uke 2 2024", "nb", None, "2023-12-11", "2024-01-14"),
    span("Q4 2023 - Q1 2024", "nb", None, "2023-10-01", "2024-03-31"),
    span("1. januar 2023 - 31. mars 2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("01.01.2023 - 31.03.2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("2023-01-01–2023-03-31", "sv", None, "2023-01-01", "2023-03-31"),
    span("primo mars – ultimo april 2023", "nb", None, "2023-03-01", "2023-04-30"),
    span("mellom mars og mai 2024", "nb", None, "2024-03-01", "2024-05-31"),
    span("mellan mars och maj 2024", "sv", None, "2024-03-01", "2024-05-31"),
    span("mellom 1. og 15. mars 2023", "nb", None, "2023-03-01", "2023-03-15"),
    span("fra mars til mai 2023", "nb", None, "2023-03-01", "2023-05-31"),
    span("frå mars til mai 2023", "nn", None, "2023-03-01", "2023-05-31"),
    span("från mars till maj 2023", "sv", None, "2023-03-01", "2023-05-31"),
    span("fra 1. mars til 30. juni 2023", "nb", None, "2023-03-01", "2023-06-30"),
    span("fra uke 10 til uke 14 2023", "nb", None, "2023-03-06", "2023-04-09"),
    span("mars til mai", "nb", 2023, "2023-03-01", "2023-05-31"),
    span("mars till maj", "sv", 2023, "2023-03-01", "2023-05-31"),
    span("fra mars til og med mai 2023", "nb", None, "2023-03-01", "2023-05-31"),
    span("Mai – 1. september", "nb", 2017, "2017-05-01", "2017-09-01"),
    span("September – 20. oktober", "nb", 2017, "2017-09-01", "2017-10-20"),
]

YEAR_CROSSING = [
    span("desember – januar", "nb", 2022, "2022-12-01", "2023-01-31"),
    span("december - januari", "sv", 2022, "2022-12-01", "2023-01-31"),
    span("28/12-3/1", "nb", 2022, "2022-12-28", "2023-01-03"),
    span("oktober – mars", "nb", 2022, "2022-10-01", "2023-03-31"),
    span("høst – vinter", "nb", 2022, "2022-09-01", "2023-02-28"),
    span("haust - vinter", "nn", 2023, "2023-09-01", "2024-02-29"),
    span("Q4–Q1", "nb", 2022, "2022-10-01", "2023-03-31"),
    span("uke 52 – 2", "nb", 2022, "2022-12-26", "2023-01-15"),
    span("Desember – januar 2023", "nb", None, "2022-12-01", "2023-01-31"),
    span("desember 2022 – januar", "nb", None, "2022-12-01", "2023-01-31"),
    span("Desember 2017 og januar 2018", "nb", 2017, "2017-12-01", "2018-01-31"),
    span("2. halvår – 1. halvår", "nb", 2022, "2022-07-01", "2023-06-30"),
    kind("mars og februar 2023", "nb", None, "unparsed"),
    kind("mai – april", "nb", 2022, "unparsed"),
    kind("30.–2. oktober 2022", "nb", None, "unparsed"),
    kind("2024 – 2022", "nb", None, "unparsed"),
    kind("mars 2024 – januar 2024", "nb", None, "unparsed"),
]

PREFIXES = [
    span("innen 1. mars", "nb", 2023, None, "2023-03-01"),
    span("Innen 31.12.2023", "nb", None, None, "2023-12-31"),
    span("innan mars", "nn", 2023, None, "2023-03-31"),
    span("senest 15 mars", "sv", 2024, None, "2024-03-15"),
    span("senast den 15 mars 2024", "sv", None, None, "2024-03-15"),
    span("seinast 1. juli", "nn", 2022, None, "2022-07-01"),
    span("senest 1. juni 2023", "nb", None, None, "2023-06-01"),
    span("senest v. 12", "nb", 2023, None, "2023-03-26"),
    span("senast vecka 40 2022", "sv", None, None, "2022-10-09"),
    span("innen utgangen av 2. kvartal 2024", "nb", None, None, "2024-06-30"),
    span("innen utgangen av 2023", "nb", None, None, "2023-12-31"),
    span("innan utgangen av 2023", "nn", None, None, "2023-12-31"),
    span("innen sommeren 2023", "nb", None, None, "2023-08-31"),
    span("innen slutten av mars 2023", "nb", None, None, "2023-03-31"),
    span("til og med mars 2023", "nb", None, None, "2023-03-31"),
    span("t.o.m. uke 12 2023", "nb", None, None, "2023-03-26"),
    span("8. desember (eller før)", "nb", 2017, None, "2017-12-08", True),
    span("8. desember eller før", "nb", 2017, None, "2017-12-08", True),
    span("Høsten 2022 (eller før)", "nb", None, None, "2022-11-30", True),
    span("15 mars (eller tidigare)", "sv", 2022, None, "2022-03-15", True),
    span("Fra februar", "nb", 2018, "2018-02-01", None),
    span("Fra august", "nb", 2017, "2017-08-01", None),
    span("frå april", "nn", 2022, "2022-04-01", None),
    span("Frå hausten 2022", "nn", None, "2022-09-01", None),
    span("från vecka 12 2022", "sv", None, "2022-03-21", None),
    span("Från och med vecka 10", "sv", 2023, "2023-03-06", None),
    span("fra og med mars 2023", "nb", None, "2023-03-01", None),
    span("f.o.m. mars 2023", "nb", None, "2023-03-01", None),
    span("Fra 2023", "nb", None, "2023-01-01", None),
    span("Fra uke 34", "nb", 2019, "2019-08-19", None),
    span("i løpet av 2023", "nb", None, "2023-01-01", "2023-12-31"),
    span("I løpet av hausten", "nn", 2022, "2022-09-01", "2022-11-30"),
    span("under hösten 2022", "sv", None, "2022-09-01", "2022-11-30"),
    span("under första kvartalet 2023", "sv", None, "2023-01-01", "2023-03-31"),
    span("i mars", "nb", 2023, "2023-03-01", "2023-03-31"),
    span("i 2023", "nb", None, "2023-01-01", "2023-12-31"),
    span("hele 2023", "nb", None, "2023-01-01", "2023-12-31"),
    span("ca. mars 2023", "nb", None, "2023-03-01", "2023-03-31", True),
    span("Ca mars 2023", "nb", None, "2023-03-01", "2023-03-31", True),
    span("c:a maj 2023", "sv", None, "2023-05-01", "2023-05-31", True),
    span("cirka vecka 36", "sv", 2021, "2021-09-06", "2021-09-12", True),
    span("ca. uke 12", "nb", 2023, "2023-03-20", "2023-03-26", True),
    span("mars 2023?", "nb", None, "2023-03-01", "2023-03-31", True),
    span("Vår 2023 ?", "nb", None, "2023-03-01", "2023-05-31", True),
    span("Mai (?)", "nb", 2020, "2020-05-01", "2020-05-31", True),
    span("fra ca. mars 2023", "nb", None, "2023-03-01", None, True),
    span("2023 (justert)", "nb", None, "2023-01-01", "2023-12-31"),
    span("Sommeren 2023 (foreløpig)", "nb", None, "2023-06-01", "2023-08-31"),
    span("2023 (justert fra 2021)", "nb", None, "2023-01-01", "2023-12-31"),
    span("mars 2024 (utsatt frå januar)", "nn", None, "2024-03-01", "2024-03-31"),
    span("maj 2024 (flyttad från mars)", "sv", None, "2024-05-01", "2024-05-31"),
    span("Innen 1. mars 2023 (eller før)", "nb", None, None, "2023-03-01", True),
    span("September (ca.)", "nb", 2023, "2023-09-01", "2023-09-30", True),
    span("fra og med uke 10 til og med uke 12 2023", "nb", None, "2023-03-06", "2023-03-26"),
    span("f.o.m. 1.3.2023 t.o.m. 31.5.2023", "nb", None, "2023-03-01", "2023-05-31"),
    span("till och med vecka 12 2023", "sv", None, None, "2023-03-26"),
    span("omkring 20. juni", "nb", 2023, "2023-06-20", "2023-06-20", True),
    kind("2023 (innen mars)", "nb", None, "unparsed"),
    kind("fra innen mars", "nb", 2023, "unparsed"),
    kind("Mars 2023 (evt. april)", "nb", None, "unparsed"),
    kind("2023 (Q1)", "nb", None, "unparsed"),
    kind("(justert)", "nb", 2023, "unparsed"),
    kind("mars 2023 (", "nb", None, "unparsed"),
    kind("innen fra mars", "nb", 2023, "unparsed"),
    kind("fra mars (eller før)", "nb", 2023, "unparsed"),
    kind("mellom mars", "nb", 2023, "unparsed"),
    kind("mellom mars - mai", "nb", 2023, "unparsed"),
]

VARIANTS = [
    span("Q2 2025", "nb", None, "2025-04-01", "2025-06-30"),
    span("q3 2025", "sv", None, "2025-07-01", "2025-09-30"),
    span("Q1/2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("1:a kvartalet", "sv", 2023, "2023-01-01", "2023-03-31"),
    span("4:e kvartalet 2022", "sv", None, "2022-10-01", "2022-12-31"),
    span("siste kvartal 2023", "nb", None, "2023-10-01", "2023-12-31"),
    span("sista kvartalet 2023", "sv", None, "2023-10-01", "2023-12-31"),
    span("1. kv. 2023", "nb", None, "2023-01-01", "2023-03-31"),
    span("Kv 3 2023", "nb", None, "2023-07-01", "2023-09-30"),
    span("Tertial 2 2023", "nb", None, "2023-05-01", "2023-08-31"),
    span("3. tertial", "nn", 2021, "2021-09-01", "2021-12-31"),
    span("2:a halvåret 2024", "sv", None, "2024-07-01", "2024-12-31"),
    span("andre halvår 2023", "nb", None, "2023-07-01", "2023-12-31"),
    span("annet halvår 2023", "nb", None, "2023-07-01", "2023-12-31"),
    span("2. halvår", "nb", 2022, "2022-07-01", "2022-12-31"),
    span("Første halvår 2024", "nb", None, "2024-01-01", "2024-06-30"),
    span("vintern 2024", "sv", None, "2024-01-01", "2024-02-29"),
    span("Vinteren 2025", "nb", None, "2025-01-01", "2025-02-28"),
    span("v12", "nb", 2023, "2023-03-20", "2023-03-26"),
    span("V12 2023", "sv", None, "2023-03-20", "2023-03-26"),
    span("uke 12 2023", "nb", None, "2023-03-20", "2023-03-26"),
    span("Uke 12/2023", "nb", None, "2023-03-20", "2023-03-26"),
    span("veke 14", "nn", 2022, "2022-04-04", "2022-04-10"),
    span("vecka 36", "sv", 2021, "2021-09-06", "2021-09-12"),
    span("v. 10", "nb", 2024, "2024-03-04", "2024-03-10"),
    span("v 22", "sv", 2024, "2024-05-27", "2024-06-02"),
    span("uke 45", "nb", 2023, "2023-11-06", "2023-11-12"),
    span("primo mars", "nb", 2023, "2023-03-01", "2023-03-10"),
    span("Primo april 2024", "nb", None, "2024-04-01", "2024-04-10"),
    span("medio juni", "nb", 2023, "2023-06-11", "2023-06-20"),
    span("ultimo september 2022", "nb", None, "2022-09-21", "2022-09-30"),
    span("i slutet av maj 2023", "sv", None, "2023-05-21", "2023-05-31"),
    span("i början av mars", "sv", 2024, "2024-03-01", "2024-03-10"),
    span("i mitten av maj 2023", "sv", None, "2023-05-11", "2023-05-20"),
    span("begynnelsen av april 2023", "nb", None, "2023-04-01", "2023-04-10"),
    span("i begynnelsen av april 2023", "nb", None, "2023-04-01", "2023-04-10"),
    span("midten av november", "nn", 2022, "2022-11-11", "2022-11-20"),
    span("slutten av juni 2023", "nb", None, "2023-06-21", "2023-06-30"),
    span("I slutten av april", "nn", 2022, "2022-04-21", "2022-04-30"),
    span("31.12.22", "nb", None, "2022-12-31", "2022-12-31"),
    span("1/3/23", "sv", None, "2023-03-01", "2023-03-01"),
    span("15.02.2016", "nb", None, "2016-02-15", "2016-02-15"),
    span("sept. 2021", "nb", None, "2021-09-01", "2021-09-30"),
    span("Sep. 2023", "sv", None, "2023-09-01", "2023-09-30"),
    span("JANUAR 2023", "nb", None, "2023-01-01", "2023-01-31"),
    span("Jan 2023", "sv", None, "2023-01-01", "2023-01-31"),
    span("jul. 2023", "nb", None, "2023-07-01", "2023-07-31"),
    span("12/2023", "nb", None, "2023-12-01", "2023-12-31"),
    span("1.2024", "nb", None, "2024-01-01", "2024-01-31"),
    span("mars/2023", "nb", None, "2023-03-01", "2023-03-31"),
    span("1:a sept.", "sv", 2023, "2023-09-01", "2023-09-01"),
    span("den 15 juni 2023", "nb", None, "2023-06-15", "2023-06-15"),
    span("den 15:e juni 2023", "sv", None, "2023-06-15", "2023-06-15"),
    span("15.mars", "nb", 2022, "2022-03-15", "2022-03-15"),
    span("1.3.", "nb", 2022, "2022-03-01", "2022-03-01"),
    span("2023.", "nb", None, "2023-01-01", "2023-12-31"),
    span("Mars 2023.", "nb", None, "2023-03-01", "2023-03-31"),
    span("**Haust 2022**", "nn", None, "2022-09-01", "2022-11-30"),
    span("<p>Våren 2022</p>", "nn", None, "2022-03-01", "2022-05-31"),
    span("• 2022", "nn", None, "2022-01-01", "2022-12-31"),
    span("  vår\u00a02018 ", "nb", None, "2018-03-01", "2018-05-31"),
    span("Hösten", "sv", 2022, "2022-09-01", "2022-11-30"),
    span("2018 - 2019", "nb", None, "2018-01-01", "2019-12-31"),
    span("2022-2024", "nn", None, "2022-01-01", "2024-12-31"),
]

NOT_DATES = [
    kind("4,8 mill", "nn", 2022, "unparsed"),
    kind("0,1 mill", "nn", 2022, "unparsed"),
    kind("0,25 mill", "nn", 2022, "unparsed"),
    kind("2,4 mill", None, 2022, "unparsed"),
    kind("2.250.000", "nb", 2016, "unparsed"),
    kind("100 000 kr", "nb", 2022, "unparsed"),
    kind("RV3 og FV30", "nb", 2019, "unparsed"),
    kind("E6", "nb", 2019, "unparsed"),
    kind("Drift", "nb", 2019, "unparsed"),
    kind("Drift/tilskudd", "nb", 2019, "unparsed"),
    kind("Prosjekt og drift", "nb", 2019, "unparsed"),
    kind("AU / regionrådgiver", "nb", 2019, "unparsed"),
    kind("Ansvar: SR Deltaking: Kommunane", "nn", 2022, "unparsed"),
    kind("Kommunane", "nn", 2022, "unparsed"),
    kind("Ansvarig: Anna Omberg", "sv", 2020, "unparsed"),
    kind("Regionrådet + 7 næringsansv", "nb", 2018, "unparsed"),
    kind("Kompetanse 2/6", "nb", 2017, "unparsed"),
    kind("45 minutt", "nn", 2022, "unparsed"),
    kind("5 år", "nb", 2022, "unparsed"),
    kind("5", "nb", 2022, "unparsed"),
    kind("mars", "nb", None, "unparsed"),
    kind("jul 2023", "nb", None, "unparsed"),
    kind("før sommeren 2023", "nb", None, "unparsed"),
    kind("etter påske", "nb", 2023, "unparsed"),
    kind("slutten av 2023", "nb", None, "unparsed"),
    kind("løpende fra 2022", "nb", None, "unparsed"),
    kind("innen utgangen av året", "nb", 2023, "unparsed"),
    kind("vinteren 2023/2024", "nb", None, "unparsed"),
    kind("uke 12 - 2023", "nb", None, "unparsed"),
    kind("mars, april og mai 2023", "nb", None, "unparsed"),
    kind("Q5 2023", "nb", None, "unparsed"),
    kind("uke 54 2023", "nb", None, "unparsed"),
    span("2023-03", "sv", None, "2023-03-01", "2023-03-31"),
    span("2022-12", "nb", None, "2022-12-01", "2022-12-31"),
    span("2023-10 – 2024-02", "nb", None, "2023-10-01", "2024-02-29"),
    kind("2011-12", "nb", None, "unparsed"),
    kind("2023 - 10", "nb", None, "unparsed"),
    kind("2010-11", "nb", None, "unparsed"),
    kind("mandag 15. mars 2023", "nb", None, "unparsed"),
    kind("15. mars kl. 12", "nb", 2023, "unparsed"),
    kind("Fra februar -> **GJENNOMFØRING**", "nb", 2018, "unparsed"),
    span("maj 2023", "nb", None, "2023-05-01", "2023-05-31"),
    span("haust 2022", "sv", None, "2022-09-01", "2022-11-30"),
    kind("Løpende", "nb", 2022, "ongoing"),
    kind("kontinuerleg", "nn", 2022, "ongoing"),
    kind("Löpande", "sv", 2020, "ongoing"),
    kind("?", "nb", 2017, "undated"),
    kind("??", "nb", 2017, "undated"),
    kind("Ikkje avklart", "nn", 2022, "undated"),
    kind("Ej klart", "sv", 2020, "undated"),
    kind("", "sv", 2020, "undated"),
    kind("- ?", "nb", 2020, "undated"),
    kind("**?**", "nb", 2020, "undated"),
    kind("<p></p>", "nb", 2020, "undated"),
    kind("<p>(justert)</p>", "nb", 2020, "unparsed"),
    kind("fortløpande", "nn", 2020, "ongoing"),
    kind("pågåande", "nn", 2020, "ongoing"),
    kind("fortlöpande", "sv", 2020, "ongoing"),
    kind("uavklart", "nb", 2020, "undated"),
    kind("inte klart", "sv", 2020, "undated"),
    kind("ej bestämt", "sv", 2020, "undated"),
    kind("Løpende 2022", "nb", None, "unparsed"),
    kind("9999", "nb", None, "unparsed"),
    kind("neste år", "nb", 2023, "unparsed"),
    kind("årsskiftet", "sv", 2023, "unparsed"),
    kind("1. halvår 2023 og 2024", "nb", None, "unparsed"),
    kind("mars – 2024", "nb", None, "unparsed"),
    kind("januar 2024 -", "nb", None, "unparsed"),
    kind("- mars 2024", "nb", None, "unparsed"),
    kind("15. mars 23", "nb", None, "unparsed"),
    kind("ultimo 2023", "nb", None, "unparsed"),
    kind("skoleåret 2023/24", "nb", None, "unparsed"),
    kind("50%", "nb", 2023, "unparsed"),
    kind("mars 2023\tAnsvar: SR", "nb", None, "unparsed"),
]

CORPUS = RANGE_SHARING + YEAR_CROSSING + PREFIXES + VARIANTS + NOT_DATES


def expected(row: Row) -> DateSpan:
    start = dt.date.fromisoformat(row.start) if row.start else None
    due = dt.date.fromisoformat(row.due) if row.due else None
    return DateSpan(row.text, row.kind, start, due, row.approximate)  # type: ignore[arg-type]


@pytest.mark.parametrize("row", CORPUS, ids=[f"{row.lang}:{row.text}" for row in CORPUS])
def test_corpus(row: Row) -> None:
    assert parse_span(row.text, lang=row.lang, ref_year=row.ref_year) == expected(row)


@pytest.mark.parametrize("row", [row for row in CORPUS if row.kind == "dated" and row.lang])
def test_every_dated_row_also_reads_without_a_language(row: Row) -> None:
    assert parse_span(row.text, ref_year=row.ref_year) == expected(row)


def test_corpus_is_large() -> None:
    assert len(CORPUS) >= 200
    assert {row.lang for row in CORPUS} >= {"nb", "nn", "sv"}

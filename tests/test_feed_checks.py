"""What every feed must satisfy, checked three parsers deep and byte by byte.

The helpers here are used by the other feed tests; the tests here show that each byte check
catches the fault it is named after (a checker that passes everything proves nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

JS = Path(__file__).resolve().parent / "js"
ITEMS = ("VEVENT", "VTODO")
CALENDAR_ONCE = ("PRODID", "VERSION", "CALSCALE", "NAME", "X-WR-CALNAME",
                 "REFRESH-INTERVAL;VALUE=DURATION", "X-PUBLISHED-TTL")


@dataclass
class Line:
    name: str  # property name with its parameters, as written
    value: str
    path: tuple[str, ...]  # enclosing components, outermost first

    @property
    def prop(self) -> str:
        return self.name.split(";", 1)[0]

    def param(self, key: str) -> str | None:
        for part in self.name.split(";")[1:]:
            k, _, v = part.partition("=")
            if k == key:
                return v
        return None


@dataclass
class Parsed:
    lines: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return text.split("\r\n")[:-1]


def read_lines(body: bytes) -> Parsed:
    parsed, stack = Parsed(), []
    for raw in unfold(body):
        name, _, value = raw.partition(":")
        if name == "BEGIN":
            stack.append(value)
        elif name == "END" and (not stack or stack.pop() != value):
            parsed.problems.append(f"END:{value} does not close what was opened")
        parsed.lines.append(Line(name, value, tuple(stack)))
    return parsed


def physical_problems(body: bytes) -> list[str]:
    """CRLF line ends only, at most 75 octets a line, ends with CRLF."""
    problems = []
    if not body.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    if b"\n" in body.replace(b"\r\n", b"") or b"\r" in body.replace(b"\r\n", b""):
        problems.append("bare CR or LF")
    long = [n for n, line in enumerate(body.split(b"\r\n"), 1) if len(line) > 75]
    return problems + [f"line {n} longer than 75 octets" for n in long]


def calendar_problems(lines: list[Line]) -> list[str]:
    top = Counter(line.name for line in lines if line.path == ("VCALENDAR",))
    problems = [f"{name} appears {top[name]} times" for name in CALENDAR_ONCE if top[name] != 1]
    values = {line.name: line.value for line in lines if line.path == ("VCALENDAR",)}
    if values.get("REFRESH-INTERVAL;VALUE=DURATION") != "PT1H":
        problems.append("REFRESH-INTERVAL;VALUE=DURATION:PT1H missing")
    if values.get("X-PUBLISHED-TTL") != "PT1H":
        problems.append("X-PUBLISHED-TTL:PT1H missing")
    return problems


def uid_problems(lines: list[Line]) -> list[str]:
    """Each UID once, except the overrides of a series (one per RECURRENCE-ID)."""
    uids: Counter[tuple[str, str]] = Counter()
    current: dict[str, str] = {}
    for line in lines:
        if line.path and line.path[-1] in ITEMS and line.prop in ("UID", "RECURRENCE-ID"):
            current[line.prop] = line.value
        elif line.name == "END" and line.value in ITEMS:
            uids[current.get("UID", ""), current.get("RECURRENCE-ID", "")] += 1
            current = {}
    return [f"UID {uid} {rid} used {n} times" for (uid, rid), n in uids.items() if n > 1]


def timezone_problems(lines: list[Line]) -> list[str]:
    defined = Counter(line.value for line in lines
                      if line.prop == "TZID" and line.path[-1] == "VTIMEZONE")
    used = {line.param("TZID") for line in lines if line.param("TZID")}
    used |= {line.value for line in lines if line.name == "X-WR-TIMEZONE"}
    problems = [f"TZID {tz} has no VTIMEZONE" for tz in used if tz and tz not in defined]
    problems += [f"VTIMEZONE {tz} appears {n} times" for tz, n in defined.items() if n > 1]
    in_zones = [line for line in lines if "VTIMEZONE" in line.path]
    if any(line.prop == "RDATE" for line in in_zones):
        problems.append("VTIMEZONE with RDATE lists instead of RRULEs")
    if defined and not any(line.prop == "RRULE" for line in in_zones):
        problems.append("VTIMEZONE without RRULE")
    return problems


def _date(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y%m%d").date()


def allday_problems(lines: list[Line], one_day: bool) -> list[str]:
    """All-day events are dates; in deadline feeds DTEND is exactly the day after DTSTART."""
    problems, start = [], None
    for line in lines:
        if line.path[-1:] != ("VEVENT",):
            continue
        if line.prop == "DTSTART":
            start = _date(line.value) if line.param("VALUE") == "DATE" else None
            problems += [] if start else [f"DTSTART {line.value} is not a date"]
        elif line.prop == "DTEND" and start:
            end = _date(line.value)
            ok = end == start + dt.timedelta(days=1) if one_day else end > start
            problems += [] if ok else [f"DTEND {end} after DTSTART {start}"]
    return problems


def alarm_problems(lines: list[Line]) -> list[str]:
    """Nothing but another VALARM may follow an END:VALARM inside an event or to-do."""
    problems = []
    for line, after in zip(lines, lines[1:], strict=False):
        closes_item = after.name == "END" and after.value in ITEMS
        if line.value == "VALARM" and line.name == "END" and not closes_item \
                and after.value != "VALARM":
            problems.append(f"{after.name}:{after.value} after END:VALARM")
    return problems


def byte_problems(body: bytes, one_day: bool = True) -> list[str]:
    """Every problem our own checks find (empty when the feed is right)."""
    parsed = read_lines(body)
    lines = parsed.lines
    return (physical_problems(body) + parsed.problems + calendar_problems(lines)
            + uid_problems(lines) + timezone_problems(lines) + allday_problems(lines, one_day)
            + alarm_problems(lines))


def node() -> str:
    found = shutil.which("node")
    assert found, "node is needed for the ical.js checks (ical.js is Thunderbird's parser)"
    if not (JS / "node_modules" / "ical.js").is_dir():  # `make test` installs it first
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=JS,
                       check=True, timeout=300)
    return found


def icaljs(paths: list[Path]) -> list[dict[str, Any]]:
    """What ical.js reads from each file (it exits non-zero on a parse error)."""
    proc = subprocess.run([node(), str(JS / "parse.mjs"), *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    result: list[dict[str, Any]] = json.loads(proc.stdout)
    return result


def parse_everywhere(body: bytes) -> tuple[icalendar.Calendar, Any]:
    """icalendar and vobject (validating) parse the feed; returns both results."""
    cal = icalendar.Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode("utf-8"), validate=True)
    return cal, vcal


def assert_valid(bodies: dict[Path, bytes], one_day: bool = True) -> list[dict[str, Any]]:
    """All checks on several feeds at once (one node process); returns ical.js's reading."""
    for path, body in bodies.items():
        assert byte_problems(body, one_day) == [], path
        cal, vcal = parse_everywhere(body)
        events = [c for c in cal.walk() if c.name in ITEMS]
        assert len(events) == len(getattr(vcal, "vevent_list", [])) + len(
            getattr(vcal, "vtodo_list", [])), path
        path.write_bytes(body)
    read = icaljs(list(bodies))
    for path, got in zip(bodies, read, strict=True):
        assert got["refresh"] == "PT1H" and got["ttl"] == "PT1H", path
    return read


# -- the checks themselves ----------------------------------------------------------------

GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nCALSCALE:GREGORIAN\r\n"
    "NAME:T\r\nX-WR-CALNAME:T\r\nX-WR-TIMEZONE:Europe/Oslo\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260320\r\n"
    "DTEND;VALUE=DATE:20260321\r\nSUMMARY:S\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
    "DESCRIPTION:D\r\nTRIGGER:-PT16H\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_correct_feed_passes_every_check() -> None:
    assert byte_problems(GOOD.encode()) == []
    parse_everywhere(GOOD.encode())


@pytest.mark.parametrize(("fault", "good", "bad"), [
    ("longer than 75", "SUMMARY:S\r\n", "SUMMARY:" + "s" * 70 + "\r\n"),
    ("bare CR or LF", "SUMMARY:S\r\n", "SUMMARY:S\n"),
    ("used 2 times", "END:VEVENT\r\nEND:VCALENDAR",
     "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a@x\r\nEND:VEVENT\r\nEND:VCALENDAR"),
    ("has no VTIMEZONE", "DTSTAMP:2026", "DTSTAMP;TZID=Europe/Stockholm:2026"),
    ("RDATE", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "RDATE:20261025T030000"),
    ("DTEND 2026-03-22", "DTEND;VALUE=DATE:20260321", "DTEND;VALUE=DATE:20260322"),
    ("is not a date", "DTSTART;VALUE=DATE:20260320", "DTSTART:20260320T000000Z"),
    ("after END:VALARM", "END:VALARM\r\nEND:VEVENT",
     "END:VALARM\r\nSTATUS:CONFIRMED\r\nEND:VEVENT"),
    ("REFRESH-INTERVAL;VALUE=DURATION appears 0", "REFRESH-INTERVAL;VALUE=DURATION:",
     "REFRESH-INTERVAL:"),
    ("X-WR-CALNAME appears 2", "X-WR-CALNAME:T\r\n", "X-WR-CALNAME:T\r\nX-WR-CALNAME:U\r\n"),
])
def test_each_check_catches_its_fault(fault: str, good: str, bad: str) -> None:
    assert good in GOOD
    problems = byte_problems(GOOD.replace(good, bad, 1).encode())
    assert any(fault in p for p in problems), problems


def test_icaljs_reads_a_correct_feed_and_rejects_a_broken_one(tmp_path: Path) -> None:
    good, broken = tmp_path / "good.ics", tmp_path / "broken.ics"
    good.write_bytes(GOOD.encode())
    broken.write_bytes(GOOD.replace("END:VCALENDAR", "").replace("BEGIN:VALARM", "VALARM")
                       .encode())
    read = icaljs([good])[0]
    assert read["items"][0]["start"] == {"value": "2026-03-20", "isDate": True}
    assert read["items"][0]["alarms"] == [{"trigger": "-PT16H", "related": "START"}]
    proc = subprocess.run([node(), str(JS / "parse.mjs"), str(broken)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 1 and "ical.js" in proc.stderr

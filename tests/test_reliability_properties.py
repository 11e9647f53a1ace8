"""Property: whatever a timeline file says, if `validate` accepts it, `apply`, `plan` and
`run --once` run to exit 0 (no "internal error", no traceback). Timeline files are drawn by
hypothesis from dates far and near, lags, statuses, owners known and unknown, policy
overrides at and beyond their bounds, dependencies and hostile titles; the commands are the
real CLI (in-process) on a real SQLite file and a real aiosmtpd."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from smtp_server import SmtpServer, smtp_server
from test_engine_support import TestProject

from scheduler.cli import main

NEAR = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))
EDGE = st.dates(min_value=dt.date(1899, 12, 25), max_value=dt.date(1900, 1, 5)) | st.dates(
    min_value=dt.date(2199, 12, 25), max_value=dt.date(2200, 1, 5))
DATES = NEAR | NEAR | EDGE | st.dates()  # mostly plannable, some at and beyond the bounds
OFFSETS = st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 30) | st.integers(3600, 5000),
                    st.sampled_from(["d", "wd"]))
POLICY = st.fixed_dictionaries({}, optional={
    "before_due": st.lists(OFFSETS, max_size=3),
    "overdue_every_days": st.integers(1, 4000),
    "overdue_max": st.integers(0, 150),
    "digest": st.sampled_from(["off", "weekly"]),
    "max_lateness": OFFSETS,
})
TITLES = st.text(min_size=1, max_size=30) | st.sampled_from(["Rød \x1b[31mALARM",
                                                              "=?UTF-8?Q?=0A?="])


@st.composite
def tasks(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 5))
    out = []
    for i in range(count):
        item: dict[str, Any] = {"id": f"t{i}", "title": draw(TITLES)}
        if draw(st.booleans()):
            item["due"] = draw(DATES)
        if draw(st.booleans()):  # mostly before the due date, sometimes anywhere
            before = item["due"] - dt.timedelta(days=draw(st.integers(0, 60))) \
                if "due" in item and item["due"] > dt.date(1900, 3, 1) else None
            item["start"] = draw(st.just(before) | DATES) if before else draw(DATES)
        if i and draw(st.booleans()):
            item["after"] = [f"t{draw(st.integers(0, i - 1))}"]
            days = draw(st.integers(0, 30) | st.integers(3640, 3660))
            item["lag"] = f"{days}d" if draw(st.booleans()) else f"{days // 7}w"
        if draw(st.booleans()):
            item["when"] = draw(st.sampled_from(["Haust 2099x", "våren 2027", "uke 12", "Q3"]))
        item["status"] = draw(st.sampled_from(["planned", "ongoing", "done", "cancelled"]))
        people = st.sampled_from(["ola", "anna", "radgiver", "ola", "anna", "radgiver", "nobody"])
        item["owners"] = draw(st.lists(people, max_size=2, unique=True))
        if draw(st.booleans()):
            item["policy"] = draw(POLICY)
        out.append(item)
    return out


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def cli(proj: TestProject, *args: str) -> int:
    return main(["-c", str(proj.config_path), *args])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=tasks(), policy=POLICY)
def test_what_validate_accepts_later_commands_handle(smtp: SmtpServer,
                                                     plan: list[dict[str, Any]],
                                                     policy: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        proj = TestProject(root / "p", f"sqlite:///{root / 'fv.db'}", smtp.port, policy=policy)
        proj.write_config()
        proj.write_timeline(plan)
        code = cli(proj, "validate")
        assert code in (0, 1)  # ok, or refused with a located message: never a crash
        valid = code == 0
        event("validate ok" if valid else "validate refused")
        if not valid:
            return
        assert cli(proj, "apply", "--now", "2026-05-01T08:00") == 0
        assert cli(proj, "plan", "--now", "2026-05-01T08:00") == 0
        assert cli(proj, "run", "--once", "--now", "2026-06-05T08:00") == 0

"""What `validate` passes, later commands can handle: out-of-range dates, huge lags and
counts, deep nesting and unusable addresses are refused up front with file, line and the
bound; control characters never reach the terminal; a database that cannot be used is
exit 5 with one line, and feeds answer 503 while it is down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from test_engine_support import PEOPLE, TestProject, cli
from test_feed_http import new_token, running

from notifiers.calendar.feed import Scope


def project(tmp_path: Path, **people: dict[str, str]) -> TestProject:
    proj = TestProject(tmp_path / "p", f"sqlite:///{tmp_path / 'fv.db'}",
                       people={**PEOPLE, **people})
    proj.write_config()
    return proj


def task(**extra: Any) -> dict[str, Any]:
    return {"id": "a", "title": "Oppgåve a", "owners": ["ola"], **extra}


@pytest.mark.parametrize(("field", "value", "says"), [
    ("due", dt.date(9999, 12, 31), "between 1900-01-01 and 2199-12-31"),
    ("start", dt.date(1066, 10, 14), "between 1900-01-01 and 2199-12-31"),
    ("lag", "99999999d", "at most 3650 days"),
    ("lag", "9999w", "at most 3650 days"),
    ("policy", {"overdue_max": 20000}, "100"),
    ("policy", {"before_due": ["99999999d"]}, "at most 3650 days"),
])
def test_validate_refuses_what_later_commands_cannot_plan(tmp_path: Path, field: str,
                                                          value: Any, says: str) -> None:
    proj = project(tmp_path)
    extra = {"after": ["b"]} if field == "lag" else {}
    proj.write_timeline([task(**{field: value, **extra}),
                         {"id": "b", "title": "B", "due": dt.date(2026, 6, 1)}])
    result = cli(proj, "validate", env={"FRISTVAKT_LANG": "en"})
    assert result.returncode == 1
    assert "plan.toml:" in result.stderr and f"task[1].{field}" in result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr


def test_validate_refuses_deep_nesting_with_the_file_name(tmp_path: Path) -> None:
    proj = project(tmp_path)
    deep = "[timeline]\nid = 'x'\ntitle = 'X'\n[[task]]\nid = 'a'\ntitle = 'A'\nnotes = " + \
        "[" * 3000 + "]" * 3000 + "\n"
    (proj.root / "timelines").mkdir(parents=True, exist_ok=True)
    (proj.root / "timelines" / "deep.toml").write_text(deep, encoding="utf-8")
    result = cli(proj, "validate", env={"FRISTVAKT_LANG": "en"})
    assert result.returncode == 1
    assert "deep.toml" in result.stderr and "nested too deeply" in result.stderr


@pytest.mark.parametrize("address", ["a@b.no;evil", "ola@", "ola example@x.no", "a@-b.no"])
def test_validate_refuses_an_address_no_server_takes(tmp_path: Path, address: str) -> None:
    proj = project(tmp_path, nils={"name": "Nils", "email": address})
    result = cli(proj, "validate", env={"FRISTVAKT_LANG": "en"})
    assert result.returncode == 1
    assert "owners.nils.email" in result.stderr and "not an email address" in result.stderr


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    proj = project(tmp_path)
    proj.policy = {"before_due": ["3d"]}
    proj.write_config()
    proj.write_timeline([task(title="Rød \x1b[31mALARM\x1b[0m\x07", due=dt.date(2026, 6, 8))])
    wide = {"COLUMNS": "300"}
    outputs = [cli(proj, "diff", env=wide), cli(proj, "apply", "--now", "2026-05-01T08:00")]
    outputs += [cli(proj, command, "--now", "2026-05-01T08:00", *more, env=wide)
                for command, *more in (("plan",), ("agenda", "--days", "60"))]
    for shown in outputs:
        assert shown.returncode == 0, shown.stderr
        assert "ALARM" in shown.stdout, shown.args
        assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout, shown.args


def test_a_read_only_database_is_exit_5_with_one_line(tmp_path: Path) -> None:
    proj = project(tmp_path)
    proj.write_timeline([task(due=dt.date(2026, 6, 8))])
    assert cli(proj, "apply", "--now", "2026-05-01T08:00").returncode == 0
    proj.db_url = f"sqlite:///file:{tmp_path / 'fv.db'}?mode=ro&uri=true"
    proj.write_config()
    proj.write_timeline([task(due=dt.date(2026, 6, 9))])
    result = cli(proj, "apply", "--now", "2026-05-02T08:00", env={"FRISTVAKT_LANG": "en"})
    assert result.returncode == 5, result.stderr
    assert "readonly" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_server_is_exit_5(tmp_path: Path) -> None:
    proj = project(tmp_path)
    proj.db_url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
    proj.write_config()
    result = cli(proj, "plan", env={"FRISTVAKT_LANG": "en"})
    assert result.returncode == 5 and "Traceback" not in result.stderr


def test_feeds_answer_503_while_the_database_is_down(project: Project, engine: Engine) -> None:
    token = new_token(project, engine, Scope(owner="anna"))
    with running(project, engine) as base:
        assert httpx.get(f"{base}/feeds/{token}.ics").status_code == 200
        with engine.begin() as conn:  # the database stops answering what feeds ask it
            conn.exec_driver_sql("DROP TABLE feedtoken")
        down = httpx.get(f"{base}/feeds/{token}.ics")
        assert down.status_code == 503 and down.headers["Retry-After"]
        assert "Traceback" not in down.text

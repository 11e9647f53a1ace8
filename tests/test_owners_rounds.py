"""Status rounds over two plans: one mail per owner, one reminder to the silent, a summary
naming them (acceptance 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Project
from smtp_server import SmtpServer
from sqlalchemy.engine import Engine
from test_owners_cli import answer, use_smtp
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    PLAN,
    secret_env,
    setup_plan,
)

from scheduler.answers import store

pytestmark = pytest.mark.usefixtures("secret_env")

SECOND = """\
[timeline]
id = "naering"
title = "Næringsplan"
lang = "nb"

[[task]]
id = "bedriftsbesok"
title = "Bedriftsbesøk i alle kommuner"
due = 2026-05-30
owners = ["ola"]

[[task]]
id = "ferdig-fra-for"
title = "Allerede gjort"
due = 2026-02-01
status = "done"
owners = ["anna"]
"""
ROUND = """
[[status_round]]
meeting = "Regionrådet"
date = 2026-04-20
plans = ["kommuneplan", "naering"]
days_ahead = 14
remind_days = 5
"""
ASK = "2026-04-06T08:00:00+02:00"
REMIND = "2026-04-15T08:00:00+02:00"


def two_plans(project: Project, smtp: SmtpServer) -> None:
    with project.config.open("a", encoding="utf-8") as handle:
        handle.write(ROUND)
    setup_plan(project, PLAN)
    (project.timelines / "naering.toml").write_text(SECOND, encoding="utf-8")
    assert project.run("apply", "--now", "2026-03-02T09:00:00+01:00").code == 0
    use_smtp(project, smtp)


def mails_to(smtp: SmtpServer) -> list[tuple[str, str]]:
    return [(m.parsed()["To"].addresses[0].addr_spec, str(m.parsed()["Subject"]))
            for m in smtp.messages]


def test_a_round_asks_once_reminds_the_silent_once_and_names_them(
        project: Project, engine: Engine, smtp: SmtpServer) -> None:
    two_plans(project, smtp)
    assert project.run("status-round", "--now", "2026-04-01T08:00:00+02:00").code == 0
    assert smtp.messages == []  # before the window
    first = project.run("status-round", "--now", ASK)
    assert first.code == 0, first.err
    asked = mails_to(smtp)
    assert sorted(to for to, _ in asked) == ["anna.svensson@example.se",
                                             "ola.nordmann@example.no"]
    ola_text = smtp.messages[[to for to, _ in asked].index("ola.nordmann@example.no")]
    body = ola_text.parsed().get_body(("plain",)).get_content()
    for title in ("Send innspill til planen", "Vedtak i kommunestyret",
                  "Bedriftsbesøk i alle kommuner"):
        assert title in body  # both plans in one mail
    assert body.count("Gi status: http") == 3 and "Kartlegging" not in body
    assert project.run("status-round", "--now", ASK).code == 0
    assert len(smtp.messages) == 2  # asked once, however often it runs
    answer(project, engine, "ola", "innspill", store.Choice("status", "on_track"), "f1",
           dt.datetime.fromisoformat("2026-04-08T10:00:00+02:00"))
    assert project.run("status-round", "--now", REMIND).code == 0
    assert project.run("status-round", "--now", REMIND).code == 0
    later = mails_to(smtp)[2:]
    assert [to for to, _ in later] == ["anna.svensson@example.se", "kari.koordinator@example.no"]
    assert "Påminnelse" in later[0][1]
    summary = smtp.messages[-1].parsed().get_body(("plain",)).get_content()
    assert "Anna Svensson" in summary and "Ola Nordmann" not in summary
    assert "1 uten svar" in later[1][1]


def test_without_the_secret_a_round_says_what_to_set(project: Project, engine: Engine,
                                                     smtp: SmtpServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    two_plans(project, smtp)
    monkeypatch.delenv("FRISTVAKT_FEED_SECRET")
    result = project.run("status-round", "--now", ASK)
    assert result.code == 1 and "FRISTVAKT_FEED_SECRET" in result.err
    assert smtp.messages == []

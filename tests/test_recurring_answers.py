"""An owner's "done" link on one occurrence of a recurring task closes that occurrence only,
and stays done through the next `apply`."""

from __future__ import annotations

import httpx
import pytest
from conftest import Project
from sqlalchemy.engine import Engine
from test_owners_support import (  # noqa: F401  (secret_env is a fixture)
    NOW,
    SECRET,
    TODAY,
    answers,
    config_of,
    running,
    secret_env,
    setup_plan,
    task_row,
    waiting_reminders,
    with_base,
)
from test_owners_web import form_token, post

from scheduler.answers.links import task_links
from scheduler.answers.signing import Signer
from timelines.occurrences import occurrence_named

pytestmark = pytest.mark.usefixtures("secret_env")

PLAN = """[timeline]
id = "kommuneplan"
title = "Årshjul"
lang = "nb"
ref_year = 2026
period = "2026-2028"

[[task]]
id = "arsmelding"
title = "Årsmelding"
when = "årlig innen 1. desember"
owners = ["ola"]
"""


def test_done_on_one_occurrence_stops_only_its_reminders(project: Project,
                                                         engine: Engine) -> None:
    setup_plan(project, PLAN)
    before = {r.occurrence for r in waiting_reminders(engine, "arsmelding")}
    assert before == {"2026", "2027", "2028"}
    config = config_of(project)
    url = task_links(config, Signer(SECRET), "ola", "kommuneplan", "arsmelding", TODAY,
                     "2027").done
    with running(project, engine) as base:
        page = httpx.get(with_base(url, base)).text
        done = post(with_base(url, base), form=form_token(page), kind="done", note="")
    assert done.status_code == 200
    [answer] = answers(engine)
    assert (answer.occurrence, answer.old_value, answer.new_value) == ("2027", "planned", "done")
    row = task_row(engine, "arsmelding")
    assert row.status == "planned"
    statuses = [occurrence_named(row, y) for y in ("2026", "2027", "2028")]
    assert [o.status if o else None for o in statuses] == ["planned", "done", "planned"]
    assert {r.occurrence for r in waiting_reminders(engine, "arsmelding")} == {"2026", "2028"}
    assert project.run("apply", "--now", NOW.isoformat()).code == 0  # the file says planned
    assert {r.occurrence for r in waiting_reminders(engine, "arsmelding")} == {"2026", "2028"}

"""`fristvakt init`: a working project folder with commented examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.textfiles import render_file
from timelines.base.exceptions import FristvaktError
from timelines.base.i18n import _


def _example_dates(today: dt.date) -> dict[str, object]:
    """Example deadlines a few weeks ahead, so a new project's agenda is not empty."""
    first = today + dt.timedelta(days=10)
    second = today + dt.timedelta(days=24)
    third = today + dt.timedelta(days=45)
    return {"year": today.year, "first": first.strftime("%d.%m.%Y"),
            "second": second.strftime("%d.%m.%Y"), "third": third.isoformat()}


def init_project(directory: Path, today: dt.date, lang: str = "en",
                 coordinator_lang: str | None = None) -> list[Path]:
    """Write fristvakt.toml and timelines/eksempel.toml, the example plan dated from `today`
    and `[coordinator] lang` set to `coordinator_lang` (default `lang`); refuses to overwrite
    (says so in `lang`)."""
    config = directory / "fristvakt.toml"
    example = directory / "timelines" / "eksempel.toml"
    for path in (config, example):
        if path.exists():
            raise FristvaktError(_(lang, "{path} already exists; nothing was changed", path=path))
    example.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(render_file("init/fristvakt.toml.j2",
                                       lang=coordinator_lang or lang), encoding="utf-8")
    example.write_text(render_file("init/example.toml.j2", **_example_dates(today)),
                       encoding="utf-8")
    return [config, example]

"""`fristvakt demo`: the seed plan replayed for a year into the local mail catcher."""

from __future__ import annotations

import mailbox
from collections import Counter
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.reports import word
from timelines.base.i18n import _


def test_demo_replays_the_year_into_the_catcher(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRISTVAKT_LANG", "sv")  # the demo is told in the language in force
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    box = mailbox.Maildir(folder / "maildir", create=False)
    keys = Counter(str(message["X-Fristvakt-Key"]) for message in box)
    sent = word("sv", "status", "sent")
    sent_lines = [line for line in out.splitlines() if f"  {sent} " in line]
    assert len(keys) == len(sent_lines) == len(box) > 10
    assert set(keys.values()) == {1}  # each reminder exactly once
    kinds = {key.split(":")[2].split("-")[0] for key in keys}
    assert {"due", "overdue", "moved"} <= kinds
    assert all(line[:4] in ("2020", "2021") for line in sent_lines)
    assert _("sv", "mail:     {path}  (one file per message; open them in any mail reader or text "
                   "editor)", path=folder / "maildir" / "new") in out
    command = f"fristvakt -c {folder / 'fristvakt.toml'} log"
    assert _("sv", "ledger:   {command}", command=command) in out
    # It runs the coordinator's real commands, and exports the owner's calendar feed.
    for command in ("import", "validate", "apply", "agenda", "run", "feeds export"):
        assert _("sv", "$ {command}", command=f"fristvakt {command}") in out
    feed = (folder / "feeds" / "owners" / "anna-omberg.ics").read_bytes()
    assert feed.count(b"BEGIN:VEVENT") == 12
    # The ledger the demo left behind is readable with the ordinary commands.
    assert main(["-c", str(folder / "fristvakt.toml"), "log", "--json"]) == 0
    assert capsys.readouterr().out.count('"outcome": "sent"') == len(keys)

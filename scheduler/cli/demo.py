"""`fristvakt demo`: the påverkansagenda plan (seed 002) imported, validated, applied and
replayed from 2020-04-01 to 2021-03-31 in simulated time into a local mail catcher, then its
calendar feeds exported. It runs the real commands, so what it shows is what a coordinator gets.
Nothing leaves the machine: SQLite in the demo folder, aiosmtpd on a free loopback port, mail
into a Maildir.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from scheduler.clock import ManualClock
from scheduler.reports import KINDS, PASS_STATUSES, padded, word
from scheduler.runner import EngineOptions, Outcome, ReminderEngine
from timelines.base.i18n import _, _n
from timelines.base.lang import config_file_lang, ui_lang
from timelines.config import Config, load_config
from timelines.db import open_database

SEED = Path(__file__).resolve().parents[2] / "examples" / "plans" / "002_2ac5663333b02752.txt"
ZONE = ZoneInfo("Europe/Stockholm")
START = dt.datetime(2020, 4, 1, 7, 0, tzinfo=ZONE)
END = dt.datetime(2021, 3, 31, 23, 59, tzinfo=ZONE)
# Halfway through, the coordinator moves a deadline: the owner hears about it once.
MOVE_AT = dt.datetime(2020, 9, 1, 10, 0, tzinfo=ZONE)
MOVE = ('when = "2020-10-05 och 2020-10-29"', 'when = "2020-10-05 och 2020-11-12"')

CONFIG = """\
# The demo's settings: example people, Swedish holidays, the local mail catcher.
timezone = "Europe/Stockholm"
lang = "sv"
database_url = "sqlite:///demo.db"
timelines = "timelines"

[coordinator]                # no `lang`: the demo speaks the newcomer's locale (or FRISTVAKT_LANG)
name = "Erik Samordnare"
email = "erik.samordnare@example.se"

[smtp]
host = "127.0.0.1"
port = {port}
sender = "Fristvakt <fristvakt@example.se>"
timeout = 10

[policy]
before_due = ["14d", "3wd"]
overdue_every_days = 7
overdue_max = 1
holidays = "SE"
closed_days = ["12-24", "12-31", "06-19"]

[owners.anna-omberg]
name = "Anna Omberg"
email = "anna.omberg@example.se"
lang = "sv"
timezone = "Europe/Stockholm"
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_project(root: Path, port: int) -> Path:
    (root / "timelines").mkdir(parents=True, exist_ok=True)
    config = root / "fristvakt.toml"
    config.write_text(CONFIG.format(port=port), encoding="utf-8")
    return config


def _cli(config_path: Path, *args: str) -> None:
    """One real `fristvakt` command, in this process (errors propagate to the caller)."""
    from scheduler.cli import app

    app(args=["-c", str(config_path), *args], standalone_mode=False, prog_name="fristvakt")


def _step(console: Console, lang: str, command: str) -> None:
    _say(console, "\n" + _(lang, "$ {command}", command=command))


def _prepare(config_path: Path, console: Console, lang: str) -> None:
    """import → validate → apply → agenda, as a coordinator would type them."""
    steps = [("import", str(SEED), "--lang", "sv", "--year", "2020"), ("validate",),
             ("apply", "--now", START.isoformat()),
             ("agenda", "--now", START.isoformat(), "--days", "45")]
    for args in steps:
        _step(console, lang, f"fristvakt {args[0]}")
        _cli(config_path, *args)


def _apply(config_path: Path, now: dt.datetime) -> Config:
    _cli(config_path, "apply", "--now", now.isoformat())
    return load_config(config_path)


def _move_a_deadline(root: Path) -> bool:
    for path in (root / "timelines").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if MOVE[0] in text:
            path.write_text(text.replace(*MOVE), encoding="utf-8")
            return True
    return False


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


def outcome_line(lang: str, moment: dt.datetime, o: Outcome) -> str:
    """One replayed send: the simulated time, status and kind in `lang`, task, recipient."""
    day = moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    return (f"{day}  {padded(lang, 'status', PASS_STATUSES, o.status)} "
            f"{padded(lang, 'kind', KINDS, o.kind)} {o.title[:60]!r} → {o.email}")


async def _replay(engine: ReminderEngine, clock: ManualClock, until: dt.datetime,
                  console: Console, lang: str) -> list[Outcome]:
    """Jump from one due instant to the next, running a pass at each (simulated time)."""
    outcomes: list[Outcome] = []
    while (moment := engine.next_due()) is not None and moment <= until:
        clock.set(max(moment, clock.now()))
        for o in (await engine.run_pass()).outcomes:
            outcomes.append(o)
            _say(console, outcome_line(lang, clock.now(), o))
    return outcomes


def run_demo(directory: str | None, console: Console) -> None:
    """The demo, told in the language its commands speak (the CLI rule, applied to the demo's
    own config); the mail itself is in the Swedish owner's language."""
    from notifiers.email.catcher import start_catcher

    root = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="fristvakt-demo-"))
    port = _free_port()
    config_path = _write_project(root, port)
    lang = ui_lang(os.environ, config_file_lang(config_path))
    maildir = root / "maildir"
    catcher = start_catcher("127.0.0.1", port, maildir, lambda _line: None, lang)
    try:
        outcomes = _run(config_path, root, console, lang)
    finally:
        catcher.stop()
    _summary(outcomes, lang, root, maildir, config_path, console)


def _run(config_path: Path, root: Path, console: Console, lang: str) -> list[Outcome]:
    _prepare(config_path, console, lang)
    config = load_config(config_path)
    _step(console, lang, "fristvakt run")
    _say(console, _(lang,
                    "replaying {start} .. {end} in simulated time into the local mail catcher",
                    seed=SEED.name, start=START.strftime("%Y-%m-%d"),
                    end=END.strftime("%Y-%m-%d")))
    clock = ManualClock(START.astimezone(dt.UTC))
    db = open_database(config.resolved_database_url())
    engine = ReminderEngine(db, config, clock, options=EngineOptions(worker="demo"))
    outcomes = asyncio.run(_replay(engine, clock, MOVE_AT, console, lang))
    if _move_a_deadline(root):
        _say(console, _(lang, "{time}  the coordinator moves a deadline to {date} and runs "
                              "`fristvakt apply`", time=MOVE_AT.strftime("%Y-%m-%d %H:%M"),
                        date="2020-11-12"))
        engine.use_config(_apply(config_path, MOVE_AT))
        clock.set(MOVE_AT.astimezone(dt.UTC))
    outcomes += asyncio.run(_replay(engine, clock, END, console, lang))
    db.dispose()
    _step(console, lang, "fristvakt feeds export")
    _cli(config_path, "feeds", "export", str(root / "feeds"), "--now", END.isoformat(),
         "--public")  # a local demo: per-owner files to open, no links to guard
    return outcomes


def _summary(outcomes: list[Outcome], lang: str, root: Path, maildir: Path,
             config_path: Path, console: Console) -> None:
    sent = [o for o in outcomes if o.status == "sent"]
    kinds = ", ".join(word(lang, "kind", kind) for kind in sorted({o.kind for o in sent}))
    _say(console, "\n" + _n(lang, "{n} message sent ({kinds}); other outcomes: {other}",
                            "{n} messages sent ({kinds}); other outcomes: {other}", len(sent),
                            kinds=kinds, other=len(outcomes) - len(sent)))
    _say(console, _(lang, "project:  {path}", path=root))
    _say(console, _(lang, "mail:     {path}  (one file per message; open them in any mail reader "
                          "or text editor)", path=maildir / "new"))
    _say(console, _(lang, "calendar: {path}  (one .ics file per owner; subscribe to them, or run "
                          "`fristvakt serve`)", path=root / "feeds" / "owners"))
    ledger = f"fristvakt -c {config_path} log"
    _say(console, _(lang, "ledger:   {command}", command=ledger))

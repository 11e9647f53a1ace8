"""README's five-minute tour, run as written, in a folder outside the clone: it ends with mails
in the catcher and a calendar feed a subscriber can fetch.

The commands are the README's own shell blocks, run by bash. Three lines are changed, and the
test fails if any of them is no longer in the README: the install (the suite runs in the
installed venv already) and the two servers, which listen on free ports instead of the fixed
8025 and 8080 other tests and programs on this machine may hold, and write to log files so the
script's output ends with the script.
"""

from __future__ import annotations

import mailbox
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from email.utils import parseaddr
from pathlib import Path

from conftest import PLANS, ROOT
from smtp_server import free_port

README = ROOT / "README.md"
BIN = Path(sys.executable).parent
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -e ."
ACTIVATE = ". .venv/bin/activate"
CATCHER = "fristvakt mailcatcher &"
FEEDS = "fristvakt feeds serve &"
WAIT = "until (echo > /dev/tcp/127.0.0.1/{port}) 2>/dev/null; do sleep 0.2; done"


def tour_lines() -> list[str]:
    """Every line of the shell blocks in the README's tour section, comments stripped."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines()]


def _command(line: str) -> str:
    """The command of a line; `#` starts a comment only outside a heredoc's TOML."""
    return re.sub(r"\s+#\s.*$", "", line).rstrip() if line.startswith("fristvakt") else line


def tour_script(smtp: int, http: int) -> str:
    """The tour as a bash script, the install skipped and the servers on free ports."""
    lines = [_command(line) for line in tour_lines()]
    for fixed in (INSTALL, ACTIVATE, CATCHER, FEEDS):
        assert any(line.startswith(fixed) for line in lines), f"README lost {fixed!r}"
    script = []
    for line in lines:
        if line.startswith((INSTALL, ACTIVATE)):
            continue
        if line == CATCHER:
            line = f"fristvakt mailcatcher --port {smtp} >catcher.log 2>&1 &\n" + WAIT.format(
                port=smtp)
        if line == FEEDS:
            line = f"fristvakt feeds serve >feeds.log 2>&1 &\n{WAIT.format(port=http)}"
        script.append(line)
        if line.startswith("cd mitt-prosjekt"):  # where the config's fixed ports are set
            script.append(f"sed -i -e 's/^port = 8025/port = {smtp}/' "
                          f"-e 's#^base_url = .*#base_url = \"http://127.0.0.1:{http}\"#' "
                          "fristvakt.toml")
    return "set -euo pipefail\n" + "\n".join(script) + "\n"


def test_the_readme_tour_ends_with_mails_and_a_subscribed_feed(tmp_path: Path) -> None:
    clone = tmp_path / "clone"  # stands in for the clone: the tour starts there, then leaves
    (clone / "examples").mkdir(parents=True)
    (clone / "examples" / "plans").symlink_to(PLANS)
    smtp, http = free_port(), free_port()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "LANG": "C.UTF-8"}
    env.pop("FRISTVAKT_FEED_SECRET", None)
    proc = subprocess.Popen(["bash", "-c", tour_script(smtp, http)], cwd=clone, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, out + err
        project = tmp_path / "mitt-prosjekt"
        _check_outputs(out, project)
        _check_feed(out)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the catcher and the feed server it started


def _check_outputs(out: str, project: Path) -> None:
    assert "every date lies in the past" in out and "apply --now 2020-03-08T08:00" in out
    assert re.search(r"\d+ reminders planned, next on 2020-04-08 08:00", out), out
    assert "2 sent, 0 expired, 2 handled" in out
    assert not (ROOT / "mitt-prosjekt").exists()
    mails = list(mailbox.Maildir(project / "maildir"))
    assert len(mails) == 2
    assert {parseaddr(str(m["To"]))[1] for m in mails} == {"anna.omberg@example.se"}


def _check_feed(out: str) -> None:
    link = re.search(r"http://127\.0\.0\.1:\d+/\S+\.ics", out)
    assert link, out
    body = _fetch(link.group(0))
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") >= 10  # the imported plan's tasks are Anna's


def _fetch(url: str) -> str:
    """The feed, once the server has started answering."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)

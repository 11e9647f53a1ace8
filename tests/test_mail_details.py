"""What a reader of a reminder sees: the plan's words only "read as" a date when the date came
from them, a subscribe button that subscribes, a link that fits a phone, and no "also
responsible" that means the reader."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

import pytest

from notifiers.base import Notice, Recipient, TaskView
from notifiers.email.render import Contact, MailRenderer
from notifiers.email.samples import sample_notice
from scheduler.notices import task_view
from scheduler.recipients import recipient
from timelines.config import Config
from timelines.model import Task, Timeline

NOW = datetime(2020, 10, 1, 7, tzinfo=UTC)
RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari", "kari@example.no"))
AGENDA = Timeline(id="agenda", title="Påverkansagenda", lang="sv", ref_year=2020)
WHEN = "2020-10-05 och 2020-10-29"
TOKEN_URL = "https://fristvakt.example.no/feeds/q8Zr3JkX0aP9vLwT2mYc6eHb1sNd4uFg7iKo5tQx.ics"
CONFIG = Config.model_validate({
    "owners": {"anna": {"name": "Anna Omberg", "email": "anna@example.se", "lang": "sv"},
               "bo": {"name": "Bo Berg", "email": "bo@example.se", "lang": "sv"}},
    "roles": {"radgivare": {"label": "Regionrådgivare", "members": ["anna"]}},
})


def parts(notice: Notice) -> tuple[str, str]:
    data = RENDERER.render(notice, NOW).data
    message = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(data))
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return content(text), content(html)


def content(part: object) -> str:
    # The parts travel with CRLF line ends (canonical form); compare as text.
    return str(cast(EmailMessage, part).get_content()).replace("\r\n", "\n")


def view(owners: list[str], **dates: date) -> TaskView:
    """A task row as `apply` stores it, seen through the engine's own task_view."""
    task = Task(timeline_id="agenda", key="remiss", title="Remissvar", section="Aktiviteter",
                when_text=WHEN, owners=owners, **dates)
    return task_view(CONFIG, task, AGENDA)


def notice(kind: str, task: TaskView, to: Recipient, **extra: object) -> Notice:
    return Notice(kind, to, (task,), f"test:{kind}", date(2020, 10, 1),  # type: ignore[arg-type]
                  **extra)  # type: ignore[arg-type]


def test_a_moved_mail_says_read_as_only_when_the_date_came_from_the_plans_words() -> None:
    anna = recipient(CONFIG, "anna")
    moved = (date(2020, 10, 5), date(2020, 10, 29))
    explicit = view(["anna"], start=date(2020, 10, 5), due=date(2020, 11, 12))  # `due` set
    text, html = parts(notice("moved", explicit, anna, moved=moved))
    assert f"I planen: ”{WHEN}”\n" in text and "tolkat som" not in text + html
    assert "torsdag 12 november 2020" in text  # the new date itself is there
    read = view(["anna"], start=date(2020, 10, 5), due=date(2020, 10, 29))  # from `when`
    text, _ = parts(notice("due", read, anna))
    assert f"I planen: ”{WHEN}”, tolkat som torsdag 29 oktober 2020" in text


def test_also_responsible_leaves_out_a_role_whose_only_member_is_the_reader() -> None:
    task = view(["radgivare", "bo"], due=date(2020, 10, 29))
    text, html = parts(notice("due", task, recipient(CONFIG, "anna")))
    assert "Också ansvariga: Bo Berg\n" in text and "Regionrådgivare" not in text + html
    text, _ = parts(notice("due", task, recipient(CONFIG, "bo")))
    assert "Också ansvariga: Regionrådgivare\n" in text  # Bo is told who else


class Links(HTMLParser):
    """Every link target, and the style of the element each piece of text stands in."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.styles: list[str] = []
        self.text_styles: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self.hrefs.append(found.get("href") or "")
        if tag not in ("br", "meta"):
            self.styles.append(found.get("style") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("br", "meta") and self.styles:
            self.styles.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text_styles[data.strip()] = ";".join(self.styles)


def links(html: str) -> Links:
    found = Links()
    found.feed(html)
    return found


def test_the_subscribe_button_is_webcal_and_the_https_address_is_text() -> None:
    text, html = parts(replace(sample_notice("due", "nb"), feed_url=TOKEN_URL))
    found = links(html)
    assert "webcal://fristvakt.example.no/feeds/q8Zr3JkX0aP9vLwT2mYc6eHb1sNd4uFg7iKo5tQx.ics" \
        in found.hrefs
    assert all(not href.startswith("http") for href in found.hrefs)  # a click subscribes
    assert TOKEN_URL in found.text_styles and TOKEN_URL in text


def test_the_token_address_may_break_anywhere() -> None:
    _, html = parts(replace(sample_notice("due", "nb"), feed_url=TOKEN_URL))
    style = links(html).text_styles[TOKEN_URL].replace(" ", "")
    assert "word-break:break-all" in style and "overflow-wrap:anywhere" in style


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless Chromium's window is at least 500 px wide: the mail goes into a 390 px frame, and
# the frame's scroll width (what the mail needs) is written where --dump-dom shows it.
PHONE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="mail" width="390" height="844" style="border:0" srcdoc="{mail}"></iframe>
<script>const frame = document.getElementById("mail");
frame.onload = () => document.body.setAttribute("data-width",
  frame.contentDocument.documentElement.scrollWidth);</script></body></html>"""


def needed_width(html: str, folder: Path) -> int:
    page = folder / "phone.html"
    page.write_text(PHONE.replace("{mail}", escape(html)), encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={folder / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=False)
    assert 'data-width="' in done.stdout, done.stderr[-2000:]
    return int(done.stdout.split('data-width="', 1)[1].split('"', 1)[0])


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
@pytest.mark.parametrize("lang", ["nb", "sv"])
def test_on_a_390_px_phone_nothing_is_wider_than_the_screen(lang: str, tmp_path: Path) -> None:
    _, html = parts(replace(sample_notice("due", lang), feed_url=TOKEN_URL))
    assert needed_width(html, tmp_path) <= 390
    # The measurement can fail: the same mail with the address unbreakable is wider.
    unbroken = html.replace("word-break: break-all", "word-break: keep-all").replace(
        "overflow-wrap: anywhere", "overflow-wrap: normal")
    assert needed_width(unbroken, tmp_path) > 390

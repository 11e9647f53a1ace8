"""Benchmark: 1,000 reminders over one SMTP connection, ours vs a bare aiosmtplib loop.

Run as `.venv/bin/python bench/mail.py [--count N]`. A local aiosmtpd (Sink handler) runs in
a separate process. The floor sends the same messages, rendered beforehand, with
`aiosmtplib.SMTP.sendmail` in a bare loop; ours renders each notice and sends it through
`EmailNotifier.send`. The two take turns every 10 messages, each on its own connection, so
that other load on a shared machine hits both alike; after a warm-up, three such rounds run
and the round with the median ratio is printed (both rates and their ratio). The caches of
formatted dates are emptied before each round: pre-rendering the floor's messages must not
leave ours with nothing left to compute. Exits 1 when the ratio is below 0.7.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _local import sink_server  # noqa: E402

from notifiers.base import NOTICE_KINDS, Notice, NoticeKind  # noqa: E402
from notifiers.email import EmailNotifier, SmtpSettings  # noqa: E402
from notifiers.email.render import Contact, MailRenderer, RenderedMail  # noqa: E402
from notifiers.email.samples import sample_notice  # noqa: E402
from notifiers.email.view import dated  # noqa: E402
from notifiers.i18n import LANGS, format_date, format_distance  # noqa: E402

TARGET = 0.7
ROUNDS = 3
RENDERER = MailRenderer("Fristvakt <fristvakt@example.no>", Contact("Kari", "kari@example.no"))
NOW = datetime(2022, 11, 16, 7, tzinfo=UTC)


def notices(count: int) -> list[Notice]:
    """A realistic mix: mostly deadline reminders, every kind and language, and a different
    task (title, deadline) in each, so that nothing is rendered from a warm cache."""
    due: list[NoticeKind] = ["due"] * 6
    kinds = due + list(NOTICE_KINDS)
    batch = []
    for i in range(count):
        notice = sample_notice(kinds[i % len(kinds)], LANGS[i % len(LANGS)])
        tasks = tuple(replace(task, title=f"{task.title} ({i})", task_id=f"{task.task_id}-{i}",
                              due=task.due and task.due + timedelta(days=i % 365))
                      for task in notice.tasks)
        batch.append(replace(notice, tasks=tasks, idem_key=f"bench:{i}"))
    return batch


Timer = dict[str, float]


async def floor_chunk(smtp: aiosmtplib.SMTP, mails: list[RenderedMail], spent: Timer) -> None:
    """The floor: aiosmtplib alone sending pre-rendered messages in a bare loop."""
    started = time.perf_counter()
    for mail in mails:
        await smtp.sendmail(mail.sender, list(mail.recipients), mail.data)
    spent["floor"] += time.perf_counter() - started


async def ours_chunk(notifier: EmailNotifier, batch: list[Notice], spent: Timer) -> None:
    """Ours: EmailNotifier rendering and sending each notice."""
    started = time.perf_counter()
    for notice in batch:
        await notifier.send(notice)
    spent["ours"] += time.perf_counter() - started


async def measure(port: int, batch: list[Notice], mails: list[RenderedMail],
                  chunk: int) -> Timer:
    """Both loops over one connection each, taking turns chunk by chunk, so that the load
    of a shared machine falls on both alike."""
    spent = {"floor": 0.0, "ours": 0.0}
    bare = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await bare.connect()
    notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=port), RENDERER, lambda: NOW)
    async with notifier:
        for turn, start in enumerate(range(0, len(batch), chunk)):
            part = slice(start, start + chunk)
            runs = [floor_chunk(bare, mails[part], spent), ours_chunk(notifier, batch[part], spent)]
            for run in runs[:: 1 if turn % 2 else -1]:
                await run
    await bare.quit()
    return spent


def forget_values() -> None:
    """Empty the caches of formatted values (dates, distances), keep compiled templates:
    a long-running sender has the latter warm, the former only for dates it has seen."""
    for cached in (format_date, format_distance, dated):
        cached.cache_clear()


def rounds(port: int, batch: list[Notice], mails: list[RenderedMail]) -> list[Timer]:
    asyncio.run(measure(port, batch[:100], mails[:100], 10))  # warm up both paths
    spent = []
    for _ in range(ROUNDS):
        forget_values()
        spent.append(asyncio.run(measure(port, batch, mails, 10)))
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    batch = notices(count)
    mails = [RENDERER.render(notice, NOW) for notice in batch]
    with sink_server() as port:
        spent = rounds(port, batch, mails)
    ratios = [s["floor"] / s["ours"] for s in spent]
    median = spent[ratios.index(statistics.median_low(ratios))]
    bare, mine = count / median["floor"], count / median["ours"]
    ratio = mine / bare
    print(f"aiosmtplib bare loop (pre-rendered): {bare:8.0f} messages/s")
    print(f"fristvakt (render + send):           {mine:8.0f} messages/s")
    print(f"ratio {ratio:.2f} (target >= {TARGET}): {'met' if ratio >= TARGET else 'NOT met'}"
          f"   (median of {ROUNDS} rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

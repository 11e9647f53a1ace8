"""Benchmark: reminders rendered and sent per second over one SMTP connection.

Run as `.venv/bin/python bench/mail.py [--count N]` (default 1,000 messages). A local aiosmtpd
(Sink handler) runs in its own process; `EmailNotifier.prepare` renders each notice (templates,
the .ics attachment, the message) while the one before it is delivered, as the reminder pass
does (`runner.ReminderEngine._deliver`: one message in flight). After a warm-up, three rounds
run, each with the caches of formatted dates emptied first, and the median rate is printed.

Target: at least 100 messages/s on the project's 2-core test machine; exits 1 below it. That
is far above what a user can meet (a relay takes about 30 messages a minute from one
account): the target guards against rendering getting orders of magnitude slower.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _local import sink_server  # noqa: E402

from notifiers.base import NOTICE_KINDS, Notice, NoticeKind  # noqa: E402
from notifiers.email import EmailNotifier, SmtpSettings  # noqa: E402
from notifiers.email.render import Contact, MailRenderer  # noqa: E402
from notifiers.email.samples import sample_notice  # noqa: E402
from notifiers.email.view import dated  # noqa: E402
from timelines.base.i18n import LANGS, format_date, format_distance  # noqa: E402

TARGET = 100.0  # messages per second
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


async def send_all(port: int, batch: list[Notice]) -> tuple[float, float]:
    """Seconds to render and send the batch over one connection: wall clock, and the CPU
    time of this process (which shows how much of the wall clock other load took)."""
    notifier = EmailNotifier(SmtpSettings(host="127.0.0.1", port=port), RENDERER, lambda: NOW)
    async with notifier:
        started, cpu = time.perf_counter(), time.process_time()
        mail = await notifier.prepare(batch[0])
        for following in [*batch[1:], None]:
            delivery = asyncio.ensure_future(notifier.deliver(mail))
            if following is not None:
                mail = await notifier.prepare(following)
            await delivery
        return time.perf_counter() - started, time.process_time() - cpu


def forget_values() -> None:
    """Empty the caches of formatted values (dates, distances), keep compiled templates:
    a long-running sender has the latter warm, the former only for dates it has seen."""
    for cached in (format_date, format_distance, dated):
        cached.cache_clear()


def rounds(port: int, batch: list[Notice]) -> list[tuple[float, float]]:
    """(messages/s, CPU ms per message) of each round."""
    asyncio.run(send_all(port, batch[:100]))  # warm up: templates compiled, connection path
    found = []
    for _ in range(ROUNDS):
        forget_values()
        wall, cpu = asyncio.run(send_all(port, batch))
        found.append((len(batch) / wall, cpu * 1000 / len(batch)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    batch = notices(parser.parse_args().count)
    with sink_server() as port:
        found = rounds(port, batch)
    rate = statistics.median(r for r, _ in found)
    met = rate >= TARGET
    print(f"fristvakt (render + send): {rate:6.0f} messages/s (target >= {TARGET:.0f}): "
          f"{'met' if met else 'NOT met'}   (rounds: {', '.join(f'{r:.0f}' for r, _ in found)})")
    cpu = statistics.median(c for _, c in found)
    print(f"CPU of this process: {cpu:.1f} ms per message; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())

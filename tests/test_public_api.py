"""The public API other code (and other tools) may rely on: a change here is a decision."""

from __future__ import annotations

import importlib
import inspect

import pytest

PUBLIC = {
    "timelines.dates": ["DateSpan", "SpanKind", "parse_span", "recurs_until"],
    "timelines.importer": [
        "Attention", "ImportResult", "ImportedTask", "ImportedTimeline", "YearChoice",
        "import_document",
        "import_sheets",
    ],
    "notifiers.base": [
        "NOTICE_KINDS", "AmbiguousDeliveryError", "FailureLine", "Notice", "NoticeKind",
        "Notifier", "PermanentDeliveryError", "PermanentTransportError", "Recipient",
        "SendResult", "TaskView", "TransientDeliveryError", "TransientTransportError",
        "TransportDeliveryError",
    ],
    "notifiers.email": ["EmailNotifier", "SmtpSettings"],
    "notifiers.calendar.feed": ["Feed", "ComponentKind", "Scope", "build_feed"],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_names_are_pinned(module: str) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(PUBLIC[module])
    assert all(hasattr(loaded, name) for name in loaded.__all__)


def test_parse_span_signature_is_the_documented_one() -> None:
    from timelines.dates import parse_span

    params = inspect.signature(parse_span).parameters
    assert list(params) == ["text", "lang", "ref_year"]
    assert params["lang"].kind is params["ref_year"].kind is inspect.Parameter.KEYWORD_ONLY


def test_delivery_errors_tell_transient_permanent_and_ambiguous_apart() -> None:
    from notifiers import base
    from timelines.base.exceptions import DeliveryError

    kinds = (base.TransientDeliveryError, base.PermanentDeliveryError,
             base.AmbiguousDeliveryError)
    assert all(issubclass(kind, DeliveryError) for kind in kinds)
    assert len({kind.__mro__[0] for kind in kinds}) == 3
    assert not any(issubclass(a, b) for a in kinds for b in kinds if a is not b)

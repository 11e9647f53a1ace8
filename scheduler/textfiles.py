"""Plain-file templates (init files); mail templates live with the email notifier."""

from __future__ import annotations

from functools import cache

import jinja2

import templates


@cache
def _env() -> jinja2.Environment:
    # Not HTML, so no autoescape; StrictUndefined so a missing value is an error, not "".
    return jinja2.Environment(
        loader=jinja2.PackageLoader(templates.__name__, ""),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def render_file(name: str, **values: object) -> str:
    return _env().get_template(name).render(**values)

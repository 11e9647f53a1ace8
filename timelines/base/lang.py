"""Which language the coordinator reads: the one rule, decided here and nowhere else.

`FRISTVAKT_LANG` if set (and one of nb, nn, sv, en), else `coordinator.lang` when the config
file sets it, else the `LC_ALL`/`LANG` locale when it names nb, nn, no or sv, else en.
Everything that builds a message takes the language as a parameter; only the command line
calls `ui_lang`.

>>> ui_lang({"FRISTVAKT_LANG": "sv", "LANG": "nb_NO.UTF-8"}, "nn")
'sv'
>>> ui_lang({"LANG": "nb_NO.UTF-8"}, "nn")
'nn'
>>> ui_lang({"LC_ALL": "no_NO.UTF-8", "LANG": "sv_SE.UTF-8"})
'nb'
>>> ui_lang({"LANG": "C.UTF-8"})
'en'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli  # the config's own parser (timelines/tomlfile.py): tomllib's, compiled

from timelines.base.i18n import pick_lang
from timelines.base.textfile import read_toml_text

LANG_ENV = "FRISTVAKT_LANG"
_LOCALE_LANGS = {"nb": "nb", "no": "nb", "nn": "nn", "sv": "sv"}


def locale_lang(env: Mapping[str, str]) -> str | None:
    """nb, nn or sv when the locale in force (LC_ALL, else LANG) names one of them."""
    raw = env.get("LC_ALL") or env.get("LANG") or ""
    code = raw.split(".")[0].split("@")[0].split("_")[0].lower()
    return _LOCALE_LANGS.get(code)


def ui_lang(env: Mapping[str, str], config_lang: str | None = None) -> str:
    """The language of everything the command line shows (the rule above)."""
    return pick_lang(env.get(LANG_ENV), config_lang, locale_lang(env))


def coordinator_lang(data: Mapping[str, Any] | None) -> str | None:
    """`coordinator.lang` as written in a config's raw data, if it is written there."""
    section = data.get("coordinator") if data else None
    value = section.get("lang") if isinstance(section, Mapping) else None
    return value if isinstance(value, str) else None


def config_file_lang(path: Path) -> str | None:
    """`coordinator.lang` of a config file, or None when it is missing or unreadable (the
    problems themselves are reported when the config is loaded)."""
    try:
        return coordinator_lang(tomli.loads(read_toml_text(path)))
    except (OSError, ValueError):  # NotUtf8 and TOMLDecodeError are ValueErrors
        return None


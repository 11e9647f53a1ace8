"""Global CLI options shared by every command (set by the root callback)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from timelines.base.lang import config_file_lang, ui_lang

CONFIG_NAME = "fristvakt.toml"
CONFIG_ENV = "FRISTVAKT_CONFIG"


def find_config(start: Path, env: Mapping[str, str]) -> Path:
    """fristvakt.toml in `start` or the nearest parent that has one (as git finds `.git`),
    else `$FRISTVAKT_CONFIG`, else `start`'s own (which the caller reports missing)."""
    for folder in (start, *start.resolve().parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else Path(CONFIG_NAME)


@dataclass
class CliState:
    config_path: str | None = None
    debug: bool = False
    chosen_lang: str | None = None

    def config_file(self) -> Path:
        """The config file: -c, else the one `find_config` finds from the current folder."""
        if self.config_path:
            return Path(self.config_path)
        return find_config(Path("."), os.environ)

    def lang(self) -> str:
        """The language of this run's output (timelines/base/lang.py says how it is chosen)."""
        if self.chosen_lang is None:
            self.chosen_lang = ui_lang(os.environ, config_file_lang(self.config_file()))
        return self.chosen_lang


state = CliState()

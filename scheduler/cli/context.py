"""Global CLI options shared by every command (set by the root callback)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from timelines.lang import config_file_lang, ui_lang


@dataclass
class CliState:
    config_path: str | None = None
    debug: bool = False
    chosen_lang: str | None = None

    def config_file(self) -> Path:
        """The config file: -c, then $FRISTVAKT_CONFIG, then ./fristvakt.toml."""
        raw = self.config_path or os.environ.get("FRISTVAKT_CONFIG") or "fristvakt.toml"
        return Path(raw)

    def lang(self) -> str:
        """The language of this run's output (timelines/lang.py says how it is chosen)."""
        if self.chosen_lang is None:
            self.chosen_lang = ui_lang(os.environ, config_file_lang(self.config_file()))
        return self.chosen_lang


state = CliState()

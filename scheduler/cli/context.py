"""Global CLI options shared by every command (set by the root callback)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CliState:
    config_path: str | None = None
    debug: bool = False

    def config_file(self) -> Path:
        """The config file: -c, then $FRISTVAKT_CONFIG, then ./fristvakt.toml."""
        raw = self.config_path or os.environ.get("FRISTVAKT_CONFIG") or "fristvakt.toml"
        return Path(raw)


state = CliState()

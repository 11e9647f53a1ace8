"""The package build compiles the catalogs: each `<lang>/LC_MESSAGES/fristvakt.po` becomes the
`.mo` the program reads. setuptools runs `BuildPy` for `build_py` (pyproject.toml,
`[tool.setuptools.cmdclass]`), for a wheel (`pip install .`) and for an editable install
alike; `make compile` does the same with `pybabel compile` for a checkout.
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DOMAIN = "fristvakt"


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Every catalog under `source` compiled into the same place under `target` (fuzzy
    messages left out, as `pybabel compile` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name, domain=DOMAIN)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


class BuildPy(build_py):
    """build_py, then the catalogs compiled: into the build for a wheel, beside their .po for
    an editable install (which reads the source tree)."""

    def run(self) -> None:
        super().run()
        editable = getattr(self, "editable_mode", False)
        target = HERE if editable else Path(self.build_lib) / "templates" / "locale"
        compile_catalogs(HERE, target)

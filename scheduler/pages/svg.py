"""Small helpers to build SVG with ElementTree (it escapes; we never glue markup by hand)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"


def num(value: float) -> str:
    """A coordinate as written in the SVG: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(parent: ET.Element | None, tag: str, *text: str, **attrs: object) -> ET.Element:
    """A child element with an optional text; attribute names use `_` for `-`
    (`font_size` → `font-size`), a trailing `_` dodges Python words (`class_`)."""
    clean = {key.rstrip("_").replace("_", "-"): _value(value)
             for key, value in attrs.items() if value is not None}
    node = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text:
        node.text = text[0]
    return node


def _value(value: object) -> str:
    return num(value) if isinstance(value, float) else str(value)


def root(width: float, height: float, label: str, **attrs: object) -> ET.Element:
    """An `<svg>` that scales to its container and is named for assistive technology."""
    return element(None, "svg", xmlns=SVG_NS, viewBox=f"0 0 {num(width)} {num(height)}",
                   width=num(width), height=num(height), role="group", aria_label=label,
                   **attrs)


def serialize(node: ET.Element) -> str:
    return ET.tostring(node, encoding="unicode")

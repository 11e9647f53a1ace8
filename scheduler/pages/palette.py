"""The pages' colours, each chosen for at least 4.5:1 contrast against what it is drawn on
(WCAG AA for text; a unit test computes every pair)."""

from __future__ import annotations

PAPER = "#ffffff"
LANE = "#f1f3f5"       # every other lane, behind task bars and labels
INK = "#1b1f24"        # text
MUTED = "#4a5561"      # axis labels, secondary text

STATUS = {
    "planned": "#1d4f91",
    "ongoing": "#7a4a00",
    "done": "#1b6634",
    "cancelled": "#5c5c5c",
}
OVERDUE = "#b3001b"
UNANSWERED = "#6b3fa0"
TODAY = "#a3005c"
ARROW = "#3d4650"
GRID = "#c5ccd3"        # month lines: decoration, never the only carrier of meaning

# (foreground, background) pairs a reader must tell apart: text and marks on paper and lanes.
PAIRS: tuple[tuple[str, str], ...] = tuple(
    (fg, bg)
    for fg in (INK, MUTED, *STATUS.values(), OVERDUE, UNANSWERED, TODAY, ARROW)
    for bg in (PAPER, LANE)
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of `#rrggbb` (WCAG 2.x definition)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio, 1.0 .. 21.0.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)

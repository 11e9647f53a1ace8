"""Which of nb, nn, sv a document is written in, from words only one of them uses.

>>> detect("Aktiviteter och beskrivning för länet")
'sv'
>>> detect("Korleis kommunane skal gjera dette saman")
'nn'
>>> detect("")
'nb'
"""

from __future__ import annotations

import re
from collections import Counter

from timelines.importer import vocab

DEFAULT = "nb"


def detect(text: str) -> str:
    words = Counter(re.findall(r"[^\W\d_]+", text.lower()))
    scores = {
        lang: sum(words[w] for w in markers) for lang, markers in vocab.LANG_MARKERS.items()
    }
    best = max(scores.values(), default=0)
    if best == 0:
        return DEFAULT
    # On a tie bokmål wins: it is the most common language of the plans we see.
    return DEFAULT if scores[DEFAULT] == best else max(scores, key=lambda k: scores[k])

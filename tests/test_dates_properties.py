"""Properties of parse_span that must hold for every input, checked with hypothesis."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.dates import _WORDS, DateSpan, parse_span
from timelines.dates.lexer import _scan, clean, tokenize
from timelines.dates.vocab import vocabulary

LANGS = st.sampled_from([None, "nb", "nn", "sv", "en", ""])
REF_YEARS = st.one_of(st.none(), st.integers(min_value=-10, max_value=12000))

# Pieces of real date texts, so that generated texts get deep into the grammar.
PIECES = [
    "mars", "maj", "desember", "jan.", "sept.", "jul", "vår", "høst", "haust", "vintern", "uke",
    "veke", "vecka", "v.", "kvartal", "kvartalet", "kv.", "tertial", "halvår", "halvåret", "Q",
    "første", "andra", "siste", "primo", "medio", "ultimo", "i slutet av", "begynnelsen av",
    "innen", "senast", "innen utgangen av", "fra", "från", "til", "till", "og", "och", "mellom",
    "i løpet av", "under", "ca.", "c:a", "eller før", "den", "løpende", "ikke avklart", "?", "-",
    "–", "/", "(", ")", "(justert)", "(eller før)", ",", ".", "1.", "1:a", "3", "12", "29", "31",
    "52", "53", "2020", "2021", "2023", "2024", "9999", "0", "00", "22/5", "29.2.2023",
    "31.12.22", "2024-02-29", "2023-02-29", "1/2023", "15.02",
    # Part 2
    "før", "etter", "frem til", "påske", "jul", "i jul", "nyttår", "årsskiftet", "neste år",
    "i år", "årlig", "hvert år", "kvartalsvis", "hver høst", "mandag", "fredag", "kl.", "13:00",
    "(vecka 8)", "(jf. sak 12/23)", "eller", "slutten av", "første uke i", "månedsskiftet",
    "vårterminen", "skoleåret", "vinteren", "2023/24", "snarest", "H1", "T2", "det", "månad",
]
PIECE_TEXTS = st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join)
TEXTS = st.one_of(st.text(max_size=60), PIECE_TEXTS)
WORD = re.compile(r"[^\W\d_]+")
PART2_WORDS = _WORDS - vocabulary().words


def check_invariants(span: DateSpan, text: str) -> None:
    assert span.text == text
    if span.kind in ("dated", "recurring"):
        assert span.start is not None or span.due is not None
        assert (span.kind == "recurring") == (span.recurrence is not None)
        if span.start is not None and span.due is not None:
            assert span.start <= span.due
    else:
        assert span.start is None and span.due is None


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, lang=LANGS, ref_year=REF_YEARS)
def test_never_raises_and_start_is_never_after_due(
        text: str, lang: str | None, ref_year: int | None) -> None:
    check_invariants(parse_span(text, lang=lang, ref_year=ref_year), text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=3000))
def test_long_texts_are_read_without_raising(text: str) -> None:
    check_invariants(parse_span(text, ref_year=2023), text)


def has_date_word(text: str) -> bool:
    """A Part 1 date word, or any word of Part 2 (holidays, terms, "neste år"...)."""
    words = vocabulary().date_words | PART2_WORDS
    return any(word in words for word in WORD.findall(text.lower()))


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=60), PIECE_TEXTS), ref_year=REF_YEARS, lang=LANGS)
def test_no_digits_and_no_date_word_is_never_dated(
        text: str, ref_year: int | None, lang: str | None) -> None:
    if any(char.isdigit() for char in text) or has_date_word(text):
        return  # only texts without any date material are this property's concern
    assert parse_span(text, lang=lang, ref_year=ref_year).kind != "dated"


@settings(max_examples=300, deadline=None)
@given(text=PIECE_TEXTS, ref_year=st.integers(min_value=2000, max_value=2100))
def test_case_and_surrounding_space_do_not_matter(text: str, ref_year: int) -> None:
    plain = parse_span(text, ref_year=ref_year)
    shouted = parse_span(f"  {text.upper()}\t", ref_year=ref_year)
    assert (shouted.kind, shouted.start, shouted.due) == (plain.kind, plain.start, plain.due)


@settings(max_examples=300, deadline=None)
@given(text=PIECE_TEXTS, ref_year=st.integers(min_value=2000, max_value=2100))
def test_dashes_are_interchangeable(text: str, ref_year: int) -> None:
    spans = {tuple(parse_span(text.replace("–", dash), ref_year=ref_year).as_json().items())
             for dash in ("–", "—", "-")}
    assert len(spans) == 1


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_tokens_do_not_depend_on_the_chunk_cache(text: str) -> None:
    cleaned = clean(text)
    assert tokenize(cleaned) == _scan(cleaned)  # splitting at white space changes nothing

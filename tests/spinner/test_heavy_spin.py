"""The detector changes made for the benchmark (issue 3): heavy spinning, team sheets, speed paths."""

import random
import re

from tests.conftest import BAKERY, FERRY
from unspin.align import align, passage_spans
from unspin.check import compare_texts
from unspin.judge import Verdict
from unspin.tokenize import tokenize


def _replace_content_words(text: str, share: float, seed: int) -> str:
    """Replace a share of the longer words by invented ones, as a thesaurus we do not know would."""
    rng = random.Random(seed)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 5 or rng.random() >= share:
            return word
        return "zq" + word[::-1].lower()

    return re.sub(r"[A-Za-z]+", swap, text)


def test_a_copy_with_most_topic_words_replaced_is_still_one_whole_copy():
    spun = _replace_content_words(FERRY, 0.6, seed=1)
    judgement = compare_texts(spun, FERRY)
    assert judgement.verdict in {Verdict.SPUN, Verdict.PARAPHRASE}
    assert judgement.coverage > 0.8


def test_reordered_paragraphs_are_found_in_later_rounds():
    paragraphs = FERRY.split("\n\n")
    shuffled = "\n\n".join([*paragraphs[3:], *paragraphs[:3]])
    spans = passage_spans(tokenize(shuffled), tokenize(FERRY).keys)
    assert len(spans) >= 2
    assert sum(span.s1 - span.s0 for span in spans) > 0.9 * len(tokenize(FERRY))


def test_spans_given_to_align_are_the_ones_it_would_find():
    spun = _replace_content_words(FERRY, 0.3, seed=2)
    a, b = tokenize(spun), tokenize(FERRY)
    assert align(a, b) == align(a, b, passage_spans(a, b.keys))


def test_words_compare_by_keys_equal_where_the_normal_forms_are():
    for text in (FERRY, BAKERY, "Café “naïve” don’t İstanbul STRASSE 2,500 3.5", ""):
        tokens = tokenize(text)
        by_word = dict(zip(tokens.words, tokens.keys))
        assert len(set(by_word.values())) == len(by_word)
        assert tokenize(text.upper()).keys == tokens.keys or "İ" in text or "ß" in text.upper()


def test_a_team_sheet_keeps_its_names_as_facts():
    sheet = "Forwards: Ross Beattie (Northampton Saints), Gordon Bulloch (captain, Glasgow Rugby), David Callam."
    tokens = tokenize(sheet)
    facts = dict(zip(tokens.words, tokens.facts))
    assert facts["beattie"] and facts["glasgow"] and not facts["captain"]
    shouted = tokenize(sheet.upper())
    assert not any(fact for word, fact in zip(shouted.words, shouted.facts) if len(word) > 1)

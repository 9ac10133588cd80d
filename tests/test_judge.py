import pytest

from tests.conftest import (
    BAKERY,
    FERRY,
    FERRY_OTHER_OUTLET,
    LIBRARY,
    LIBRARY_OTHER_OUTLET,
    LIBRARY_SPUN,
    swap_words,
)
from unspin.check import compare_texts
from unspin.judge import Verdict, quotation_spans


def test_a_verbatim_copy_is_a_copy_with_full_coverage():
    judgement = compare_texts(FERRY, FERRY)
    assert judgement.verdict is Verdict.COPY
    assert judgement.coverage == judgement.source_coverage == 1.0
    assert judgement.spin_rate == 0.0


def test_a_copy_inside_a_page_of_boilerplate_is_still_a_copy():
    page = "Home | World | Sport\nSubscribe now!\n\n" + FERRY + "\n\nShare this story. Related: cats."
    assert compare_texts(page, FERRY).verdict is Verdict.COPY


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_a_systematically_swapped_copy_is_spun(share):
    judgement = compare_texts(swap_words(FERRY, share=share, seed=1), FERRY)
    assert judgement.verdict is Verdict.SPUN
    assert 0.1 < judgement.spin_rate < 0.5


def test_a_copy_with_every_topic_word_replaced_is_spun():
    judgement = compare_texts(LIBRARY_SPUN, LIBRARY)
    assert judgement.verdict is Verdict.SPUN
    assert judgement.coverage > 0.75


def test_an_independent_report_of_a_heavily_spun_story_is_original():
    assert compare_texts(LIBRARY_OTHER_OUTLET, LIBRARY).verdict is Verdict.ORIGINAL
    assert compare_texts(LIBRARY_OTHER_OUTLET, LIBRARY_SPUN).verdict is Verdict.ORIGINAL


def test_one_reused_paragraph_is_partial():
    paragraph = FERRY.split("\n\n")[2]
    suspect = BAKERY + "\n\n" + paragraph + "\n\n" + BAKERY.replace("bakery", "café")
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    assert judgement.coverage < 0.5


def test_an_independent_report_sharing_a_quotation_is_original():
    judgement = compare_texts(FERRY_OTHER_OUTLET, FERRY)
    assert judgement.verdict is Verdict.ORIGINAL
    # The shared quotation is found, and flagged as a quote rather than evidence.
    assert any(p.quote for p in judgement.passages)


def test_unrelated_texts_are_original():
    assert compare_texts(BAKERY, FERRY).verdict is Verdict.ORIGINAL


def test_quotations_pair_within_paragraphs():
    text = '"One," he said. "Two\nstill quoting." After.'
    first, second, third = quotation_spans(text.replace("\n", "\n\n"))
    text = text.replace("\n", "\n\n")
    assert text[first[0] : first[1] + 1] == '"One,"'
    # An opening mark with no closing one in its paragraph runs to the paragraph's end.
    assert text[second[0] : second[1]] == '"Two'
    assert text[third[0]] == '"' 

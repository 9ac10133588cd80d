from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, swap_words
from unspin.check import Checker
from unspin.document import Document, ReadError
from unspin.judge import Verdict


def indexed(index):
    list(index.add([Document("ferry", FERRY), Document("bakery", BAKERY)]))
    return Checker(index)


def test_a_spun_copy_is_traced_to_its_source(index):
    result = indexed(index).check(Document("suspect", swap_words(FERRY, share=0.8)))
    assert result.verdict is Verdict.SPUN
    assert result.matches[0].source.id == "ferry"


def test_an_indexed_document_checked_against_itself_is_a_full_copy(index):
    result = indexed(index).check(Document("again", BAKERY))
    assert result.verdict is Verdict.COPY
    assert result.matches[0].judgement.coverage == 1.0


def test_an_independent_report_of_the_same_event_is_original(index):
    result = indexed(index).check(Document("other", FERRY_OTHER_OUTLET))
    assert result.verdict is Verdict.ORIGINAL
    assert result.matches == []


def test_an_empty_index_finds_nothing(index):
    assert Checker(index).check(Document("s", FERRY)).verdict is Verdict.ORIGINAL


def test_errors_pass_through_check_all(index):
    items = list(indexed(index).check_all([ReadError("bad", "binary"), Document("s", FERRY)]))
    assert isinstance(items[0], ReadError) and items[1].verdict is Verdict.COPY

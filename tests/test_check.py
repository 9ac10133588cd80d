import random

import unspin.check as check
from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, swap_words
from unspin.check import Checker
from unspin.document import Document, ReadError
from unspin.fingerprint import fingerprint
from unspin.judge import Verdict
from unspin.tokenize import tokenize


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


def test_a_copy_lists_every_outlet_that_ran_the_story(index):
    # The same story under six outlets' ids: past the best four, close contenders of a
    # source already found are still aligned, so every outlet is listed.
    outlets = [Document(f"outlet-{k}", f"{FERRY}\n\nFiled by desk {k}.") for k in range(6)]
    list(index.add([*outlets, Document("bakery", BAKERY)]))
    result = Checker(index).check(Document("suspect", swap_words(FERRY, share=0.5)))
    assert result.verdict is Verdict.SPUN
    assert sorted(m.source.id for m in result.matches) == [f"outlet-{k}" for k in range(6)]


def test_a_suspect_matching_none_of_the_best_candidates_is_not_aligned_with_the_rest(index, monkeypatch):
    # A flat field of same-topic texts (the ferry story's words, shuffled): when none of
    # the best four shares a passage with the suspect, the others are not aligned.
    words = FERRY.split()
    field = [Document(f"salad-{k}", " ".join(random.Random(k).sample(words, len(words)))) for k in range(10)]
    list(index.add(field))
    aligned = []
    real = check.passage_spans
    monkeypatch.setattr(check, "passage_spans", lambda *args: aligned.append(1) or real(*args))
    # Half of its words are another story's: a salad of the ferry story's own words alone
    # would be that story with its words shuffled, which is reuse (as PAN's obfuscation is).
    rng = random.Random(99)
    suspect = " ".join(rng.sample(rng.sample(words, len(words) // 2) + BAKERY.split(), len(words) // 2 + len(BAKERY.split())))
    checker = Checker(index)
    assert len(index.candidates(fingerprint(tokenize(suspect)), 10)) == 10
    assert checker.check(Document("suspect", suspect)).verdict is Verdict.ORIGINAL
    assert len(aligned) == check.ALWAYS_ALIGNED

import importlib
import random
from itertools import accumulate, permutations

import numpy as np

from tests.collection import article, vocabulary
from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, swap_words
from unspin.align import align, passage_spans
from unspin.check import Checker
from unspin.document import Document, ReadError
from unspin.fingerprint import fingerprint
import unspin.local as local
from unspin.judge import MIN_EVIDENCE, Verdict, judge
from unspin.tokenize import tokenize

check = importlib.import_module("unspin.check")  # the module: unspin.check is the public function


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


def test_the_intrinsic_score_is_worked_out_when_first_read_and_kept(index, monkeypatch):
    scored = []
    real = check.intrinsic_score
    monkeypatch.setattr(check, "intrinsic_score", lambda words: scored.append(words) or real(words))
    result = indexed(index).check(Document("suspect", swap_words(FERRY, share=0.8)))
    assert scored == []  # a caller that wants only the matches never pays for it
    assert result.intrinsic == real(tokenize(result.suspect.text))
    assert result.intrinsic is result.intrinsic and len(scored) == 1
    result.intrinsic = None  # a translated suspect's is dropped, unread
    assert result.intrinsic is None


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


def _essay(seed: int, words: int) -> str:
    """A long text of its own: sentences drawn from a small vocabulary of gardening words."""
    rng = random.Random(seed)
    vocabulary = ("garden soil compost worms roses ferns shade sunlight water roots seeds spring autumn "
                  "pruning hedges lawn mulch birds insects notebook flowers bulbs greenhouse tomatoes").split()
    glue = "the a of in and to with for on is are was".split()
    sentences, count = [], 0
    while count < words:
        sentence = [rng.choice(vocabulary if k % 2 else glue) for k in range(rng.randint(10, 18))]
        sentences.append(" ".join(sentence).capitalize() + ".")
        count += len(sentence)
    return " ".join(sentences)


def test_the_source_of_one_paragraph_of_a_long_text_is_found_among_sources_like_the_rest(index, monkeypatch):
    # Twenty sources share the long essay's own vocabulary, so each outranks the ferry story
    # for the suspect as a whole; only a window around the reused paragraph ranks it first.
    distractors = [Document(f"essay-{k}", _essay(k, 600)) for k in range(20)]
    list(index.add(distractors + [Document("ferry", FERRY)]))
    paragraph = FERRY.split("\n\n")[2]
    suspect = Document("long", _essay(100, 1500) + "\n\n" + paragraph + "\n\n" + _essay(101, 1500))
    checker = Checker(index)
    ranked = index.candidates(fingerprint(tokenize(suspect.text)), check.CANDIDATES)
    assert "ferry" not in [index.get_number(c.number).id for c in ranked[:check.ALWAYS_ALIGNED]]
    result = checker.check(suspect)
    assert result.verdict is Verdict.PARTIAL and [m.source.id for m in result.matches][:1] == ["ferry"]
    start = suspect.text.index(paragraph)
    [passage] = result.matches[0].judgement.evidence
    assert abs(passage.suspect[0] - start) <= 1 and abs(passage.suspect[1] - (start + len(paragraph))) <= 1

    monkeypatch.setattr(check, "WINDOWED", 10**9)  # retrieval for the whole text only, its best few
    monkeypatch.setattr(Checker, "retrieved", lambda self, words: self.candidates)
    assert "ferry" not in [m.source.id for m in Checker(index).check(suspect).matches]


def test_a_word_is_common_inside_a_common_phrase_and_between_two_common_words_close_together():
    # Common 5-grams at 0 and 12: words 0-4 and 12-16; 5 and 11 are 7 apart, so 5-11 stay rare.
    assert check._covered(np.array([0, 12]), 20, 5).nonzero()[0].tolist() == [0, 1, 2, 3, 4, 12, 13, 14, 15, 16]
    # At 0 and 9: 4 and 9 are 5 apart, and the gap between them counts too.
    assert check._covered(np.array([0, 9]), 16, 5).nonzero()[0].tolist() == list(range(14))
    assert not check._covered(np.empty(0, dtype=np.int64), 3, 5).any()


def test_the_features_retrieval_finds_in_many_sources_are_those_the_index_calls_common(index):
    # A paragraph that 25 sources carry (more than the 20 from which a feature is common).
    stock = "Readers may send letters to the editor through the form on the contact page of this site."
    list(index.add([Document(f"page/{k}", f"{swap_words(FERRY, share=0.5, seed=k)} {stock}") for k in range(25)]
                   + [Document("bakery", BAKERY)]))
    words = tokenize(f"{BAKERY} {stock}")
    prints = [fingerprint(words), fingerprint(tokenize(FERRY))]
    flags = []
    assert index.candidates_of(prints, 10, flags) == index.candidates_of(prints, 10)
    assert [f.tolist() for f in flags] == [index.common(p).tolist() for p in prints]
    assert flags[0].any() and not flags[0].all()
    frequent = check._Frequent(prints[0], flags[0], index)
    outside = np.array([1, 2, 3], dtype=np.uint64)  # features of no print: looked up in the index
    for features in (prints[0][::3], prints[0][flags[0]], outside, np.concatenate([prints[0][:5], outside])):
        assert frequent.common(features).tolist() == index.common(features).tolist()
    assert check.common_words(words, frequent).tolist() == check.common_words(words, index).tolist()
    assert check.stock_words(words, frequent).tolist() == check.stock_words(words, index).tolist()
    assert check.common_words(words, index).any()


def test_the_keys_of_a_batchs_candidates_are_read_in_one_query(index, monkeypatch):
    checker = indexed(index)
    one_by_one, together = [], []
    read_together = index.keys_of
    monkeypatch.setattr(index, "keys", lambda number: one_by_one.append(number))
    monkeypatch.setattr(index, "keys_of", lambda numbers: together.append(numbers) or read_together(numbers))
    results = checker.check_many([Document("spun", swap_words(FERRY, share=0.8)), Document("again", BAKERY)])
    assert [result.verdict for result in results] == [Verdict.SPUN, Verdict.COPY]
    assert len(together) == 1 and len(together[0]) == 2 and one_by_one == []


def test_a_source_ruled_out_on_its_keys_is_one_the_judge_would_find_no_evidence_in():
    # Made-up articles from one small vocabulary share many chance runs: spans of a dozen
    # words and more that keep fewer than a dozen of them. The checker rules their sources
    # out before reading them; the judge, given their passages, finds nothing either.
    rng = random.Random(5)
    words = vocabulary(rng, 300)
    weights = list(accumulate(1.0 / (rank + 10) for rank in range(len(words))))
    texts = [FERRY, BAKERY, FERRY_OTHER_OUTLET] + [article(rng, words, weights, 6) for _ in range(12)]
    ruled_out = 0
    for suspect, source in permutations(texts, 2):
        ours, theirs = tokenize(suspect), tokenize(source)
        spans = passage_spans(ours, theirs.key_array)
        if any(check.kept_words(span) >= MIN_EVIDENCE for span in spans):
            continue
        judgement = judge(suspect, ours, theirs, align(ours, theirs, spans))
        assert judgement.verdict is Verdict.ORIGINAL and not judgement.evidence
        ruled_out += any(span.s1 - span.s0 >= MIN_EVIDENCE for span in spans)  # ruled out by the words kept alone
    assert ruled_out >= 10


def _shuffled(sentences: list[str], seed: int) -> str:
    """Each sentence with its words shuffled (PAN's random obfuscation does this)."""
    rng = random.Random(seed)
    shuffled = []
    for sentence in sentences:
        words = sentence.rstrip(".").lower().split()
        rng.shuffle(words)
        shuffled.append(" ".join(words).capitalize() + ".")
    return " ".join(shuffled)


ORCHARD = ("The cider orchard grafts russet pippins onto quince rootstock every winter. Beekeepers bring "
           "hives when the blossom opens on the espaliered pear trees. Codling moth traps hang from the "
           "oldest bramley boughs beside the cider press. Windfalls go to the pigs while pickers fill "
           "wicker baskets with ripe cox and egremont russets. The orchard keeper prunes the canopy so "
           "that sunlight reaches every spur and fruiting bud. Mistletoe grows in the crowns of the "
           "perry pear trees near the old hedgerow.")


def test_the_source_of_one_reworded_paragraph_of_a_short_text_is_found_by_local_evidence(index, monkeypatch):
    # A 400-word text of its own takes four of a source's sentences, their words shuffled:
    # no run of words survives for word alignment, but the source's words crowd into that
    # stretch, so the source is looked at for reworded sentences whatever its rank.
    distractors = [Document(f"essay-{k}", _essay(k, 600)) for k in range(20)]
    list(index.add(distractors + [Document("orchard", ORCHARD)]))
    sentences = [s.strip() + "." for s in ORCHARD.split(".") if s.strip()]
    reworded = _shuffled(sentences[:4], seed=7)
    suspect = Document("short", _essay(100, 160) + "\n\n" + reworded + "\n\n" + _essay(101, 160))
    assert len(tokenize(suspect.text)) <= check.WINDOWED  # retrieved for as a whole only
    result = Checker(index).check(suspect)
    assert result.verdict is Verdict.PARTIAL and [m.source.id for m in result.matches] == ["orchard"]
    [passage] = result.matches[0].judgement.evidence
    assert passage.kind == "sentences"
    start = suspect.text.index(reworded)
    assert start - 2 <= passage.suspect[0] and passage.suspect[1] <= start + len(reworded) + 2

    monkeypatch.setattr(local, "CONTRAST", float("inf"))  # no candidate of the whole suspect crowded: no local evidence
    assert Checker(index).check(suspect).matches == []


def test_a_text_sharing_a_source_s_words_throughout_is_not_looked_at_for_reworded_sentences(index, monkeypatch):
    # Another essay on the distractors' subject shares their words in every paragraph: no
    # candidate's words crowd into one stretch, so none is looked at for reworded sentences.
    list(index.add([Document(f"essay-{k}", _essay(k, 600)) for k in range(20)]))
    reworded = []
    real = check.align
    given = lambda texts: texts() if callable(texts) else texts  # noqa: E731  # asked for when needed
    monkeypatch.setattr(check, "align", lambda *args, texts=None: reworded.append(given(texts) is not None)
                        or real(*args, texts=texts))
    result = Checker(index).check(Document("same subject", _essay(200, 400)))
    assert result.matches == [] and not any(reworded)


def test_a_longer_text_is_retrieved_for_more_sources_one_a_stretch_of_local_evidence():
    checker = Checker.__new__(Checker)
    checker.candidates = check.CANDIDATES
    assert checker.retrieved(300) == check.CANDIDATES
    assert checker.retrieved(40 * local.DENSE_SPAN) == 40


def test_the_source_of_a_reworded_paragraph_ranked_below_the_candidates_is_found_by_local_evidence(index, monkeypatch):
    # A text of 900 words copies a paragraph from each of twelve sources and takes four
    # sentences of another, their words shuffled: the twelve outrank it for the text as a
    # whole, beyond the checker's candidates, but one source is retrieved for each stretch
    # of local evidence the text holds, and its words crowd into one.
    sources = [Document(f"essay-{k}", _essay(k, 140)) for k in range(12)]
    list(index.add(sources + [Document("orchard", ORCHARD)]))
    sentences = [s.strip() + "." for s in ORCHARD.split(".") if s.strip()]
    paragraphs = [" ".join(source.text.split()[:70]) for source in sources]
    paragraphs.insert(6, _shuffled(sentences[:4], seed=7))
    suspect = Document("long", "\n\n".join(paragraphs))
    words = tokenize(suspect.text)
    assert len(words) <= check.WINDOWED  # retrieved for as a whole only
    ranked = [index.get_number(c.number).id for c in index.candidates(fingerprint(words), 100)]
    assert ranked.index("orchard") >= check.CANDIDATES
    assert "orchard" in [m.source.id for m in Checker(index).check(suspect).matches]

    monkeypatch.setattr(Checker, "retrieved", lambda self, words: self.candidates)
    assert "orchard" not in [m.source.id for m in Checker(index).check(suspect).matches]

"""Properties that must hold for any text (hypothesis)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import re

from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET
from unspin.align import align
from unspin.check import Checker, compare_texts
from unspin.document import Document
from unspin.index import Index
from unspin.judge import Verdict
from unspin.report import result_json
from unspin.stopwords import STOPWORDS
from unspin.tokenize import is_content, normalize, tokenize, word_hash

WORDS = FERRY.split()
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=300).map(" ".join)
SENTENCES = sorted({s.strip() for s in re.split(r"(?<=[.!?])\s+", FERRY + BAKERY + FERRY_OTHER_OUTLET) if len(s.split()) > 4})
# Documents: distinct sentences in any order, as articles are made of.
documents = st.lists(st.sampled_from(SENTENCES), min_size=3, unique=True).map(" ".join)
any_text = st.text(min_size=0, max_size=2000)

settings.register_profile("unspin", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("unspin")


@given(texts, texts)
def test_aligned_offsets_are_inside_both_texts_and_ordered(suspect, source):
    previous_end = 0
    for passage in align(tokenize(suspect), tokenize(source)):
        assert previous_end <= passage.suspect[0] < passage.suspect[1] <= len(suspect)
        assert 0 <= passage.source[0] < passage.source[1] <= len(source)
        previous_end = passage.suspect[1]
        for sub in passage.substitutions:
            assert passage.suspect[0] <= sub.suspect[0] <= sub.suspect[1] <= passage.suspect[1]
            assert passage.source[0] <= sub.source[0] <= sub.source[1] <= passage.source[1]


@given(any_text, any_text)
def test_alignment_never_fails_on_arbitrary_unicode(suspect, source):
    align(tokenize(suspect), tokenize(source))
    compare_texts(suspect, source)


@given(documents)
def test_a_document_checked_against_an_index_holding_it_is_a_copy_with_full_coverage(text):
    with Index(":memory:") as index:
        list(index.add([Document("source", text), Document("ferry", FERRY)]))
        result = Checker(index).check(Document("suspect", text))
    if sum(not fact for fact in tokenize(text).facts) >= 20:
        assert result.verdict is Verdict.COPY
        best = result.matches[0]
        assert best.judgement.coverage == 1.0 and best.source.id in {"source", "ferry"}


@given(documents, st.sampled_from(["upper", "lower", "spaces", "newlines"]))
def test_whitespace_and_case_do_not_change_the_verdict(text, change):
    changed = {
        "upper": text.upper(),
        "lower": text.lower(),
        "spaces": text.replace(" ", "   "),
        "newlines": text.replace(" ", "\n"),
    }[change]
    assert compare_texts(changed, FERRY).verdict == compare_texts(text, FERRY).verdict


@given(any_text)
def test_the_json_always_parses_and_follows_the_contract(text):
    with Index(":memory:") as index:
        list(index.add([Document("ferry", FERRY)]))
        if not text.strip():
            return
        data = json.loads(json.dumps(result_json(Checker(index).check(Document("s", text)))))
    assert data["id"] == "s" and data["verdict"] in {v.value for v in Verdict}
    for match in data["matches"]:
        assert {"source_id", "score", "coverage", "spin_rate", "passages"} <= match.keys()
        for passage in match["passages"]:
            assert 0 <= passage["suspect"][0] <= passage["suspect"][1] <= len(text)


# Text mixing words, names, numbers, punctuation, line breaks, accents and shouting.
PIECES = ["The", "ferry", "Dunmore", "said", "2,500", "3.5", "don’t", "well-known", "Café", "İstanbul",
          "STOP", "a", "I", ".", ",", "!", "?", "\n", "\n\n", " ", "  ", "—", "“", "”", "(", ")", "x"]
mixed_text = st.one_of(any_text, st.lists(st.sampled_from(PIECES), max_size=80).map(" ".join))


@given(mixed_text)
def test_tokens_follow_their_plain_definitions(text):
    # The tokenizer is built for speed (a shared vocabulary, class bits, lookup tables);
    # this says what it computes, word by word, the slow and obvious way.
    tokens = tokenize(text)
    spans = [m.span() for m in re.finditer(r"\w+(?:['’.,\-]\w+)*", text)]
    assert list(zip(tokens.starts, tokens.ends)) == spans
    assert tokens.words == [normalize(text[s:e]) for s, e in spans]
    assert tokens.keys == [word_hash(w) >> 32 for w in tokens.words]
    long_words = [text[s:e] for s, e in spans if e - s > 1]
    cased = sum(w.isupper() for w in long_words) <= 0.5 * len(long_words)
    for i, (word, (s, e)) in enumerate(zip(tokens.words, spans)):
        digit = not word.isalpha() and any(c.isdigit() for c in word)
        stop = word in STOPWORDS
        capital = cased and text[s].isupper()
        opens = i == 0 or re.search(r"[.!?\n]", text[spans[i - 1][1]:s]) is not None
        assert tokens.facts[i] == (digit or (capital and not stop) or len(word) == 1)
        assert tokens.immutable[i] == (digit or stop or (capital and not opens))
        assert tokens.content_mask[i] == is_content(word)

import random

import numpy as np

from unspin.local import CONTRAST, DENSE_SPAN, DENSE_WORDS, TopicWords
from unspin.tokenize import tokenize


def _words(prefix: str, count: int) -> list[str]:
    """Distinct made-up topic words."""
    return [f"{prefix}{chr(97 + k % 26)}{chr(97 + k // 26 % 26)}" for k in range(count)]


OWN = _words("lumen", 600)  # the suspect's own topic words
SOURCE = _words("quarn", 60)  # the source's


def keys_of(words: list[str]) -> np.ndarray:
    return tokenize(" ".join(words)).key_array


def test_a_source_whose_words_fill_one_stretch_is_dense_and_crowded_there():
    # 400 words of the suspect's own, with 20 of the source's words in a row in the middle.
    suspect = tokenize(" ".join(OWN[:200] + SOURCE[:20] + OWN[200:380]))
    topics = TopicWords(suspect)
    assert topics.evidence(keys_of(SOURCE)) == (20, 20)
    assert topics.dense(keys_of(SOURCE)) and topics.crowded(keys_of(SOURCE))


def test_a_source_sharing_words_throughout_the_suspect_is_dense_but_not_crowded():
    # Every other word of 600 is one of the source's: a text on the same subject throughout.
    suspect = tokenize(" ".join(word for pair in zip(OWN[:300], SOURCE * 5) for word in pair))
    densest, held = TopicWords(suspect).evidence(keys_of(SOURCE))
    assert densest == DENSE_SPAN // 2 and held == 300
    assert densest >= DENSE_WORDS and densest < CONTRAST * held * DENSE_SPAN / 600
    assert TopicWords(suspect).dense(keys_of(SOURCE)) and not TopicWords(suspect).crowded(keys_of(SOURCE))


def test_a_few_shared_words_are_no_local_evidence():
    suspect = tokenize(" ".join(OWN[:100] + SOURCE[:DENSE_WORDS - 1] + OWN[100:200]))
    topics = TopicWords(suspect)
    assert topics.evidence(keys_of(SOURCE)) == (DENSE_WORDS - 1, DENSE_WORDS - 1)
    assert not topics.dense(keys_of(SOURCE)) and not topics.crowded(keys_of(SOURCE))


def test_function_words_are_not_counted_and_nothing_shared_is_nothing():
    suspect = tokenize("the of and in to with for " * 20 + " ".join(OWN[:30]))
    topics = TopicWords(suspect)
    assert topics.evidence(keys_of("the of and in to with for".split())) == (0, 0)
    assert topics.evidence(keys_of(SOURCE)) == (0, 0)
    assert TopicWords(tokenize("")).evidence(keys_of(SOURCE)) == (0, 0)
    assert topics.evidence(np.empty(0, np.uint32)) == (0, 0)


def test_the_evidence_is_that_of_a_brute_force_count():
    rng = random.Random(3)
    vocabulary = _words("brisk", 300) + "the of and a in".split()
    for trial in range(30):
        suspect = tokenize(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 700))))
        source = keys_of(rng.sample(vocabulary, rng.randint(1, 200)))
        held = np.flatnonzero(suspect.content_mask & np.isin(suspect.key_array, source))
        densest = max((int(np.sum((held >= p) & (held < p + DENSE_SPAN))) for p in held), default=0)
        assert TopicWords(suspect).evidence(source) == (densest, len(held)), trial


def test_the_evidence_of_several_sources_is_each_one_s():
    rng = random.Random(5)
    vocabulary = _words("brisk", 300)
    suspect = tokenize(" ".join(rng.choice(vocabulary) for _ in range(500)))
    sources = [keys_of(rng.sample(vocabulary, rng.randint(1, 250))) for _ in range(8)] + [np.empty(0, np.uint32)]
    topics = TopicWords(suspect)
    assert topics.evidence_of(sources).tolist() == [list(topics.evidence(keys)) for keys in sources]


def test_a_window_s_source_needs_dense_words_and_the_whole_suspect_s_crowded_ones():
    # The source's words fill every other place of the suspect: dense in every stretch, so
    # local evidence for a window's best source, but spread throughout, so none for a
    # candidate of the whole suspect; a source of one stretch is local evidence either way.
    spread = tokenize(" ".join(word for pair in zip(OWN[:300], SOURCE * 5) for word in pair))
    topics = TopicWords(spread)
    assert topics.is_near(keys_of(SOURCE), window=True, whole=False)
    assert not topics.is_near(keys_of(SOURCE), window=False, whole=True)
    one_stretch = TopicWords(tokenize(" ".join(OWN[:200] + SOURCE[:20] + OWN[200:380])))
    assert one_stretch.is_near(keys_of(SOURCE), window=False, whole=True)
    assert one_stretch.is_near(keys_of(SOURCE), window=True, whole=False)
    assert not one_stretch.is_near(keys_of(OWN[:5]), window=True, whole=True)


def test_a_stretch_holding_as_many_of_the_source_s_words_as_evidence_needs_is_local_evidence():
    # A window's best source that holds 12 topic words of one stretch (a block of reworded
    # sentences is evidence from 12 shared topic words) is looked at for reworded sentences.
    suspect = tokenize(" ".join(OWN[:100] + SOURCE[:12] + OWN[100:200]))
    topics = TopicWords(suspect)
    assert topics.evidence(keys_of(SOURCE)) == (12, 12)
    assert topics.is_near(keys_of(SOURCE), window=True, whole=False)

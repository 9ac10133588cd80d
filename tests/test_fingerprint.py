import numpy as np
import xxhash

from tests.conftest import BAKERY, FERRY, swap_words
from unspin.fingerprint import SHINGLE_SIZE, distinct_hashes, fingerprint, hash_order, ngram_hashes, sampled_shingles
from unspin.tokenize import tokenize, word_hash


def shared(a: str, b: str) -> float:
    fa, fb = fingerprint(tokenize(a)), fingerprint(tokenize(b))
    return len(np.intersect1d(fa, fb)) / len(fa)


def test_features_are_sorted_distinct_uint64():
    features = fingerprint(tokenize(FERRY))
    assert features.dtype == np.uint64
    assert np.all(np.diff(features.astype(np.float64)) > 0) or len(features) < 2


def test_hashes_are_stable_across_runs():
    # Stored in the index: they must never depend on the process (unlike Python's hash()),
    # so a word's hash is xxh3_64 of its normal form's UTF-8 bytes, whatever its spelling.
    assert word_hash("ferry") == xxhash.xxh3_64_intdigest(b"ferry")
    assert tokenize("The FERRY").hashes.tolist() == [word_hash("the"), word_hash("ferry")]
    assert word_hash("ferry") != word_hash("ferrys")


def test_a_spun_copy_keeps_far_more_features_than_an_unrelated_text():
    spun = swap_words(FERRY, share=1.0)
    assert shared(spun, FERRY) > 0.4
    assert shared(BAKERY, FERRY) < 0.1


def test_empty_text_has_no_features():
    assert len(fingerprint(tokenize(""))) == 0


def test_the_sampled_shingles_are_the_word_5_grams_whose_hash_is_0_modulo_4():
    tokens = tokenize(" ".join(f"word{k}" for k in range(400)))
    combined = ngram_hashes(tokens.hashes, SHINGLE_SIZE)
    starts, features = sampled_shingles(tokens)
    assert starts.tolist() == [k for k, h in enumerate(combined.tolist()) if h % 4 == 0]
    assert set(features.tolist()) <= set(fingerprint(tokens).tolist())
    assert 50 < len(starts) < 150  # about one in four
    assert [len(a) for a in sampled_shingles(tokenize("too short"))] == [0, 0]


def test_hash_order_sorts_hashes_and_any_other_values_as_argsort_does():
    rng = np.random.default_rng(11)
    for size in (0, 1, 2, 17, 500, 3000):
        for values in (rng.integers(0, 2**64 - 1, size, dtype=np.uint64),  # hashes: a value a bucket
                       rng.integers(0, 40, size).astype(np.uint64),  # bunched in one bucket, repeated
                       np.full(size, 2**63 + 5, dtype=np.uint64)):
            order = hash_order(values)
            assert sorted(order.tolist()) == list(range(size))
            assert np.array_equal(values[order], np.sort(values))


def test_distinct_hashes_are_np_unique_with_the_inverse():
    rng = np.random.default_rng(12)
    for size in (0, 1, 2, 17, 500, 3000):
        for values in (rng.integers(0, 2**64 - 1, size, dtype=np.uint64), rng.integers(0, 40, size).astype(np.uint64)):
            values = np.concatenate([values, values[: size // 3]])  # repeated, as a batch's prints repeat features
            distinct, where = distinct_hashes(values)
            expected, inverse = np.unique(values, return_inverse=True)
            assert np.array_equal(distinct, expected) and np.array_equal(where, inverse.ravel())

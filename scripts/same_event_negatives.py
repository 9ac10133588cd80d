"""False alarms between independent reports of one event: the spin suite's unrelated negatives,
each judged against its nearest sources.

    python scripts/same_event_negatives.py ../shared/data/bbc --nearest 5

Splits the corpus as ``unspin bench`` does (same seed: the same sources and held-out
articles), keeps every held-out article that reuses no source's text (``unspin.bench.corpus.unrelated``),
pairs each with its ``--nearest`` sources by tf-idf cosine (scikit-learn, word unigrams and
bigrams, English stop words out) and judges every pair with :func:`unspin.compare` (no
index). Nearest sources are where independent reports of one event are: the hardest
negatives the corpus holds for a rule that accepts reworded sentences. Prints the count of
pairs and of negatives given any verdict but ``original``, and each such pair. Reads the
corpus, never copies it.
"""

from __future__ import annotations

import math
import random
import sys
import time

import click

import unspin
from unspin.bench.corpus import deduplicate, load_corpus, split, unrelated


@click.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--nearest", default=5, show_default=True, type=click.IntRange(1), help="Sources per negative.")
@click.option("--negatives", default=500, show_default=True, type=click.IntRange(1),
              help="As unspin bench's --negatives: sets how many articles are held out (all unrelated ones are used).")
@click.option("--seed", default=1, show_default=True, help="As unspin bench's --seed: the same split.")
def main(corpus: str, nearest: int, negatives: int, seed: int) -> None:
    """Judge each unrelated held-out article against its nearest sources; print the flagged pairs."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = random.Random(seed)
    documents, _ = load_corpus(corpus)
    documents, _ = deduplicate(documents)
    sources, held = split(documents, min(len(documents) // 3, math.ceil(negatives * 1.6)), rng)
    held, _ = unrelated(held, sources)
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    source_vectors = vectorizer.fit_transform([d.text for d in sources])
    held_vectors = vectorizer.transform([d.text for d in held])
    similarity = (held_vectors @ source_vectors.T).toarray()
    started, pairs, flagged = time.perf_counter(), 0, set()
    for k, negative in enumerate(held):
        for j in similarity[k].argsort()[::-1][:nearest].tolist():
            result = unspin.compare(negative, sources[j])
            pairs += 1
            if result.verdict.value != "original":
                flagged.add(negative.id)
                match = result.matches[0]
                print(f"{negative.id}\t{sources[j].id}\t{result.verdict.value}\tcosine {similarity[k, j]:.2f}\t"
                      f"coverage {match.judgement.coverage:.2f}", flush=True)
    print(f"{len(flagged)} of {len(held)} negatives flagged ({pairs} pairs, nearest {nearest}, "
          f"{time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    sys.exit(main())

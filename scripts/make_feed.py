"""A JSON lines feed of generated sources, as ``unspin bench --sources N`` adds them.

    python scripts/make_feed.py 100000 /tmp/feed100k.jsonl
    python scripts/make_feed.py 2000000 /tmp/feed.jsonl.gz --words 1100

Each record is one of the benchmark's generated articles (real sentences of the corpus with
their words shuffled: its vocabulary and word frequencies, no ordered run of any article's
words), ``{"id": "generated/K", "text": ...}``, so ``unspin index add`` of the feed times
the write path on the sources the scaling benchmark measures. ``--words`` makes longer ones
(the benchmark's have about 350). Written to a ``.gz`` name, the feed is gzipped.
"""

from __future__ import annotations

import gzip
import json
import random

import click

from unspin.bench import corpus as bench_corpus

from unspin.bench import speed as bench_speed


@click.command()
@click.argument("count", type=click.IntRange(min=1))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--corpus", default="../shared/data/bbc", show_default=True, help="Articles whose sentences are used.")
@click.option("--words", default=350, show_default=True, type=click.IntRange(min=1),
              help="Words an article has at least.")
@click.option("--seed", default=1, show_default=True, help="Seed of the generator.")
def main(count: int, out: str, corpus: str, words: int, seed: int) -> None:
    """Write COUNT generated articles to OUT as JSON lines."""
    pool, _ = bench_corpus.load_corpus(corpus)
    opener = gzip.open if out.endswith(".gz") else open
    with opener(out, "wt", encoding="utf-8") as feed:
        for document in bench_speed.generated_documents(pool, count, random.Random(seed), words=words):
            feed.write(json.dumps({"id": document.id, "text": document.text}) + "\n")


if __name__ == "__main__":
    main()

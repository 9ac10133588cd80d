"""Retrieval alone against a grown index: CPU a suspect and recall@1, under retrieval's settings.

    python scripts/profile_check.py --sources 1000000 --db /tmp/p1m.db --batches-only   # grows the index
    python scripts/retrieval_at_scale.py /tmp/p1m.db --most-sources 1000 --most-sources 1000000000

Queries the whole-suspect fingerprints of the benchmark's suspects (``unspin bench``'s, as
``profile_check.py`` makes them) 32 at a time, as ``Checker.check_all`` does, for each value of
``_Postings.MOST_SOURCES`` given (the most sources a feature may be in; 1,000,000,000 is no
ceiling, the 1% rule alone: only on an index of segments of the plain form of before the compact
one, which keeps no slots of features in more than 1,000 sources); prints the CPU a suspect (the best of three passes, after one to
warm the page cache), the share of copies whose source ranks first, and how often the first
and the first four candidates agree between the first setting and each other.
"""

from __future__ import annotations

import time

import click

from profile_check import benchmark_cases
from unspin.fingerprint import fingerprint
from unspin.index import Index
from unspin.postings import _Postings
from unspin.tokenize import tokenize


@click.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--most-sources", "settings", type=int, multiple=True, default=[getattr(_Postings, "MOST_SOURCES", 0)],
              show_default=True, help="A value of _Postings.MOST_SOURCES to query with (repeatable).")
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=40, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=200, show_default=True)
def main(db: str, settings: list[int], corpus: str, sample: int, negatives: int) -> None:
    _, suspects = benchmark_cases(corpus, sample, negatives)
    prints = [fingerprint(tokenize(suspect.text)) for suspect in suspects]
    with Index(db, readonly=True) as store:
        numbers = {}
        for suspect in suspects:
            if suspect.source is not None and suspect.source not in numbers:
                row = store.db.execute("SELECT number FROM sources WHERE id = ?", (suspect.source,)).fetchone()
                numbers[suspect.source] = row[0] if row else None
        postings = store._load()

        def one_pass() -> list:
            found = []
            for start in range(0, len(prints), 32):
                found += postings.query(prints[start:start + 32], 10)
            return found

        results = {}
        for setting in settings:
            _Postings.MOST_SOURCES = setting
            one_pass()
            best = float("inf")
            for _ in range(3):
                started = time.process_time()
                found = one_pass()
                best = min(best, time.process_time() - started)
            copies = [(s, f) for s, f in zip(suspects, found) if s.source is not None]
            hits = sum(bool(f) and f[0].number == numbers[s.source] for s, f in copies)
            results[setting] = found
            click.echo(f"{postings.living:,} sources, MOST_SOURCES {setting:,}: {1e3 * best / len(prints):.3f} ms "
                       f"CPU a suspect, recall@1 of retrieval {hits}/{len(copies)} = {hits / len(copies):.3f}")
        first = results[settings[0]]
        for setting in settings[1:]:
            other = results[setting]
            top1 = sum([c.number for c in a[:1]] == [c.number for c in b[:1]] for a, b in zip(first, other))
            top4 = sum([c.number for c in a[:4]] == [c.number for c in b[:4]] for a, b in zip(first, other))
            click.echo(f"{settings[0]:,} against {setting:,}: the same first candidate for {top1} of {len(first)} "
                       f"suspects, the same first four for {top4}")


if __name__ == "__main__":
    main()

"""Checking in batch against a grown index: throughput and what was found, under retrieval's settings.

    python scripts/profile_check.py --sources 1000000 --db /tmp/p1m.db --batches-only   # grows the index
    python scripts/check_at_scale.py /tmp/p1m.db --most-sources 1000 --most-sources 1000000000

Checks the benchmark's suspects (``unspin bench --sample 40 --negatives 200``'s, as
``profile_check.py`` makes them) with ``Checker.check_all``, twice for each value of
``_Postings.MOST_SOURCES`` given (1,000,000,000: no ceiling, the 1% rule alone; only on an index whose segments are
of the plain form of before the compact one, which keeps no slots of features in more than 1,000
sources: on a compact one, a query refuses a larger value), and prints the
suspects checked a CPU second in the second pass, the copies whose first match is their source,
the unrelated articles with any match, and the verdicts: detection is unchanged by a setting when
the last three are.
"""

from __future__ import annotations

import collections
import time

import click

from profile_check import benchmark_cases
from unspin.check import Checker
from unspin.document import Document
from unspin.index import Index
from unspin.postings import _Postings


@click.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--most-sources", "settings", type=int, multiple=True, default=[getattr(_Postings, "MOST_SOURCES", 0)],
              show_default=True, help="A value of _Postings.MOST_SOURCES to check with (repeatable).")
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=40, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=200, show_default=True)
def main(db: str, settings: list[int], corpus: str, sample: int, negatives: int) -> None:
    _, suspects = benchmark_cases(corpus, sample, negatives)
    documents = [Document(suspect.id, suspect.text) for suspect in suspects]
    copies = sum(suspect.source is not None for suspect in suspects)
    with Index(db, readonly=True) as store:
        for setting in settings:
            _Postings.MOST_SOURCES = setting
            for _ in range(2):  # the first pass reads the postings' pages into the system's cache
                checker = Checker(store)
                started = time.process_time()
                results = list(checker.check_all(documents))
                seconds = time.process_time() - started
            found = sum(bool(r.matches) and r.matches[0].source.id == s.source
                        for s, r in zip(suspects, results) if s.source is not None)
            alarms = sum(bool(r.matches) for s, r in zip(suspects, results) if s.source is None)
            verdicts = collections.Counter(r.verdict.value for r in results)
            click.echo(f"{len(store):,} sources, MOST_SOURCES {setting:,}: {len(documents) / seconds:.0f} suspects a "
                       f"CPU second; first match their source {found}/{copies}; unrelated with a match "
                       f"{alarms}/{len(suspects) - copies}; verdicts {dict(sorted(verdicts.items()))}")


if __name__ == "__main__":
    main()

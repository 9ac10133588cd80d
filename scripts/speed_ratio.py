"""Check speed against datasketch, the two check passes alternated in one process.

    python scripts/speed_ratio.py [--passes 5] [--sample 100] [--negatives 500]

``unspin bench`` times unspin's passes, then datasketch's: on a machine shared with other jobs
the load can change between the two. This builds the same sources and suspects
(:func:`profile_check.benchmark_cases`), indexes them in both tools, then runs unspin's check pass
and datasketch's one after the other, ``--passes`` times, timing each by the process's CPU
clock, and prints the fastest of each and their ratio (unspin's speed over datasketch's: 1.0 is
the bar). The same work as the benchmark's speed table: unspin's verdicts and matches for every
suspect, datasketch's candidates ranked by estimated Jaccard; both with the collector set as
the unspin command and the benchmark's passes set it.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time

import click
import numpy as np

from profile_check import benchmark_cases
from unspin.bench.speed import Datasketch
from unspin.check import Checker, warm_up
from unspin.cli.app import GC_THRESHOLD
from unspin.document import Document
from unspin.index import Index


@click.command()
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=100, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=500, show_default=True)
@click.option("--passes", type=click.IntRange(min=1), default=5, show_default=True, help="Passes of each tool.")
def main(corpus: str, sample: int, negatives: int, passes: int) -> None:
    sources, suspects = benchmark_cases(corpus, sample, negatives)
    workdir = tempfile.mkdtemp(prefix="unspin-ratio-")
    warm_up(workdir)
    detector = Datasketch()
    detector.add(sources)

    def datasketch_pass() -> None:
        for suspect in suspects:
            detector.ranked(suspect.text)

    with Index(os.path.join(workdir, "unspin.db")) as store:
        for _ in store.add(sources, batch_size=1024):
            pass
        store.candidates(np.empty(0, dtype=np.uint64))  # open the postings
        documents = [Document(suspect.id, suspect.text) for suspect in suspects]

        def unspin_pass() -> None:
            list(Checker(store).check_all(documents))  # each pass starts with no sources at hand

        times: dict[str, list[float]] = {"unspin": [], "datasketch": []}
        gc.set_threshold(GC_THRESHOLD, 50, 100)  # as the unspin command sets it
        for _ in range(passes):
            for name, work in (("unspin", unspin_pass), ("datasketch", datasketch_pass)):
                gc.collect()
                gc.freeze()  # as the benchmark's passes run (unspin.bench.speed.best_of)
                started = time.process_time()
                work()
                times[name].append(time.process_time() - started)
                gc.unfreeze()
    for name, spent in times.items():
        print(f"{name}: CPU s a pass {' '.join(f'{t:.2f}' for t in spent)}; fastest {min(spent):.2f} "
              f"({len(suspects) / min(spent):,.0f} suspects a CPU-second)")
    print(f"unspin / datasketch: {min(times['datasketch']) / min(times['unspin']):.2f}x ({len(suspects)} suspects, "
          f"{len(sources)} sources)")


if __name__ == "__main__":
    main()

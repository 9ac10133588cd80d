"""Where checking spends its time: the benchmark's check loop under pyinstrument.

    python scripts/profile_check.py --sample 60 --negatives 300

Builds the benchmark's suspects from ../shared/data/bbc (see ``unspin bench``), then profiles
the indexing and checking of its unspin pass, and prints pyinstrument's call tree.
"""

from __future__ import annotations

import click
from pyinstrument import Profiler

import unspin.bench as bench


@click.command()
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=60, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=300, show_default=True)
def main(corpus: str, sample: int, negatives: int) -> None:
    profiler = Profiler(interval=0.0005)
    measured = bench.run_unspin

    def profiled(*args, **kwargs):
        profiler.start()
        try:
            return measured(*args, **kwargs)
        finally:
            profiler.stop()

    bench.run_unspin = profiled
    config = bench.Config(corpus=corpus, sample=sample, negatives=negatives, out="/tmp/unspin-profile",
                          memory=False, plots=False)
    bench.run(config, log=lambda message: None)
    click.echo(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()

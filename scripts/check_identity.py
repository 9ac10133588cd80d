"""The JSON of every check of the benchmark's suspects, to show that a change left them alone.

    python scripts/check_identity.py --out /tmp/before.jsonl [--db /tmp/grown.db --sources 20000]
    (change the code)
    python scripts/check_identity.py --out /tmp/after.jsonl [--db /tmp/grown.db --sources 20000]
    cmp /tmp/before.jsonl /tmp/after.jsonl

Builds the suspects that ``unspin bench`` builds (as scripts/profile_check.py does), indexes
its sources (grown with its generated articles to ``--sources``, as ``unspin bench --sources``
grows them), checks every suspect in batches as ``unspin check`` does, and writes one line of
``unspin check --json`` per suspect: verdicts, matches, scores, passages, shared quotes.
"""

from __future__ import annotations

import os
import sys
import tempfile

import click

sys.path.insert(0, os.path.dirname(__file__))

from profile_check import benchmark_cases, grow  # noqa: E402

from unspin.check import Checker  # noqa: E402
from unspin.document import Document  # noqa: E402
from unspin.index import Index  # noqa: E402
from unspin.report import result_json, write_json_line  # noqa: E402


@click.command()
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=100, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=500, show_default=True)
@click.option("--sources", "grow_to", type=click.IntRange(min=0), default=0,
              help="Grow the index with the benchmark's generated articles to this many sources.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Keep the index here, and reuse it if it exists.")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The JSON lines written.")
def main(corpus: str, sample: int, negatives: int, grow_to: int, db: str | None, out: str) -> None:
    sources, suspects = benchmark_cases(corpus, sample, negatives)
    with tempfile.TemporaryDirectory() as workdir, Index(db or os.path.join(workdir, "identity.db")) as store:
        grow(store, sources, grow_to)
        documents = [Document(suspect.id, suspect.text) for suspect in suspects]
        with open(out, "w", encoding="utf-8") as stream:
            for result in Checker(store).check_all(documents):
                write_json_line(result_json(result), stream)
        click.echo(f"{len(documents)} suspects against {len(store):,} sources written to {out}")


if __name__ == "__main__":
    main()

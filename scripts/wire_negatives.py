"""False alarms on unrelated wire news: agencies' market, commodity and freight reports, earnings
and company announcements, central-bank and loan news, sports results, none a copy of another.

    python scripts/wire_negatives.py ../shared/data-dev/wire-raw [--seed 1] [--quote 160]

A stand-in for held-out wire news of another agency and decade, which repeats its stock phrases
("trade sources said", "validly tendered and not withdrawn") and its tables from one report to
the next. RAW is a folder of transcriptions in the format of ``scripts/templates/build.py``
(``@@@ kind<TAB>address`` on a line of its own, then the text), gathered from stored public
pages and kept outside the repository. Repeated addresses are dropped, and so is every text that
copies another, by the test of ``scripts/templates/build.py``: :data:`COPIED` words or more shared
in runs of ``build.RUN`` or more (a republished story). A report that repeats its agency's stock
sentence keeps its place: that is exactly the text a tool must not call a copy.

The texts are shuffled with ``--seed`` and split in two halves; each half is indexed in turn and
every text of the other half checked against it (``unspin.check.Checker``, as ``unspin check``
does). A false alarm is any verdict but ``original``: the script prints each with its kind, its
match, the judgement's figures and the evidence passages (the first ``--quote`` characters of
each, to stdout only), then the count. Reads the texts, never copies them.
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import click

from unspin.check import Checker, Result, warm_up
from unspin.document import Document
from unspin.index import Index

sys.path.insert(0, str(Path(__file__).with_name("templates")))
from build import COPIED, records, shared_in_runs  # noqa: E402  (the templates set's records and test of a copy)


def documents(found: list[tuple[str, str, str]]) -> tuple[list[Document], dict[str, str], int]:
    """One document a new address (id ``kind/NNN``), each address by id, and how many texts
    were dropped for reusing another's words."""
    seen: set[str] = set()
    kept: list[Document] = []
    words: list[list[str]] = []
    where: dict[str, str] = {}
    for kind, address, text in found:
        if address in seen or not text:
            continue
        seen.add(address)
        these = re.findall(r"\w+", text.lower())
        if any(shared_in_runs(these, other) >= COPIED for other in words):
            continue  # it copies an earlier text: a republished story, not an unrelated report
        kept.append(Document(f"{kind}/{len(kept):03d}", text))
        words.append(these)
        where[kept[-1].id] = address
    return kept, where, len(seen) - len(kept)


def check_half(indexed: list[Document], checked: list[Document], workdir: str) -> list[tuple[Document, Result]]:
    """Each of ``checked`` against an index of ``indexed``."""
    with Index(os.path.join(workdir, f"wire-{len(os.listdir(workdir))}.db")) as store:
        for _ in store.add(indexed, batch_size=1024):
            pass
        checker = Checker(store)
        return [(document, checker.check(document)) for document in checked]


def describe(document: Document, result: Result, where: dict[str, str], quote: int) -> list[str]:
    """A false alarm's lines: the text, its verdict, each match and its evidence passages."""
    lines = [f"{document.id}\t{result.verdict.value}\t{where.get(document.id, '')}"]
    for match in result.matches:
        judgement = match.judgement
        lines.append(f"  against {match.source.id} ({where.get(match.source.id, '')}): {match.verdict.value}, "
                     f"coverage {judgement.coverage:.3f}, spin rate {judgement.spin_rate:.3f}, score {judgement.score:.3f}")
        for passage in judgement.evidence:
            (s0, s1), (t0, t1) = passage.suspect, passage.source
            lines.append(f"    {passage.kind}, {passage.matched} words kept ({passage.matched_prose} of prose), "
                         f"{len(passage.substitutions)} changes: {document.text[s0:s1][:quote]!r}")
            if quote:
                lines.append(f"      source: {match.source.text[t0:t1][:quote]!r}")
    return lines


@click.command()
@click.argument("raw", type=click.Path(exists=True, file_okay=False))
@click.option("--seed", default=1, show_default=True, help="Shuffles the texts before they are split in halves.")
@click.option("--quote", default=160, show_default=True, type=click.IntRange(0),
              help="Characters of each evidence passage printed (0: none).")
def main(raw: str, seed: int, quote: int) -> None:
    """Index half the wire texts, check the other half against it, and the other way; print the false alarms."""
    kept, where, dropped = documents(records(Path(raw)))
    random.Random(seed).shuffle(kept)
    halves = kept[: len(kept) // 2], kept[len(kept) // 2:]
    print(f"{len(kept)} unrelated texts ({dropped} dropped as repeats or copies), halves of "
          f"{len(halves[0])} and {len(halves[1])}", flush=True)
    started, flagged = time.perf_counter(), []
    with tempfile.TemporaryDirectory(prefix="unspin-wire-") as workdir:
        warm_up(workdir)
        for indexed, checked in (halves, halves[::-1]):
            for document, result in check_half(indexed, checked, workdir):
                if result.verdict.value != "original":
                    flagged.append(document.id)
                    print("\n".join(describe(document, result, where, quote)), flush=True)
    print(f"{len(flagged)} of {len(kept)} texts flagged ({time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    sys.exit(main())

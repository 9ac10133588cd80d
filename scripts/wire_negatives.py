"""False alarms on unrelated wire news: agencies' market, commodity and freight reports, earnings
and company announcements, central-bank and loan news, sports results, none a copy of another.

    python scripts/wire_negatives.py ~/.cache/unspin-dev/wire-raw [--seed 1] [--quote 160] [--pages scripts/wire_pages.tsv]

A stand-in for held-out wire news of another agency and decade, which repeats its stock phrases
("trade sources said", "validly tendered and not withdrawn") and its tables from one report to
the next. RAW is a folder of transcriptions in the format of ``scripts/templates/build.py``
(``@@@ kind<TAB>address`` on a line of its own, then the text), gathered from stored public
pages and kept outside the repository. Repeated addresses are dropped, and so is every text that
copies another, by the test of ``scripts/templates/build.py``: :data:`COPIED` words or more shared
in runs of ``build.RUN`` or more (a republished story). A report that repeats its agency's stock
sentence keeps its place: that is exactly the text a tool must not call a copy.

How RAW was gathered (by hand; CI and other machines cannot repeat it, ``scripts/wire_pages.tsv``
lists what came of it): the ``pages`` corpus of the project's search tool (stored public web
pages, each result giving its address and the page's text from its beginning) was queried about
60 times, a kind at a time, in the words of the reports themselves, so that one query brings back
many days, companies or matches of one kind. Seven kinds, one file each: ``freight`` (Baltic
dry index dailies, "capesize, panamax and supramax"; tanker-market weeklies, "Middle East Gulf to
China"; Drewry's World Container
Index and the Shanghai Containerized Freight Index), ``commodities`` (oil settles, "Brent crude
futures settled"; COMEX gold and silver; CBOT grains and the AP's futures tables; ICE softs; Bursa
Malaysia palm oil; Dalian iron ore; Henry Hub gas; LME price tables), ``markets`` (Wall Street,
European, Asian, Australian and Indian closes, "the Sensex closed ... points higher"; the dollar
and the rupee, "at the interbank foreign exchange"; Treasury yields), ``earnings`` (quarterly
results, "net income ... per diluted share", "earnings at a glance"; losses),
``company`` (dividends "payable to shareholders of record", buybacks, tender offers "validly
tendered and not withdrawn", mergers and acquisitions, chief executives named or retiring; news
reports and companies' filing notes), ``banking`` (central banks holding or moving their rates,
the Fed's statements, banks' quarterly results and bad-loan provisions, loans to Brazil put on
non-accrual and reserves on loans to Argentina, a syndicated loan) and ``sports`` (football,
tennis, golf, cricket, basketball, baseball, American football and Formula One results). A result
that is a report of the kind was kept, with its address, as the beginning of its stored text: up
to about 1,500 characters, cut at a line end, navigation, share buttons, photo captions, ticker
tags and subscription notices left out. Not kept: pages *about* a kind (how a tender offer works,
what the Baltic index is), pages in other languages, stubs of a line that point elsewhere, and
mostly a second site's copy of a story already kept (the copy test drops the rest). Different
days and companies of one kind are what the set is for.

The texts are shuffled with ``--seed`` and split in two halves; each half is indexed in turn and
every text of the other half checked against it (``unspin.check.Checker``, as ``unspin check``
does). A false alarm is any verdict but ``original``: the script prints each with its kind, its
match, the judgement's figures and the evidence passages (the first ``--quote`` characters of
each, to stdout only), then the count. ``--pages FILE`` also writes the list of records (kind,
id, address, and ``kept`` or why it was dropped) for the repository, as ``scripts/wire_pages.tsv``.
Reads the texts, never copies them.
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
from build import COPIED, RUN, records, shared_in_runs  # noqa: E402  (the templates set's records and test of a copy)


def documents(found: list[tuple[str, str, str]]) -> tuple[list[Document], dict[str, str], list[tuple[str, str, str, str]]]:
    """One document a new address (id ``kind/NNN``), each address by id, and every record's row:
    (kind, id or empty, address, ``kept`` or why it was dropped)."""
    seen: set[str] = set()
    kept: list[Document] = []
    words: list[tuple[str, list[str]]] = []
    where: dict[str, str] = {}
    rows: list[tuple[str, str, str, str]] = []
    for kind, address, text in found:
        if address in seen or not text:
            rows.append((kind, "", address, "dropped: address seen before" if text else "dropped: no text"))
            continue
        seen.add(address)
        these = re.findall(r"\w+", text.lower())
        copied = next(((other, shared) for other, their in words
                       if (shared := shared_in_runs(these, their)) >= COPIED), None)
        if copied:  # it copies an earlier text: a republished story, not an unrelated report
            rows.append((kind, "", address, f"dropped: shares {copied[1]} words in runs of {RUN}+ with {copied[0]}"))
            continue
        kept.append(Document(f"{kind}/{len(kept):03d}", text))
        words.append((address, these))
        where[kept[-1].id] = address
        rows.append((kind, kept[-1].id, address, "kept"))
    return kept, where, rows


def write_pages(rows: list[tuple[str, str, str, str]], path: Path) -> None:
    """The list of records, one a line under a header, tab-separated."""
    lines = ["kind\tid\taddress\tstatus"] + ["\t".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


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
@click.option("--pages", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the list of records (kind, id, address, kept or why dropped) here: scripts/wire_pages.tsv.")
def main(raw: str, seed: int, quote: int, pages: Path | None) -> None:
    """Index half the wire texts, check the other half against it, and the other way; print the false alarms."""
    kept, where, rows = documents(records(Path(raw)))
    dropped = len(rows) - len(kept)
    if pages:
        write_pages(rows, pages)
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

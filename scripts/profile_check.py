"""Where checking spends its time: the benchmark's check loop, timed stage by stage.

    python scripts/profile_check.py --sample 40 --negatives 200 [--judge-parts]
    python scripts/profile_check.py --sources 100000 --db /tmp/p100k.db   # against a grown index


Builds the benchmark's suspects from ../shared/data/bbc (see ``unspin bench``), indexes its
sources, then checks every suspect with a timer (CPU time) around each stage that
:class:`unspin.check.Checker` calls. Timers, not a sampling profiler: a profiler's own cost
falls mostly on Python function calls and skews the shares towards them. (``tokenize``
counts the suspects, and any source read from an index older than stored layouts, inside
``source``.) Prints CPU microseconds per suspect by kind of suspect (checked one at a time),
then the stages' shares of a second pass in batches, as ``Checker.check_all`` checks. Each
result's intrinsic score is read, as ``unspin check`` reports it (the checker works it out when
first read: ``--no-intrinsic`` leaves it unread, as the benchmark's check loop does).
"""

from __future__ import annotations

import collections
import gc
import importlib
import os
import random
import tempfile
import time
from collections.abc import Callable
from typing import Any

import click
import numpy as np

import unspin.bench.spin as bench

from unspin.bench import corpus as bench_corpus

from unspin.bench import speed as bench_speed
from unspin.cli.app import GC_THRESHOLD
from unspin.document import Document
from unspin.index import Index

check = importlib.import_module("unspin.check")  # the module: unspin.check is the public function

clock = time.process_time
spent: collections.Counter[str] = collections.Counter()
calls: collections.Counter[str] = collections.Counter()


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += clock() - started
            calls[name] += 1

    return wrapper


def grow(store: Index, sources: list, grow_to: int) -> None:
    """Index the benchmark's sources (unless a kept index has them), grown with its generated
    articles to ``grow_to`` sources as ``unspin bench --sources`` grows them; then load the
    postings, so that what follows times checking, not the first reads."""
    if len(store) < len(sources):
        for _ in store.add(sources, batch_size=1024):
            pass
    if len(store) < grow_to:
        have = len(store)
        for _ in store.add(bench_speed.generated_documents(sources, grow_to - have, random.Random(1), start=have),
                           batch_size=4096):
            pass
    store.candidates(np.empty(0, dtype=np.uint64))


def benchmark_cases(corpus: str, sample: int, negatives: int) -> tuple[list, list]:
    """The sources and suspects that ``unspin bench`` would use."""
    captured: dict[str, Any] = {}

    def capture(sources: list, suspects: list, *args: Any) -> None:
        captured.update(sources=sources, suspects=suspects)
        raise StopIteration

    bench.run_unspin = capture  # the name the spin suite's run calls
    config = bench_corpus.Config(corpus=corpus, sample=sample, negatives=negatives, out=tempfile.mkdtemp(),
                                 memory=False, plots=False)
    try:
        bench.run(config, log=lambda message: None)
    except StopIteration:
        pass
    return captured["sources"], captured["suspects"]


@click.command()
@click.option("--corpus", default="../shared/data/bbc", show_default=True)
@click.option("--sample", type=int, default=40, show_default=True, help="Suspects per condition.")
@click.option("--negatives", type=int, default=200, show_default=True)
@click.option("--judge-parts", is_flag=True, help="Time the judge's parts too (inside the judge's own share).")
@click.option("--intrinsic/--no-intrinsic", default=True, show_default=True,
              help="Read each result's intrinsic score, as `unspin check` reports it.")
@click.option("--sources", "grow_to", type=click.IntRange(min=0), default=0,
              help="Grow the index with the benchmark's generated articles to this many sources.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Keep the index here, and reuse it if it exists (a grown index takes minutes to build).")
@click.option("--one-by-one/--batches-only", default=True, show_default=True,
              help="Also check each suspect alone, timed by kind of suspect.")
def main(corpus: str, sample: int, negatives: int, judge_parts: bool, intrinsic: bool, grow_to: int, db: str | None,
         one_by_one: bool) -> None:
    sources, suspects = benchmark_cases(corpus, sample, negatives)
    gc.set_threshold(GC_THRESHOLD, 50, 100)  # as the unspin command sets it
    for name in ("tokenize", "fingerprint", "passage_spans", "align", "judge", "quoted_words", "intrinsic_score",
                 "detect_language"):
        setattr(check, name, timed(name, getattr(check, name)))
    if judge_parts:
        import unspin.judge as judge

        for name in ("is_template", "change_counts", "is_quote", "one_reuse", "chained", "_verdict", "is_evidence"):
            setattr(judge, name, timed(f"judge: {name}", getattr(judge, name)))
        judge._RareProse.kept = timed("judge: kept", judge._RareProse.kept)
        check.common_words = timed("common_words", check.common_words)
        import unspin.diff as diff_module

        diff_module._substitutions = timed("diff: _substitutions", diff_module._substitutions)
        diff_module._Substitutions.tally = timed("diff: tally", diff_module._Substitutions.tally)
    check.Checker._keys = timed("keys (stored)", check.Checker._keys)
    if hasattr(check.Checker, "_neighbours"):  # the phrases the suspect's candidates share (unspin/neighbours.py)
        from unspin.neighbours import Neighbours

        check.Checker._neighbours = timed("neighbours", check.Checker._neighbours)
        Neighbours.others = timed("neighbours: others", Neighbours.others)
    check.Checker._source = timed("source (read)", check.Checker._source)
    Index.candidates_of = timed("retrieve", Index.candidates_of)
    by_kind: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as workdir, Index(db or os.path.join(workdir, "profile.db")) as store:
        grow(store, sources, grow_to)
        documents = [Document(suspect.id, suspect.text) for suspect in suspects]
        checker = check.Checker(store)
        for suspect, document in zip(suspects if one_by_one else [], documents):  # one at a time, by kind
            one = clock()
            result = checker.check(document)
            if intrinsic:
                result.intrinsic
            kind = "negative" if suspect.source is None else suspect.condition.split("-")[0]
            by_kind[kind] += clock() - one
            counts[kind] += 1
        spent.clear()
        calls.clear()
        checker = check.Checker(store)
        started = clock()
        for result in checker.check_all(documents):  # in batches, as the benchmark and the CLI check
            if intrinsic:
                result.intrinsic
        total = clock() - started
        count = len(store)
    click.echo(f"{len(suspects)} suspects against {count:,} sources: {total:.2f} s CPU, "
               f"{len(suspects) / total:.0f} suspects/s")
    click.echo("one at a time, by kind of suspect:")
    for kind, seconds in by_kind.items():
        click.echo(f"  {kind:24s} {counts[kind]:5d} suspects {1e6 * seconds / counts[kind]:7.0f} us each")
    click.echo("in batches (check_all):")
    click.echo("stage                     share    calls  us/call")
    for name, seconds in spent.most_common():
        click.echo(f"  {name:24s} {100 * seconds / total:4.0f}% {calls[name]:8d} {1e6 * seconds / calls[name]:8.1f}")


if __name__ == "__main__":
    main()

"""`unspin index`: add sources to an index, list, count and remove them."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click

from unspin.document import ReadError
from unspin.read import Limits, Selection, read_documents
from unspin.cli.app import (main, err, report_error, report_skipped, progress_bar, db_option,
                           max_bytes_option, paths_argument, exclude_option, index_semantic_option,
                           semantic_model_option, indexing_model, documents_only, rate_text,
                           open_index, open_existing)


@main.group()
def index() -> None:
    """Build and inspect the index of sources."""


@index.command("add")
@paths_argument
@db_option
@max_bytes_option
@click.option("--batch-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="Documents per transaction: an interrupted run keeps every finished batch.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes at work, this one included: the others tokenize and fingerprint the "
                   "sources while this one writes them (0: one worker per core, as the writer mostly waits on them; 1: this one alone). The same index.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@exclude_option
@index_semantic_option
@semantic_model_option
def index_add(paths: tuple[str, ...], db: str | None, max_bytes: int, batch_size: int, workers: int,
              quiet: bool, exclude: tuple[str, ...], semantic: bool | None, semantic_model: str | None) -> None:
    """Add sources to the index (or update them).

    A document already indexed with the same text is skipped, so rerunning an
    interrupted add completes it. A document whose id is known but whose text changed
    replaces the old one. A file's id (unless it holds its own: a JSONL id, a page's URL)
    is its path from the folder holding the PATH given: 'archive/' gives archive/a.txt,
    from any working folder.
    """
    from unspin.index import default_db_path
    from unspin.prepare import default_workers

    counts: Counter[str] = Counter()
    selection = Selection(exclude)
    with open_index(db) as store, progress_bar("indexing", not quiet and err.is_terminal) as (progress, task):
        model = indexing_model(store, semantic, semantic_model)
        documents = documents_only(read_documents(paths, Limits(max_bytes=max_bytes), selection), counts)
        for done, (_, outcome) in enumerate(store.add(documents, batch_size=batch_size,
                                                           workers=workers - 1 if workers else default_workers()), start=1):
            counts[outcome.value] += 1
            progress.update(task, advance=1, rate=rate_text(progress, task, done))
        total = len(store)
        if model is not None:
            from unspin.semantic.store import SemanticStore, record_setting

            record_setting(store, model.name)
            vectors = progress.add_task("embedding sentences", total=None, rate="")
            SemanticStore(store, model).sync(lambda n: progress.update(vectors, advance=n))
    report_skipped(selection)
    err.print(
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['errors']} errors; {total} sources in {db or default_db_path()}"
    )
    if counts["errors"]:
        sys.exit(1)


@index.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def index_stats(db: str | None, as_json: bool) -> None:
    """Show how many sources the index holds and how big it is."""
    with open_existing(db) as store:
        stats = store.stats()
    if as_json:
        click.echo(json.dumps(stats))
        return
    for key, value in stats.items():
        if isinstance(value, dict):  # sources by language
            value = ", ".join(f"{name} {count:,}" for name, count in value.items()) or "none"
        click.echo(f"{key.replace('_', ' '):<26} {value:,}" if isinstance(value, int) else f"{key:<26} {value}")


@index.command("list")
@db_option
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many sources.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--search", default=None, help="Only sources whose id, title or URL contains this.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def index_list(db: str | None, limit: int | None, offset: int, search: str | None, as_json: bool) -> None:
    """List the sources in the index, oldest first."""
    with open_existing(db) as store:
        for row in store.list(limit=limit, offset=offset, search=search):
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                click.echo(f"{row['id']}\t{row['title'] or ''}\t{row['words']} words")


@index.command("remove")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@db_option
def index_remove(ids: tuple[str, ...], db: str | None) -> None:
    """Remove sources by id."""
    with open_existing(db) as store:
        removed = set(store.remove(ids))
        from unspin.semantic.store import prune

        prune(store)
    for doc_id in ids:
        if doc_id not in removed:
            report_error(ReadError(doc_id, "not in the index"))
    err.print(f"{len(removed)} removed")
    if len(removed) < len(set(ids)):
        sys.exit(1)

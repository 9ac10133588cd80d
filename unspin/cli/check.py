"""`unspin check`, `unspin compare` and `unspin extract`: suspects judged, one pair judged, text extracted."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click
from rich.console import Console

from unspin.document import Document, ReadError
from unspin.read import Limits, Selection, read_documents
from unspin.cli.app import (main, err, report_error, report_skipped, progress_bar, stdout_console,
                           db_option, max_bytes_option, paths_argument, exclude_option,
                           semantic_option, check_semantic_model_option, checking_model, rate_text,
                           open_existing)


# --- check ---------------------------------------------------------------------------


@main.command()
@paths_argument
@db_option
@max_bytes_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per suspect per line (see README).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write an HTML report with suspect and source side by side.")
@click.option("--candidates", type=click.IntRange(min=1), default=10, show_default=True,
              help="Sources retrieved and aligned per suspect.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --json (and neither --html nor the semantic view): processes that check suspects at "
                   "once past the first 64, sharing the index's pages (0: one per core; 1: this one alone). "
                   "The same lines, in input order.")
@exclude_option
@semantic_option
@check_semantic_model_option
def check(paths: tuple[str, ...], db: str | None, max_bytes: int, as_json: bool, html_file: str | None, candidates: int,
          workers: int, exclude: tuple[str, ...], semantic: bool | None, semantic_model: str | None) -> None:
    """Check suspects against the index: verdict, sources and evidence.

    Verdicts: copy (near-verbatim), spun (systematic word swaps), paraphrase
    (reworded, same content in the same order), partial (some passages reused),
    original (nothing found). Exits with status 1 when an input could not be read.
    """
    from unspin.check import Checker, Result
    from unspin.report import html_report, print_result, result_json, write_json_line

    out = stdout_console()
    results: list[Result | ReadError] = []
    errors = 0
    selection = Selection(exclude)
    # A progress bar on the terminal only when the results go elsewhere (a file, a pipe).
    show_progress = err.is_terminal and not out.is_terminal
    with open_existing(db) as store, progress_bar("checking", show_progress) as (progress, task):
        model = checking_model(store, semantic, semantic_model)
        if model is None:
            checker = Checker(store, candidates=candidates)
        else:
            from unspin.semantic.store import SemanticChecker

            checker = SemanticChecker(store, candidates=candidates, model=model)
            missing = checker.store.missing()
            if missing:  # an interrupted 'index add --semantic', or sources added by the server
                err.print(f"unspin: embedding the sentences of {missing} source{'s' if missing > 1 else ''} of "
                          f"{store.path} that have no {model.name} vectors yet", highlight=False, markup=False)
                vectors = progress.add_task("embedding sources", total=missing, rate="")
                checker.sync(lambda n: progress.update(vectors, advance=n))
        inputs = read_documents(paths, Limits(max_bytes=max_bytes), selection)
        items: Iterable[Result | ReadError | str]
        if model is None and as_json and not html_file:  # JSON lines alone, without the semantic view's model
            from unspin.cli.parallel import checked

            items = checked(checker, inputs, store.path, candidates, workers or os.cpu_count() or 1)
        else:
            items = checker.check_all(inputs)
        for done, item in enumerate(items, start=1):
            progress.update(task, advance=1, rate=rate_text(progress, task, done))
            if isinstance(item, ReadError):
                errors += 1
                report_error(item)
            if as_json:
                write_json_line(item if isinstance(item, str) else result_json(item), sys.stdout)
            elif isinstance(item, Result):
                print_result(out, item)
            if html_file:
                results.append(item)
    report_skipped(selection)
    if html_file:
        Path(html_file).write_text(html_report(results), encoding="utf-8")
        err.print(f"HTML report written to {html_file}")
    if errors:
        sys.exit(1)


# --- compare -------------------------------------------------------------------------


@main.command()
@click.argument("suspect", metavar="SUSPECT")
@click.argument("source", metavar="SOURCE")
@max_bytes_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the match as JSON: one object, as in the matches of 'check --json'.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write an HTML report with suspect and source side by side.")
def compare(suspect: str, source: str, max_bytes: int, as_json: bool, html_file: str | None) -> None:
    """Judge one suspect against one source, without an index.

    Each of SUSPECT and SOURCE is one document: a file (.txt, .html, ...), or - for
    standard input. Prints the verdict of the pair (copy, spun, paraphrase, partial or
    original), its figures and passages, as 'check' does for each match.
    """
    from unspin.check import compare_documents
    from unspin.report import html_report, match_json, print_result, write_json_line

    if suspect == source == "-":
        raise click.ClickException("only one of SUSPECT and SOURCE can be - (standard input)")
    limits = Limits(max_bytes=max_bytes)
    suspect_doc, source_doc = _one_document(suspect, "SUSPECT", limits), _one_document(source, "SOURCE", limits)
    # Unlike check, the match is shown whatever its verdict: this source is the one asked about.
    result = compare_documents(suspect_doc, source_doc)
    if as_json:
        write_json_line(match_json(result.matches[0], suspect_doc), sys.stdout)
    else:
        print_result(Console(highlight=False, soft_wrap=True), result)
    if html_file:
        Path(html_file).write_text(html_report([result], title="unspin compare"), encoding="utf-8")
        err.print(f"HTML report written to {html_file}")


def _one_document(path: str, role: str, limits: Limits) -> Document:
    """The one document at ``path``, or a one-line error naming it."""
    documents = []
    for item in read_documents([path], limits):
        if isinstance(item, ReadError):
            raise click.ClickException(f"{role} {item}")
        documents.append(item)
        if len(documents) > 1:
            raise click.ClickException(f"{role} {path}: holds more than one document; compare takes one of each")
    if not documents:
        raise click.ClickException(f"{role} {path}: no document in it")
    return documents[0]


# --- extract -------------------------------------------------------------------------


@main.command()
@paths_argument
@max_bytes_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line, with the text.")
@exclude_option
def extract(paths: tuple[str, ...], max_bytes: int, as_json: bool, exclude: tuple[str, ...]) -> None:
    """Print the text and metadata that unspin reads from each input.

    Offsets in 'unspin check --json' point into exactly this text.
    """
    from unspin.report import document_json, write_json_line

    errors = 0
    selection = Selection(exclude)
    for item in read_documents(paths, Limits(max_bytes=max_bytes), selection):
        if isinstance(item, ReadError):
            errors += 1
            report_error(item)
            if as_json:
                write_json_line(document_json(item), sys.stdout)
            continue
        if as_json:
            write_json_line(document_json(item), sys.stdout)
        else:
            meta = "  ".join(f"{k}: {v}" for k, v in item.metadata().items() if v and k != "id")
            click.echo(f"==> {item.id}" + (f"  ({meta})" if meta else ""))
            click.echo(item.text)
            click.echo()
    report_skipped(selection)
    if errors:
        sys.exit(1)

"""The ``unspin`` command: a thin shell over the library."""

from __future__ import annotations

import functools
import gc
import json
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                           TimeElapsedColumn)
from rich.text import Text

from unspin import __version__
from unspin.document import Document, ReadError
from unspin.read import Limits, Selection, read_documents

# The pipeline (NumPy, the index, the checker, the report) is imported by the commands that use
# it, not here: '--help' and a usage error answer at once.
if TYPE_CHECKING:
    from unspin.check import Result
    from unspin.index import Index

GC_THRESHOLD = 20_000  # allocations between two collections of young objects (CPython's default: 700)

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message, whatever the width
PIPE_WIDTH = 10_000  # columns of standard output that is not a terminal: room for any table row on one line

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Index database file. Default: $UNSPIN_DB, else ./unspin.db.",
)
max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=Limits.max_bytes,
    show_default=True,
    help="Refuse a file or record larger than this, after decompression.",
)
paths_argument = click.argument("paths", nargs=-1, required=True, metavar="PATH...")
exclude_option = click.option(
    "--exclude", "exclude", multiple=True, metavar="GLOB",
    help="Skip the files under the folders and globs given whose name, or path from the folder given, "
         "matches GLOB (repeatable; a folder that matches is skipped whole). README, LICENSE, COPYING, "
         "CHANGELOG, NOTICE and AUTHORS files are skipped there anyway; a file named is always read.",
)
semantic_option = click.option(
    "--semantic/--no-semantic",
    default=None,
    help="Also align sentences by meaning (needs the 'semantic' extra). Default: $UNSPIN_SEMANTIC, "
         "else on when the index was built with --semantic.",
)
def _semantic_model_option(help_text: str):  # type: ignore[no-untyped-def]
    return click.option("--semantic-model", type=click.Choice(["minilm", "static"]), default=None, help=help_text)


semantic_model_option = _semantic_model_option(
    "Sentence embeddings for the semantic view; another model than the index's re-embeds every source. "
    "Default: $UNSPIN_SEMANTIC_MODEL, else the index's, else static.")
check_semantic_model_option = _semantic_model_option(
    "Sentence embeddings for the semantic view: the index's (the default); another one is refused, "
    "since the sources would have to be embedded again ('index add --semantic-model' does that).")


class UnspinGroup(click.Group):
    """click's command group, with every error in unspin's one style: ``unspin: error: ...``.

    click prints its own errors (usage errors, ``ClickException``) as ``Error: ...``; they are
    caught here and printed like the errors about inputs, with click's exit statuses (2 for a
    usage error, 1 otherwise).
    """

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # type: ignore[override]
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as error:
            _show_click_error(error)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        # Without standalone mode, click returns what ctx.exit() was given (--help, --version).
        sys.exit(status if isinstance(status, int) else 0)


def _show_click_error(error: click.ClickException) -> None:
    """A click error in unspin's style; a usage error after the command's usage line and where to get help."""
    if type(error).show not in (click.ClickException.show, click.UsageError.show):
        error.show()  # not an error message: the help that a bare group ('unspin index') shows
        return
    context = error.ctx if isinstance(error, click.UsageError) else None
    if context is not None:
        click.echo(context.get_usage(), err=True)
        if context.command.get_help_option(context) is not None:
            click.echo(f"Try '{context.command_path} --help' for help.", err=True)
    print_error(error.format_message())


@click.group(cls=UnspinGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unspin")
def main() -> None:
    """Find scraped and spun copies of articles and trace each one to its source.

    Index your sources once, then check suspects against them:

    \b
        unspin index add archive/
        unspin check suspect.html crawl/ --json

    PATH may be a file (.txt, .html, .htm, .jsonl, also gzipped; .warc, .warc.gz,
    .arc, .arc.gz), a folder (read recursively), a glob, or - for standard input.
    """
    # Checking makes many small short-lived lists and tuples, and CPython's default
    # thresholds run a collection every 700 of them, each one walking the words kept of the
    # sources at hand: about a tenth of a check's time. A batch command makes few cycles,
    # so collect far less often (as mypy does).
    gc.set_threshold(GC_THRESHOLD, 50, 100)


def stdout_console() -> Console:
    """Standard output for verdicts and tables: the terminal's width on a terminal; in a pipe or a file,
    each row on one line (rich would fold it at 80 columns), so that ids come out whole for grep and scripts."""
    console = Console(highlight=False, soft_wrap=True)
    return console if console.is_terminal else Console(highlight=False, soft_wrap=True, width=PIPE_WIDTH)


def report_error(error: ReadError) -> None:
    """One line on standard error that names the input."""
    print_error(str(error))


def print_error(message: str) -> None:
    """An error in unspin's one style: one line on standard error, ``unspin: error: message``."""
    # A Text, not markup: a path or a library's message may hold brackets.
    err.print(Text.assemble(("unspin: error:", "red"), " ", " ".join(message.split())), soft_wrap=True)


def report_skipped(selection: Selection) -> None:
    """One line on standard error saying which files under the folders given were left out."""
    skipped = selection.skipped
    if skipped:
        folders = sum(name.endswith("/") for name in skipped)
        counts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((len(skipped) - folders, "file"), (folders, "folder")) if n]
        shown = ", ".join(skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        err.print(f"skipped {' and '.join(counts)} ({shown}): not documents (README, LICENSE and the like) "
                  "or --exclude; name a file to read it", markup=False)


@contextmanager
def progress_bar(description: str, enabled: bool) -> Iterator[tuple[Progress, TaskID]]:
    """A progress bar on standard error, and its task counting the documents done."""
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
    with Progress(*columns, console=err, disable=not enabled, transient=True) as progress:
        yield progress, progress.add_task(description, total=None, rate="")


# --- index ---------------------------------------------------------------------------


@main.group()
def index() -> None:
    """Build and inspect the index of sources."""


@index.command("add")
@paths_argument
@db_option
@max_bytes_option
@click.option("--batch-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="Documents per transaction: an interrupted run keeps every finished batch.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@exclude_option
@semantic_option
@semantic_model_option
def index_add(paths: tuple[str, ...], db: str | None, max_bytes: int, batch_size: int, quiet: bool,
              exclude: tuple[str, ...], semantic: bool | None, semantic_model: str | None) -> None:
    """Add sources to the index (or update them).

    A document already indexed with the same text is skipped, so rerunning an
    interrupted add completes it. A document whose id is known but whose text changed
    replaces the old one. A file's id (unless it holds its own: a JSONL id, a page's URL)
    is its path from the folder holding the PATH given: 'archive/' gives archive/a.txt,
    from any working folder.
    """
    from unspin.index import default_db_path

    counts: Counter[str] = Counter()
    selection = Selection(exclude)
    with _open_index(db) as store, progress_bar("indexing", not quiet and err.is_terminal) as (progress, task):
        model = _semantic_model(store, semantic, semantic_model)
        documents = _documents_only(read_documents(paths, Limits(max_bytes=max_bytes), selection), counts)
        for done, (_, outcome) in enumerate(store.add(documents, batch_size=batch_size), start=1):
            counts[outcome.value] += 1
            progress.update(task, advance=1, rate=_rate(progress, task, done))
        total = len(store)
        if model is not None:
            from unspin.semantic_index import SemanticStore, record_setting

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


def _semantic_model(store: Index, flag: bool | None, name: str | None):
    """The embedder of the semantic view when it is on (flag, else $UNSPIN_SEMANTIC, else the index's setting)."""
    from unspin import semantic as sem
    from unspin.semantic_index import semantic_setting

    recorded = semantic_setting(store)
    if not _semantic_on(flag, recorded):
        return None
    chosen = _backend(name or os.environ.get("UNSPIN_SEMANTIC_MODEL") or recorded)
    if recorded is not None and chosen != recorded:
        err.print(f"unspin: the index {store.path} holds {recorded} vectors: embedding every source again "
                  f"with {chosen}", highlight=False, markup=False)
    return sem.embedder(chosen)


def _checking_model(store: Index, flag: bool | None, name: str | None):
    """The embedder of the semantic view for a check: the one the index was built with.

    A check reads the index's sentence vectors; it never embeds the sources with another
    model (minutes to hours, and the index rewritten) behind the user's back.
    """
    from unspin import semantic as sem
    from unspin.semantic_index import semantic_setting

    recorded = semantic_setting(store)
    if not _semantic_on(flag, recorded):
        return None
    if recorded is None:
        raise click.ClickException(
            f"the index {store.path} has no semantic view: build it with "
            f"'unspin index add PATH... --db {store.path} --semantic', or check without --semantic")
    asked, where = (name, "--semantic-model") if name else (os.environ.get("UNSPIN_SEMANTIC_MODEL"), "UNSPIN_SEMANTIC_MODEL")
    other = _backend(asked) if asked else recorded
    if other != recorded:
        raise click.ClickException(
            f"the index {store.path} was built with the semantic model {recorded}, not {other} ({where}): "
            f"check with {recorded}, or embed its sources with {other} first: "
            f"'unspin index add PATH... --db {store.path} --semantic --semantic-model {other}'")
    return sem.embedder(recorded)


def _semantic_on(flag: bool | None, recorded: str | None) -> bool:
    """Whether the semantic view is wanted (flag, else $UNSPIN_SEMANTIC, else the index's setting); a one-line
    error when it is but the extra is missing."""
    from unspin import semantic as sem

    on = flag if flag is not None else sem.enabled_by_env()
    if on is None:
        on = recorded is not None
    if on and not sem.available():
        raise click.ClickException(sem.INSTALL_HINT)
    return bool(on)


def _backend(name: str | None) -> str:
    from unspin import semantic as sem

    try:
        return sem.backend_name(name)
    except ValueError as error:  # from $UNSPIN_SEMANTIC_MODEL: the option itself is a choice
        raise click.ClickException(str(error)) from None


def _documents_only(items: Iterator[Document | ReadError], counts: Counter[str]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, ReadError):
            counts["errors"] += 1
            report_error(item)
        else:
            yield item


def _rate(progress: Progress, task: int, done: int) -> str:
    elapsed = progress.tasks[task].elapsed or 0
    return f"{done / elapsed:,.0f} docs/s" if elapsed > 0.5 else ""


def _open_index(db: str | None, create: bool = True) -> Index:
    """The index at ``db``, or a one-line error saying why it cannot be opened."""
    from unspin.index import Index, default_db_path

    path = db or default_db_path()
    try:
        return Index(path, create=create)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    except sqlite3.Error as error:  # not a database, a folder, no permission, no space
        raise click.ClickException(f"cannot open the index {path}: {error}") from None


def _open_existing(db: str | None) -> Index:
    return _open_index(db, create=False)


@index.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def index_stats(db: str | None, as_json: bool) -> None:
    """Show how many sources the index holds and how big it is."""
    with _open_existing(db) as store:
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
    with _open_existing(db) as store:
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
    with _open_existing(db) as store:
        removed = set(store.remove(ids))
        from unspin.semantic_index import prune

        prune(store)
    for doc_id in ids:
        if doc_id not in removed:
            report_error(ReadError(doc_id, "not in the index"))
    err.print(f"{len(removed)} removed")
    if len(removed) < len(set(ids)):
        sys.exit(1)


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
@exclude_option
@semantic_option
@check_semantic_model_option
def check(paths: tuple[str, ...], db: str | None, max_bytes: int, as_json: bool, html_file: str | None, candidates: int,
          exclude: tuple[str, ...], semantic: bool | None, semantic_model: str | None) -> None:
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
    with _open_existing(db) as store, progress_bar("checking", show_progress) as (progress, task):
        model = _checking_model(store, semantic, semantic_model)
        if model is None:
            checker = Checker(store, candidates=candidates)
        else:
            from unspin.semantic_index import SemanticChecker

            checker = SemanticChecker(store, candidates=candidates, model=model)
            missing = checker.store.missing()
            if missing:  # an interrupted 'index add --semantic', or sources added by the server
                err.print(f"unspin: embedding the sentences of {missing} source{'s' if missing > 1 else ''} of "
                          f"{store.path} that have no {model.name} vectors yet", highlight=False, markup=False)
                vectors = progress.add_task("embedding sources", total=missing, rate="")
                checker.sync(lambda n: progress.update(vectors, advance=n))
        for done, item in enumerate(checker.check_all(read_documents(paths, Limits(max_bytes=max_bytes), selection)), start=1):
            progress.update(task, advance=1, rate=_rate(progress, task, done))
            if isinstance(item, ReadError):
                errors += 1
                report_error(item)
            if as_json:
                write_json_line(result_json(item), sys.stdout)
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

# --- bench ---------------------------------------------------------------------------


DEFAULT_CORPUS = Path("..") / "shared" / "data" / "bbc"


@main.command()
@click.option("--corpus", type=click.Path(file_okay=False), default=None,
              help="Folder of articles (.txt, .html, .jsonl), one subfolder per topic. "
                   "Default: ../shared/data/bbc when it exists.")
@click.option("--sample", type=click.IntRange(min=1), default=None, help="Suspects per condition. [default: 100; 8 with --quick]")
@click.option("--negatives", type=click.IntRange(min=0), default=None, help="Unrelated held-out articles checked. [default: 500; 20 with --quick]")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed for the split, the spinner and the samples.")
@click.option("--sources", type=click.IntRange(min=0), default=0,
              help="Grow the index with generated documents up to this many sources (10k, 100k, 1M steps) to show scaling.")
@click.option("--thesaurus", "thesauri", multiple=True, default=None,
              help="Thesaurus for the spinner (repeatable). [default: wordnet, aiksaurus]")
@click.option("--out", type=click.Path(file_okay=False), default="docs/benchmarks", show_default=True,
              help="Folder for results.md, results.json and the PNG plots.")
@click.option("--quick", is_flag=True, help="A small run (for tests): few suspects, no memory pass.")
@click.option("--no-plots", is_flag=True, help="Do not draw the PNG plots (needs matplotlib).")
@click.option("--suite", type=click.Choice(["spin", "paraphrase", "pan", "templates", "intrinsic", "languages"]), default="spin",
              show_default=True,
              help="spin: spun copies of the corpus; paraphrase: the semantic view on real paraphrase pairs "
                   "(writes OUT/paraphrase.md; see docs/semantic.md); pan: passages reused in long documents, "
                   "PAN 2013 text alignment (writes OUT/pan.md); templates: false alarms among members of "
                   "template families, each checked against the others (writes OUT/templates.md); intrinsic: "
                   "the spin score from a text alone, spun copies against originals (writes OUT/intrinsic.md); languages: the corpus translated into other "
                   "languages with Apertium (writes OUT/languages.md).")
@click.option("--intrinsic-data", type=click.Path(file_okay=False), default=None,
              help="With --suite intrinsic: the folder holding bbc/, pan13-train/, extraction/ and paraphrase/. "
                   "Default: ../shared/data.")
@click.option("--paraphrase-data", type=click.Path(file_okay=False), default=None,
              help="With --suite paraphrase: the paraphrase data. Default: ../shared/data/paraphrase.")
@click.option("--paraphrase-split", type=click.Choice(["train", "test", "all"]), default="all", show_default=True,
              help="With --suite paraphrase: which half of the labelled pairs to use.")
@click.option("--view", "views", multiple=True, type=click.Choice(["lexical", "minilm", "static"]),
              help="With --suite paraphrase: detectors to run (repeatable). [default: all three]")
@click.option("--pan-data", type=click.Path(file_okay=False), default=None,
              help="With --suite pan: the PAN 2013 text-alignment corpus. Default: ../shared/data/pan13-train.")
@click.option("--pan-mode", type=click.Choice(["pairs", "index", "both"]), default="both", show_default=True,
              help="With --suite pan: judge each listed pair alone, check every suspect against an index of "
                   "every source, or both.")
@click.option("--pan-limit", type=click.IntRange(min=1), default=None,
              help="With --suite pan: at most this many pairs per category, drawn with --seed. "
                   "[default: all; 10 with --quick]")
@click.option("--templates-data", type=click.Path(file_okay=False), default=None,
              help="With --suite templates: the families of real pages, one subfolder each (built by "
                   "scripts/templates/build.py). Default: ../shared/data-dev/templates when it exists, "
                   "else synthetic families.")
@click.option("--templates-background", type=click.IntRange(min=0), default=None,
              help="With --suite templates: unrelated articles of --corpus indexed with the families. "
                   "[default: 500; 50 with --quick]")
@click.option("--language", "languages", multiple=True, metavar="LANG",
              help="With --suite languages: a language to translate into (repeatable). "
                   "[default: every one whose Apertium pairs are installed both ways]")
@click.option("--languages-data", type=click.Path(file_okay=False), default=None,
              help="With --suite languages: texts written in each language, LANG/ subfolders, checked as "
                   "negatives (scripts/language_negatives.py makes them). Default: ../shared/data-dev/languages.")
def bench(corpus: str | None, sample: int | None, negatives: int | None, seed: int, sources: int,
          thesauri: tuple[str, ...], out: str, quick: bool, no_plots: bool, suite: str = "spin",
          paraphrase_data: str | None = None, paraphrase_split: str = "all", views: tuple[str, ...] = (),
          pan_data: str | None = None, pan_mode: str = "both", pan_limit: int | None = None,
          templates_data: str | None = None, templates_background: int | None = None,
          intrinsic_data: str | None = None,
          languages: tuple[str, ...] = (), languages_data: str | None = None) -> None:
    """Measure recall by spin rate, false alarms and speed, against datasketch MinHashLSH.

    Writes OUT/results.md, OUT/results.json and PNG plots. Reads the corpus (never
    copies it): by default ../shared/data/bbc relative to the current folder.
    With --suite paraphrase, measures the semantic view instead (OUT/paraphrase.md).
    With --suite pan, PAN's text-alignment measures on reused passages (OUT/pan.md).
    With --suite templates, false alarms among members of template families (OUT/templates.md).
    With --suite intrinsic, the intrinsic spin score (OUT/intrinsic.md): --sample spun copies
    per thesaurus and rate, --negatives originals of each kind at most (default: all).
    With --suite languages, copies translated into other languages (OUT/languages.md).
    """
    if suite == "paraphrase":
        _bench_paraphrase(paraphrase_data, paraphrase_split, views, out, quick, corpus, negatives)
        return
    if suite == "pan":
        _bench_pan(pan_data, pan_mode, pan_limit or (10 if quick else None), seed, out, not no_plots)
        return
    if suite == "templates":
        background = templates_background if templates_background is not None else (50 if quick else 500)
        _bench_templates(templates_data, corpus, background, 10 if quick else None, seed, out)
        return
    if suite == "intrinsic":
        _bench_intrinsic(intrinsic_data, sample or (8 if quick else 100), negatives or (30 if quick else None),
                         seed, thesauri, out)
        return
    if suite == "languages":
        _bench_languages(corpus, languages, sample or (8 if quick else 100),
                         negatives if negatives is not None else (20 if quick else 500), seed, out, languages_data)
        return
    from unspin import bench as bench_module

    if corpus is None:
        if not DEFAULT_CORPUS.is_dir():
            raise click.ClickException(
                f"no corpus: {DEFAULT_CORPUS} does not exist; pass --corpus DIR (a folder of articles)")
        corpus = str(DEFAULT_CORPUS)
    if not Path(corpus).is_dir():
        raise click.ClickException(f"no corpus at {corpus}: not a folder")
    config = bench_module.Config(
        corpus=corpus,
        sample=sample or (8 if quick else 100),
        negatives=negatives if negatives is not None else (20 if quick else 500),
        seed=seed,
        sources=sources,
        out=out,
        thesauri=thesauri or bench_module.THESAURI,
        memory=not quick,
        plots=not no_plots,
        command=bench_module.command_line(),
    )
    try:
        results = bench_module.run(config, log=lambda line: err.print(line, highlight=False, markup=False))
    except (FileNotFoundError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    # The project's own run (docs/benchmarks) also refreshes docs/benchmarks.md.
    summary = Path(out).parent / "benchmarks.md" if Path(out).name == "benchmarks" and Path(out).parent.name == "docs" else None
    path = bench_module.write_report(results, out, plots=config.plots, summary=summary)
    click.echo(path.read_text(encoding="utf-8"))
    err.print(f"written to {path}")


def _run_suite(run: Callable[..., dict], write: Callable[[dict], Path], errors: tuple[type[Exception], ...] = ()
               ) -> None:
    """Run one benchmark suite (``run(log=, command=)``), write its report (``write(results)``)
    and show it; missing data or a missing component is a one-line error."""
    try:
        results = run(log=lambda line: err.print(line, highlight=False, markup=False),
                      command="unspin " + " ".join(sys.argv[1:]))
    except (FileNotFoundError, LookupError, *errors) as error:
        raise click.ClickException(str(error)) from None
    path = write(results)
    click.echo(path.read_text(encoding="utf-8"))
    err.print(f"written to {path}")


def _bench_paraphrase(data: str | None, split: str, views: tuple[str, ...], out: str, quick: bool,
                      corpus: str | None, negatives: int | None) -> None:
    from unspin import bench_semantic
    from unspin.semantic import SemanticUnavailable

    _run_suite(functools.partial(
        bench_semantic.run, data or bench_semantic.DEFAULT_DATA, modes=views or bench_semantic.MODES, split=split,
        sentences=8, limit=20 if quick else None, bbc=corpus or (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else None),
        negatives=negatives if negatives is not None else (20 if quick else 500)),
        lambda results: bench_semantic.write_report(results, out), errors=(SemanticUnavailable,))


def _bench_pan(data: str | None, mode: str, limit: int | None, seed: int, out: str, plots: bool) -> None:
    from unspin import bench_pan

    modes = bench_pan.MODES if mode == "both" else (mode,)
    _run_suite(functools.partial(bench_pan.run, data or bench_pan.DEFAULT_DATA, modes=modes, limit=limit, seed=seed),
               lambda results: bench_pan.write_report(results, out, plots=plots))


def _bench_templates(data: str | None, corpus: str | None, background: int, synthetic: int | None, seed: int,
                     out: str) -> None:
    from unspin import bench_templates

    if data is None and bench_templates.DEFAULT_DATA.is_dir():
        data = str(bench_templates.DEFAULT_DATA)
    corpus = corpus or (str(DEFAULT_CORPUS) if DEFAULT_CORPUS.is_dir() else None)
    if corpus is not None and not Path(corpus).is_dir():
        raise click.ClickException(f"no corpus at {corpus}: not a folder")
    _run_suite(functools.partial(bench_templates.run, data, corpus, background,
                                 synthetic or bench_templates.SYNTHETIC_MEMBERS, seed=seed),
               lambda results: bench_templates.write_report(results, out))


def _bench_intrinsic(data: str | None, sample: int, limit: int | None, seed: int, thesauri: tuple[str, ...],
                     out: str) -> None:
    from unspin import bench_intrinsic

    _run_suite(functools.partial(bench_intrinsic.run, data or bench_intrinsic.DEFAULT_DATA, sample=sample,
                                 limit=limit, seed=seed, thesauri=thesauri or bench_intrinsic.THESAURI),
               lambda results: bench_intrinsic.write_report(results, out))


def _bench_languages(corpus: str | None, languages: tuple[str, ...], sample: int, negatives: int, seed: int,
                     out: str, data: str | None) -> None:
    from unspin import bench_languages

    _run_suite(functools.partial(bench_languages.run, corpus or str(DEFAULT_CORPUS), list(languages), sample=sample,
                                 negatives=negatives, seed=seed,
                                 native=Path(data) if data else bench_languages.DEFAULT_NATIVE),
               lambda results: bench_languages.write_report(results, out))


# --- scan ----------------------------------------------------------------------------


@main.command()
@paths_argument
@db_option
@max_bytes_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True,
              help="JSON lines file to append results to; rerunning with the same file resumes.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per core).")
@click.option("--summary", "summary_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the per-site summary to FILE: JSON, or CSV when FILE ends in .csv.")
@click.option("--candidates", type=click.IntRange(min=1), default=10, show_default=True,
              help="Sources retrieved and aligned per page.")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True,
              help="Sites shown in the summary table.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary table.")
@exclude_option
def scan(paths: tuple[str, ...], db: str | None, max_bytes: int, out: str, workers: int,
         summary_file: str | None, candidates: int, top: int, quiet: bool, exclude: tuple[str, ...]) -> None:
    """Check a crawl (folders, WARC/ARC files, JSON lines) against the index, on every core.

    Results go to --out as JSON lines (the 'check --json' format, plus origin, site and
    words). A rerun with the same --out skips every page already there, so an
    interrupted scan resumes where it stopped. At the end, a per-site summary: pages,
    verdicts, share of the site's text copied and the sources it copies most.
    """
    from rich.progress import DownloadColumn, TimeRemainingColumn

    from unspin import scan as scanning
    from unspin.index import default_db_path

    path = db or default_db_path()
    limits = Limits(max_bytes=max_bytes)
    selection = Selection(exclude)
    columns = [SpinnerColumn(), TextColumn("scanning"), BarColumn(), DownloadColumn(),
               TextColumn("{task.fields[docs]:,} docs {task.fields[rate]}"), TimeRemainingColumn()]
    show = not quiet and err.is_terminal
    with Progress(*columns, console=err, disable=not show, transient=True) as progress:
        task = progress.add_task("scan", total=scanning.total_size(paths, exclude) or None, docs=0, rate="")

        def advance(docs: int, errors: int, size: int) -> None:
            progress.update(task, advance=size, docs=docs, rate=_rate(progress, task, docs))

        try:
            stats, results = scanning.scan(
                list(paths), path, out, workers=workers, candidates=candidates, limits=limits,
                on_progress=advance, on_error=lambda line: report_error(ReadError(line["id"], line["error"])),
                selection=selection,
            )
        except FileNotFoundError as error:
            raise click.ClickException(str(error)) from None
        elapsed = progress.tasks[task].elapsed or 0.0
    table = scanning.summarize(results)
    if summary_file:
        scanning.write_summary(table, summary_file)
    if not quiet:
        _print_sites(table[:top])
    report_skipped(selection)
    rate = f", {stats.scanned / elapsed:,.1f} docs/s" if elapsed > 0 and stats.scanned else ""
    earlier = f" (and {stats.earlier_errors} from earlier runs, in {out})" if stats.earlier_errors else ""
    err.print(
        f"{stats.scanned} scanned{rate}, {stats.skipped} already in {out}, {stats.errors} errors{earlier}; "
        + ", ".join(f"{stats.verdicts[v]} {v}" for v in scanning.VERDICTS),
        soft_wrap=True,
    )
    if stats.errors or stats.earlier_errors:  # a resumed scan ends as the uninterrupted one would
        sys.exit(1)


def _spin_cell(row: dict) -> str:
    """A site's mean intrinsic spin score, and how many of its pages it calls spun."""
    if row.get("spin_score") is None:
        return ""
    return f"{row['spin_score']:.2f} ({row['spun_pages']} spun)" if row["spun_pages"] else f"{row['spin_score']:.2f}"


def _print_sites(table: list[dict]) -> None:
    from rich.table import Table

    if not table:
        return
    view = Table(title="Sites, most copied first", title_justify="left")
    for name in ("site", "pages", "copy", "spun", "paraphrase", "partial", "copied", "spin score", "top source"):
        width = min(40, max(len(row["site"]) for row in table)) if name == "site" else None
        view.add_column(name, justify="left" if name in ("site", "top source") else "right",
                        overflow="ellipsis" if name == "top source" else "fold", no_wrap=name == "top source",
                        min_width=width)
    for row in table:
        top = row["top_sources"][0] if row["top_sources"] else None
        view.add_row(row["site"], str(row["pages"]), str(row["copy"]), str(row["spun"]), str(row["paraphrase"]),
                     str(row["partial"]), f"{row['copied_share']:.0%}", _spin_cell(row),
                     f"{top['source_id']} ({top['pages']})" if top else "")
    stdout_console().print(view)


# --- cluster -------------------------------------------------------------------------


@main.command()
@paths_argument
@max_bytes_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the groups here as JSON lines (default: standard output).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: this machine, multiprocessing. spark: Apache Spark through PySpark.")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master URL (with --engine spark): local[*], spark://host:7077, yarn, ...")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes of the local engine (0: one per core).")
@click.option("--max-df", type=click.IntRange(min=2), default=100, show_default=True,
              help="A feature shared by more documents than this proposes no pairs.")
@click.option("--partitions", type=click.IntRange(min=0), default=0, show_default=True,
              help="Spark partitions for the pair stages (0: Spark's default parallelism x 4).")
@exclude_option
def cluster(paths: tuple[str, ...], max_bytes: int, out: str | None, engine: str, master: str, workers: int,
            max_df: int, partitions: int, exclude: tuple[str, ...]) -> None:
    """Find every group of copies inside one collection, with no index.

    Each group has its likely original (earliest date, else the most complete text), its
    members (whole copies, with their verdicts) and its partial copies, keyed by document
    ids: keep the original and the partial copies, drop the members. With --engine spark,
    PATHs may be anything Spark reads (hdfs://, s3a://, globs).
    """
    from unspin import cluster as clustering

    limits = Limits(max_bytes=max_bytes)
    stats = clustering.ClusterStats()
    selection = Selection(exclude)
    if engine == "spark":
        try:
            from unspin import spark as spark_engine
        except ImportError as error:
            raise click.ClickException(f"the Spark engine needs PySpark: pip install 'unspin[spark]' ({error})") from None
        groups = spark_engine.cluster_paths(list(paths), master=master, max_df=max_df, limits=limits,
                                            partitions=partitions, on_error=report_error, stats=stats,
                                            selection=selection)
    else:
        groups = clustering.cluster_paths(list(paths), workers=workers, max_df=max_df, limits=limits,
                                          on_error=report_error, stats=stats, selection=selection)
    if out:
        with open(out, "w", encoding="utf-8") as stream:
            clustering.write_groups(groups, stream)
    else:
        clustering.write_groups(groups, sys.stdout)
    report_skipped(selection)
    copies = sum(len(g["members"]) for g in groups)
    partial = sum(len(g["partial"]) for g in groups)
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in stats.seconds.items())
    err.print(f"{stats.documents} documents, {len(groups)} groups, {copies} copies to drop, "
              f"{partial} partial copies to keep (text of their own); "
              f"{stats.candidates} candidate pairs, {stats.aligned} aligned; {stats.errors} errors"
              + (f" ({timing})" if timing else ""))
    if stats.errors:
        sys.exit(1)


# --- serve ---------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers this machine only.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="UNSPIN_TOKEN", default=None, show_envvar=True,
              help="Require 'Authorization: Bearer TOKEN' on the requests that change the index.")
@click.option("--max-request-bytes", type=click.IntRange(min=1), default=16 * 1024 * 1024, show_default=True,
              envvar="UNSPIN_MAX_REQUEST_BYTES", help="Answer a larger request body with 413.")
def serve(db: str | None, host: str, port: int, token: str | None, max_request_bytes: int) -> None:
    """Serve the web page and the JSON API over the index.

    Open http://127.0.0.1:8000/ to paste a text or drop a file and see its sources side
    by side; the API's documentation is at /docs. Needs the 'serve' extra:
    pip install 'unspin[serve]'.
    """
    try:
        import uvicorn

        from unspin.index import default_db_path
        from unspin.server import create_app, is_loopback, listening_socket
    except ImportError as error:
        raise click.ClickException(f"{error.name} is missing: install the server with pip install 'unspin[serve]'") from None
    path = db or default_db_path()
    if not is_loopback(host) and not token:
        err.print(f"[yellow]unspin: warning:[/yellow] listening on {host} without a token: anyone who can reach "
                  "it can change the index (set UNSPIN_TOKEN)")
    app = create_app(path, token=token or None, max_request_bytes=max_request_bytes)
    shown = f"[{host}]" if ":" in host else host
    # Bound here, not by uvicorn: a port in use is one line and exit status 1, and the
    # address is announced only once the server is listening on it.
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {shown}:{port}: {error.strerror or error}") from None
    err.print(f"unspin serving {path} on http://{shown}:{sock.getsockname()[1]}/ (API docs at /docs)"
              + ("; writes need the token" if token else ""))
    with sock:
        uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])


# --- spin ----------------------------------------------------------------------------

from unspin.spin_cli import spin  # noqa: E402  (its own module: a tool beside the pipeline)

main.add_command(spin)


# --- load ----------------------------------------------------------------------------


@main.command()
@click.option("--sources", type=click.Path(exists=True), default="samples/sources", show_default=True,
              help="Sources the server's fresh index starts with.")
@click.option("--suspects", type=click.Path(exists=True), default="samples/suspects", show_default=True,
              help="Texts the clients check, round and round.")
@click.option("--clients", type=click.IntRange(1, 64), default=4, show_default=True, help="Checking clients at once.")
@click.option("--seconds", type=click.FloatRange(1, 600), default=20, show_default=True, help="How long to run.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def load(sources: str, suspects: str, clients: int, seconds: float, seed: int, as_json: bool) -> None:
    """Load-test 'unspin serve' on loopback: clients checking while a writer adds sources.

    Starts a server on a free 127.0.0.1 port over a fresh index, runs for a bounded time,
    then reports requests per second, p50/p99 latency, errors and lost writes. Exits with
    status 1 if any request failed with a 5xx or any write was lost.
    """
    from unspin.load import run_load

    figures = run_load(Path(sources), Path(suspects), clients=clients, seconds=seconds, seed=seed).summary()
    if as_json:
        click.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            click.echo(f"{key.replace('_', ' '):<20} {value}")
    if figures["server_errors"] or figures["lost_writes"] or figures["transport_errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""The ``unspin`` command: a thin shell over the library."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                           TimeElapsedColumn)
from rich.text import Text

from unspin import __version__
from unspin.document import Document, ReadError
from unspin.read import Limits, Selection

# The pipeline (NumPy, the index, the checker, the report) is imported by the commands that use
# it, not here: '--help' and a usage error answer at once.
if TYPE_CHECKING:
    from unspin.index import Index

GC_THRESHOLD = 20_000  # allocations between two collections of young objects (CPython's default: 700)

# At exit, CPython's last collections free every object left in a cycle once the modules are
# cleared: numba's thousands of typing classes and registries, 0.3 of a fresh `unspin check`'s
# 1.2 CPU seconds. The process is ending and its memory goes back to the system all the same, so
# what is alive when the exit starts is frozen, out of their reach (atexit runs before them; the
# commands close their files and the index themselves, and Python flushes standard output).
atexit.register(gc.freeze)

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
index_semantic_option = click.option(
    "--semantic/--no-semantic",
    default=None,
    help="Also embed the sources' sentences for the semantic view (needs the 'semantic' extra). "
         "Default: $UNSPIN_SEMANTIC, else on when the index was built with --semantic.",
)
def _semantic_model_option(help_text: str):  # type: ignore[no-untyped-def]
    return click.option("--semantic-model", type=click.Choice(["minilm", "static"]), default=None, help=help_text)


semantic_model_option = _semantic_model_option(
    "Sentence embeddings for the semantic view; another model than the index's re-embeds every source. "
    "Default: $UNSPIN_SEMANTIC_MODEL, else the index's, else static.")
check_semantic_model_option = _semantic_model_option(
    "Sentence embeddings for the semantic view: the index's (the default); another one is refused, "
    "since the sources would have to be embedded again ('index add --semantic-model' does that).")


# Each command's module (in unspin.cli), imported when the command is asked for: a fresh `unspin
# check` imports no other command's module (bench, crawl, spin's thesaurus: about 5 ms of its
# 0.5 CPU s), and `unspin --help`, which lists them all, imports them all, as before.
COMMAND_MODULES = {"bench": "bench", "load": "bench", "check": "check", "compare": "check", "extract": "check",
                   "index": "index", "scan": "crawl", "cluster": "crawl", "serve": "serve", "spin": "spin"}


class UnspinGroup(click.Group):
    """click's command group, with every error in unspin's one style: ``unspin: error: ...``,
    and its commands' modules imported when a command is asked for (:data:`COMMAND_MODULES`).

    click prints its own errors (usage errors, ``ClickException``) as ``Error: ...``; they are
    caught here and printed like the errors about inputs, with click's exit statuses (2 for a
    usage error, 1 otherwise).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *(COMMAND_MODULES if self is main else ())})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if self is main and name not in self.commands:
            # A known command's module adds it to main; for a name that is none, all of them,
            # so that click's "did you mean" sees every command.
            for module in {COMMAND_MODULES[name]} if name in COMMAND_MODULES else set(COMMAND_MODULES.values()):
                importlib.import_module(f"unspin.cli.{module}")
        return super().get_command(ctx, name)

    def every_command(self) -> dict[str, click.Command]:
        """All its commands by name, their modules imported."""
        context = click.Context(self)
        return {name: command for name in self.list_commands(context)
                if (command := self.get_command(context, name)) is not None}

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


def indexing_model(store: Index, flag: bool | None, name: str | None):
    """The embedder of the semantic view when it is on (flag, else $UNSPIN_SEMANTIC, else the index's setting)."""
    from unspin.semantic import embed as sem
    from unspin.semantic.store import semantic_setting

    recorded = semantic_setting(store)
    if not semantic_on(flag, recorded):
        return None
    chosen = semantic_backend(name or os.environ.get("UNSPIN_SEMANTIC_MODEL") or recorded)
    if recorded is not None and chosen != recorded:
        err.print(f"unspin: the index {store.path} holds {recorded} vectors: embedding every source again "
                  f"with {chosen}", highlight=False, markup=False)
    return sem.embedder(chosen)


def checking_model(store: Index, flag: bool | None, name: str | None):
    """The embedder of the semantic view for a check: the one the index was built with.

    A check reads the index's sentence vectors; it never embeds the sources with another
    model (minutes to hours, and the index rewritten) behind the user's back.
    """
    from unspin.semantic import embed as sem
    from unspin.semantic.store import semantic_setting

    recorded = semantic_setting(store)
    if not semantic_on(flag, recorded):
        return None
    if recorded is None:
        raise click.ClickException(
            f"the index {store.path} has no semantic view: build it with "
            f"'unspin index add PATH... --db {store.path} --semantic', or check without --semantic")
    asked, where = (name, "--semantic-model") if name else (os.environ.get("UNSPIN_SEMANTIC_MODEL"), "UNSPIN_SEMANTIC_MODEL")
    other = semantic_backend(asked) if asked else recorded
    if other != recorded:
        raise click.ClickException(
            f"the index {store.path} was built with the semantic model {recorded}, not {other} ({where}): "
            f"check with {recorded}, or embed its sources with {other} first: "
            f"'unspin index add PATH... --db {store.path} --semantic --semantic-model {other}'")
    return sem.embedder(recorded)


def semantic_on(flag: bool | None, recorded: str | None) -> bool:
    """Whether the semantic view is wanted (flag, else $UNSPIN_SEMANTIC, else the index's setting); a one-line
    error when it is but the extra is missing."""
    from unspin.semantic import embed as sem
    on = flag if flag is not None else sem.enabled_by_env()
    if on is None:
        on = recorded is not None
    if on and not sem.available():
        raise click.ClickException(sem.INSTALL_HINT)
    return bool(on)


def semantic_backend(name: str | None) -> str:
    from unspin.semantic import embed as sem
    try:
        return sem.backend_name(name)
    except ValueError as error:  # from $UNSPIN_SEMANTIC_MODEL: the option itself is a choice
        raise click.ClickException(str(error)) from None


def documents_only(items: Iterator[Document | ReadError], counts: Counter[str]) -> Iterator[Document]:
    for item in items:
        if isinstance(item, ReadError):
            counts["errors"] += 1
            report_error(item)
        else:
            yield item


def rate_text(progress: Progress, task: int, done: int) -> str:
    elapsed = progress.tasks[task].elapsed or 0
    return f"{done / elapsed:,.0f} docs/s" if elapsed > 0.5 else ""


def open_index(db: str | None, create: bool = True) -> Index:
    """The index at ``db``, or a one-line error saying why it cannot be opened."""
    from unspin.index import Index, default_db_path

    path = db or default_db_path()
    try:
        return Index(path, create=create)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    except sqlite3.Error as error:  # not a database, a folder, no permission, no space
        raise click.ClickException(f"cannot open the index {path}: {error}") from None


def open_existing(db: str | None) -> Index:
    return open_index(db, create=False)

"""`unspin scan` and `unspin cluster`: a crawl against the index, and groups of copies inside a collection."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

from unspin.document import ReadError
from unspin.read import Limits, Selection
from unspin.cli.app import (main, err, report_error, report_skipped, stdout_console, db_option,
                           max_bytes_option, paths_argument, exclude_option, rate_text)


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

    from unspin.crawl import scan as scanning
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
            progress.update(task, advance=size, docs=docs, rate=rate_text(progress, task, docs))

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
    from unspin.crawl import cluster as clustering
    limits = Limits(max_bytes=max_bytes)
    stats = clustering.ClusterStats()
    selection = Selection(exclude)
    if engine == "spark":
        try:
            from unspin.crawl import spark as spark_engine
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

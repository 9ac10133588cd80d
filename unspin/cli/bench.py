"""`unspin bench` and `unspin load`: the benchmark suites and the server's load run."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from unspin.cli.app import main, err


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
              help="Grow the index with generated documents up to this many sources (10k, 100k, 1M steps) to show scaling "
                   "(0: not grown).")
@click.option("--thesaurus", "thesauri", multiple=True, default=None,
              help="Thesaurus for the spinner (repeatable). [default: wordnet, aiksaurus; all four with --suite intrinsic]")
@click.option("--out", type=click.Path(file_okay=False), default="docs/benchmarks", show_default=True,
              help="Folder for results.md, results.json and the PNG plots.")
@click.option("--quick", is_flag=True, help="A small run (for tests): few suspects, no memory pass.")
@click.option("--no-plots", is_flag=True, help="Do not draw the PNG plots (drawing them needs matplotlib).")
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
    from unspin.bench import spin as bench_module
    from unspin.bench import corpus as bench_corpus
    from unspin.bench import files as bench_files
    from unspin.bench import spin_report as bench_spin_report
    if corpus is None:
        if not DEFAULT_CORPUS.is_dir():
            raise click.ClickException(
                f"no corpus: {DEFAULT_CORPUS} does not exist; pass --corpus DIR (a folder of articles)")
        corpus = str(DEFAULT_CORPUS)
    if not Path(corpus).is_dir():
        raise click.ClickException(f"no corpus at {corpus}: not a folder")
    config = bench_corpus.Config(
        corpus=corpus,
        sample=sample or (8 if quick else 100),
        negatives=negatives if negatives is not None else (20 if quick else 500),
        seed=seed,
        sources=sources,
        out=out,
        thesauri=thesauri or bench_corpus.THESAURI,
        memory=not quick,
        plots=not no_plots,
        command=bench_files.command_line(),
    )
    try:
        results = bench_module.run(config, log=lambda line: err.print(line, highlight=False, markup=False))
    except (FileNotFoundError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    # The project's own run (docs/benchmarks) also refreshes docs/benchmarks.md.
    summary = Path(out).parent / "benchmarks.md" if Path(out).name == "benchmarks" and Path(out).parent.name == "docs" else None
    path = bench_spin_report.write_report(results, out, plots=config.plots, summary=summary)
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
    from unspin.bench import paraphrase as bench_semantic
    from unspin.semantic.embed import SemanticUnavailable

    _run_suite(functools.partial(
        bench_semantic.run, data or bench_semantic.DEFAULT_DATA, modes=views or bench_semantic.MODES, split=split,
        sentences=8, limit=20 if quick else None, bbc=corpus or (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else None),
        negatives=negatives if negatives is not None else (20 if quick else 500)),
        lambda results: bench_semantic.write_report(results, out), errors=(SemanticUnavailable,))


def _bench_pan(data: str | None, mode: str, limit: int | None, seed: int, out: str, plots: bool) -> None:
    from unspin.bench import pan as bench_pan
    modes = bench_pan.MODES if mode == "both" else (mode,)
    _run_suite(functools.partial(bench_pan.run, data or bench_pan.DEFAULT_DATA, modes=modes, limit=limit, seed=seed),
               lambda results: bench_pan.write_report(results, out, plots=plots))


def _bench_templates(data: str | None, corpus: str | None, background: int, synthetic: int | None, seed: int,
                     out: str) -> None:
    from unspin.bench import templates as bench_templates
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
    from unspin.bench import intrinsic as bench_intrinsic
    _run_suite(functools.partial(bench_intrinsic.run, data or bench_intrinsic.DEFAULT_DATA, sample=sample,
                                 limit=limit, seed=seed, thesauri=thesauri or bench_intrinsic.THESAURI),
               lambda results: bench_intrinsic.write_report(results, out))


def _bench_languages(corpus: str | None, languages: tuple[str, ...], sample: int, negatives: int, seed: int,
                     out: str, data: str | None) -> None:
    from unspin.bench import languages as bench_languages
    _run_suite(functools.partial(bench_languages.run, corpus or str(DEFAULT_CORPUS), list(languages), sample=sample,
                                 negatives=negatives, seed=seed,
                                 native=Path(data) if data else bench_languages.DEFAULT_NATIVE),
               lambda results: bench_languages.write_report(results, out))


# --- load ----------------------------------------------------------------------------


@main.command()
@click.option("--sources", type=click.Path(exists=True), default="samples/sources", show_default=True,
              help="Sources the server's fresh index starts with.")
@click.option("--suspects", type=click.Path(exists=True), default="samples/suspects", show_default=True,
              help="Texts the clients check, round and round.")
@click.option("--clients", type=click.IntRange(1, 64), default=4, show_default=True, help="Checking clients at once.")
@click.option("--seconds", type=click.FloatRange(1, 600), default=20, show_default=True, help="How long to run.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the texts the clients and the writer send.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def load(sources: str, suspects: str, clients: int, seconds: float, seed: int, as_json: bool) -> None:
    """Load-test 'unspin serve' on loopback: clients checking while a writer adds sources.

    Starts a server on a free 127.0.0.1 port over a fresh index, runs for a bounded time,
    then reports requests per second, p50/p99 latency, errors and lost writes. Exits with
    status 1 if any request failed with a 5xx or any write was lost.
    """
    from unspin.bench.load import run_load

    figures = run_load(Path(sources), Path(suspects), clients=clients, seconds=seconds, seed=seed).summary()
    if as_json:
        click.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            click.echo(f"{key.replace('_', ' '):<20} {value}")
    if figures["server_errors"] or figures["lost_writes"] or figures["transport_errors"]:
        sys.exit(1)

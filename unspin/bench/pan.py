"""The PAN suite of ``unspin bench --suite pan``: reuse of passages inside long documents.

Runs on the PAN 2013 text-alignment training corpus (read from ``../shared/data/pan13-train``,
never copied into the repository): essays (``susp/``) that take passages from several web
pages (``src/``), verbatim or obfuscated. Each category folder lists its (suspect, source)
pairs in ``pairs`` and gives, per pair, an XML file with the character offsets of each
reuse case in both documents.

Two modes:

* **pairs**: each listed pair judged alone, as PAN's text-alignment task runs
  (:func:`unspin.check.compare`, what ``unspin compare`` does). The detections of a pair
  are the passages of its match when the verdict is anything but ``original``.
* **index**: every source indexed, every suspect checked (what ``unspin check`` does). The
  detections of a pair are the passages of the suspect's match with that pair's source, if
  any; a case's source is *found* when it is among the suspect's matches.

Scored with PAN's measures (:mod:`unspin.bench.plagdet`) per category and overall (all cases pooled).
A pair with no reuse case and any detection is counted as a false detection.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from unspin.bench.files import write_results
from unspin.check import Checker, Match, Result, compare, warm_up
from unspin.document import Document
from unspin.index import Index
from unspin.judge import Verdict
from unspin.bench.plagdet import Annotation, Tally
from unspin.tokenize import tokenize

DEFAULT_DATA = Path("..") / "shared" / "data" / "pan13-train"
MODES = ("pairs", "index")
SHOWN = 20  # pair ids kept in the JSON per category, for a look at what went wrong


@dataclass(frozen=True)
class Pair:
    """A listed (suspect, source) pair and the reuse cases between them (none for a negative)."""

    category: str  # the folder: 02-no-obfuscation, ...
    suspect: str  # file name under susp/
    source: str  # file name under src/
    cases: tuple[Annotation, ...]

    @property
    def id(self) -> str:
        return f"{Path(self.suspect).stem}-{Path(self.source).stem}"


def load_pairs(data: Path) -> list[Pair]:
    """Every listed pair of every category folder, with its cases, in the files' order."""
    if not data.is_dir():
        raise FileNotFoundError(f"no PAN data at {data}: pass --pan-data DIR (a folder like ../shared/data/pan13-train)")
    folders = sorted(f for f in data.iterdir() if f.is_dir() and (f / "pairs").is_file())
    if not folders or not (data / "susp").is_dir() or not (data / "src").is_dir():
        raise FileNotFoundError(f"no PAN data at {data}: expected susp/, src/ and category folders with a 'pairs' file")
    pairs = []
    for folder in folders:
        for number, line in enumerate((folder / "pairs").read_text(encoding="utf-8").splitlines(), start=1):
            names = line.split()
            if not names:
                continue
            if len(names) != 2:
                raise LookupError(f"{folder / 'pairs'}, line {number}: expected 'suspect source'")
            suspect, source = names
            truth = folder / f"{Path(suspect).stem}-{Path(source).stem}.xml"
            pairs.append(Pair(folder.name, suspect, source, read_cases(truth, source)))
    return pairs


def read_cases(truth: Path, source: str) -> tuple[Annotation, ...]:
    """The reuse cases of one pair from its XML truth file."""
    try:
        root = ElementTree.parse(truth).getroot()
    except (OSError, ElementTree.ParseError) as error:
        raise LookupError(f"cannot read the truth file {truth}: {error}") from None
    cases = []
    for feature in root.iter("feature"):
        if feature.get("name") != "plagiarism" or feature.get("source_reference") != source:
            continue
        at, length = int(feature.get("this_offset", 0)), int(feature.get("this_length", 0))
        source_at, source_length = int(feature.get("source_offset", 0)), int(feature.get("source_length", 0))
        cases.append(Annotation((at, at + length), (source_at, source_at + source_length)))
    return tuple(cases)


def sample(pairs: list[Pair], limit: int | None, seed: int) -> list[Pair]:
    """At most ``limit`` pairs of each category, drawn with ``seed`` (the same every run), in
    the files' order."""
    if limit is None:
        return pairs
    chosen: list[Pair] = []
    for category in sorted({p.category for p in pairs}):
        members = [p for p in pairs if p.category == category]
        keep = set(random.Random(f"{seed}/{category}").sample(range(len(members)), min(limit, len(members))))
        chosen += [p for k, p in enumerate(members) if k in keep]
    return chosen


def read_text(path: Path) -> str:
    """A file's text exactly as PAN's offsets count it: UTF-8, newlines untouched."""
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return handle.read()


def detections(match: Match) -> list[Annotation]:
    """A match's passages as PAN detections (what ``unspin check --json`` reports)."""
    if match.verdict is Verdict.ORIGINAL:
        return []
    return [Annotation(p.suspect, p.source) for p in match.judgement.evidence]


# --- the two modes ---------------------------------------------------------------------


@dataclass
class Outcome:
    """What one mode reported for one pair."""

    pair: Pair
    detections: list[Annotation]
    verdict: str
    found: bool | None  # through the index: whether the pair's source was among the matches


def run_pairs(pairs: list[Pair], data: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Judge each pair alone; its detections and verdict, and pairs per second."""
    suspects = {name: read_text(data / "susp" / name) for name in dict.fromkeys(p.suspect for p in pairs)}
    sources = {name: read_text(data / "src" / name) for name in dict.fromkeys(p.source for p in pairs)}
    outcomes = []
    started = time.perf_counter()
    for pair in pairs:
        # Each pair from scratch, tokenizing both texts: the cost of one judgement alone.
        suspect, source = Document(pair.suspect, suspects[pair.suspect]), Document(pair.source, sources[pair.source])
        match = compare(suspect, tokenize(suspect.text), source, tokenize(source.text))
        outcomes.append(Outcome(pair, detections(match), match.verdict.value, found=None))
    seconds = time.perf_counter() - started
    figures = summarise(outcomes)
    figures["speed"] = {"seconds": seconds, "pairs_per_second": len(pairs) / seconds if seconds else None}
    log(f"pairs given: {len(pairs)} pairs in {seconds:.1f}s ({len(pairs) / max(seconds, 1e-9):.0f} pairs/s), "
        f"plagdet {figures['overall']['plagdet']:.3f}")
    return figures


def run_index(pairs: list[Pair], listed: set[tuple[str, str]], data: Path, workdir: str,
              log: Callable[[str], None]) -> dict[str, Any]:
    """Index every source, check every suspect of the pairs; detections per pair from the
    suspect's match with the pair's source. ``listed``: every listed (suspect, source), to
    count matches with a source never paired with the suspect."""
    names = sorted(os.listdir(data / "src"))
    sources = [Document(name, read_text(data / "src" / name)) for name in names]
    suspects = [Document(name, read_text(data / "susp" / name)) for name in dict.fromkeys(p.suspect for p in pairs)]
    with Index(os.path.join(workdir, "pan.db")) as store:
        started = time.perf_counter()
        for _ in store.add(sources, batch_size=1024):
            pass
        index_seconds = time.perf_counter() - started
        started = time.perf_counter()
        results = {r.suspect.id: r for r in Checker(store).check_all(suspects) if isinstance(r, Result)}
        check_seconds = time.perf_counter() - started
    outcomes = []
    for pair in pairs:
        matches = {m.source.id: m for m in results[pair.suspect].matches}
        match = matches.get(pair.source)
        outcomes.append(Outcome(pair, detections(match) if match else [],
                                match.verdict.value if match else Verdict.ORIGINAL.value, found=match is not None))
    unlisted = sum(1 for r in results.values() for m in r.matches if (r.suspect.id, m.source.id) not in listed)
    figures = summarise(outcomes)
    figures["unlisted_matches"] = unlisted
    figures["speed"] = {
        "sources": len(sources), "suspects": len(suspects), "index_seconds": index_seconds,
        "check_seconds": check_seconds, "index_docs_per_second": len(sources) / index_seconds,
        "suspects_per_second": len(suspects) / check_seconds, "pairs_per_second": len(pairs) / check_seconds,
    }
    log(f"through the index: {len(sources)} sources indexed in {index_seconds:.1f}s, {len(suspects)} suspects "
        f"checked in {check_seconds:.1f}s; plagdet {figures['overall']['plagdet']:.3f}, "
        f"sources found for {figures['overall']['found']} of {figures['overall']['cases']} cases")
    return figures


# --- figures ---------------------------------------------------------------------------


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    """PAN's measures per category and over all pairs, with false detections and, through
    the index, the cases whose source was found."""
    categories: dict[str, dict[str, Any]] = {}
    for category in dict.fromkeys(o.pair.category for o in outcomes):
        categories[category] = _figures([o for o in outcomes if o.pair.category == category])
    return {"categories": categories, "overall": _figures(outcomes)}


def _figures(outcomes: list[Outcome]) -> dict[str, Any]:
    tally = Tally()
    worst: list[tuple[float, str]] = []
    for outcome in outcomes:
        pair_tally = Tally()
        pair_tally.add(outcome.pair.cases, outcome.detections)
        tally.merge(pair_tally)
        if outcome.pair.cases:
            worst.append((pair_tally.plagdet, outcome.pair.id))
    negatives = [o for o in outcomes if not o.pair.cases]
    flagged = [o.pair.id for o in negatives if o.detections]
    figures: dict[str, Any] = {
        "pairs": len(outcomes), **tally.scores(),
        "no_reuse_pairs": len(negatives), "flagged_no_reuse_pairs": len(flagged), "flagged_ids": flagged[:SHOWN],
        "verdicts": dict(Counter(o.verdict for o in outcomes if o.pair.cases)),
        "worst_pairs": [name for _, name in sorted(worst)[:SHOWN]],
    }
    if any(o.found is not None for o in outcomes):
        figures["found"] = sum(len(o.pair.cases) for o in outcomes if o.found)
        figures["found_share"] = figures["found"] / tally.cases if tally.cases else None
    return figures


def run(data: str | Path = DEFAULT_DATA, modes: tuple[str, ...] = MODES, limit: int | None = None, seed: int = 1,
        log: Callable[[str], None] = print, command: str = "") -> dict[str, Any]:
    """Run the suite in the given modes, on ``limit`` pairs per category (all when None)."""
    from unspin.bench.files import machine

    data = Path(data)
    listed = load_pairs(data)
    pairs = sample(listed, limit, seed)
    counts = Counter(p.category for p in pairs)
    log(f"PAN data {data}: " + ", ".join(f"{c} {n}" for c, n in counts.items()) + " pairs")
    results: dict[str, Any] = {
        "command": command, "machine": machine(), "data": str(data), "limit": limit, "seed": seed,
        "pairs": dict(counts), "modes": {},
    }
    with tempfile.TemporaryDirectory(prefix="unspin-bench-pan-") as workdir:
        log(f"compiled loops loaded in {warm_up(workdir):.2f}s (once per process, before the timing)")
        if "pairs" in modes:
            results["modes"]["pairs"] = run_pairs(pairs, data, log)
        if "index" in modes:
            results["modes"]["index"] = run_index(pairs, {(p.suspect, p.source) for p in listed}, data, workdir, log)
    return results


# --- the report ------------------------------------------------------------------------

MODE_TITLES = {"pairs": "Pairs given (each listed pair judged alone, as PAN ran it)",
               "index": "Through the index (every source indexed, every suspect checked)"}


def label(category: str) -> str:
    """A category's name without the folder's number: no-obfuscation, random-obfuscation, ..."""
    return re.sub(r"^\d+-", "", category)


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    subset = (f"{results['limit']} pairs per category drawn with seed {results['seed']}"
              if results["limit"] else "every listed pair")
    lines = [
        "# PAN 2013 text alignment (training corpus)", "",
        "Command:", "", "```", results["command"] or "unspin bench --suite pan", "```", "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}. Data: `{results['data']}`, {subset} "
        f"({sum(results['pairs'].values()):,} pairs).", "",
        "PAN's measures (Potthast et al., COLING 2010; `unspin/bench/plagdet.py`): precision and recall are macro averages "
        "over detections and cases of the characters they share in both documents; granularity is the number of "
        "detections per detected case; plagdet = F1 / log2(1 + granularity). *Overall* pools every case and "
        "detection of every category, as PAN does. *Flagged without reuse*: pairs with no reuse case given any "
        "detection.", "",
    ]
    for mode, figures in results["modes"].items():
        lines += [f"## {MODE_TITLES[mode]}", ""]
        found = mode == "index"
        header = "| category | pairs | cases | precision | recall | granularity | plagdet | flagged without reuse |"
        lines += [header + (" source found |" if found else ""), "|---|" + "---|" * (7 + found)]
        for category, row in [*figures["categories"].items(), ("**overall**", figures["overall"])]:
            lines.append(_row(label(category), row, found))
        speed = figures["speed"]
        if mode == "pairs":
            lines += ["", f"{speed['pairs_per_second']:,.0f} pairs/s in one process "
                          f"({figures['overall']['pairs']:,} pairs in {speed['seconds']:.1f}s, both texts tokenized per pair)."]
        else:
            lines += ["", f"Indexed {speed['sources']:,} sources at {speed['index_docs_per_second']:,.0f} docs/s; "
                          f"checked {speed['suspects']:,} suspects at {speed['suspects_per_second']:,.1f} docs/s "
                          f"({speed['pairs_per_second']:,.0f} listed pairs/s). Matches with a source never listed "
                          f"with the suspect: {figures['unlisted_matches']:,} (not scored: the corpus does not "
                          "list every source a suspect takes passages from)."]
        lines.append("")
    if results.get("plots"):
        lines += [f"![plagdet by category]({name})" for name in results["plots"]] + [""]
    return "\n".join(lines)


def _row(name: str, row: dict[str, Any], found: bool) -> str:
    flagged = f"{row['flagged_no_reuse_pairs']:,}/{row['no_reuse_pairs']:,}" if row["no_reuse_pairs"] else "-"
    if row["cases"]:
        measures = (f"{row['precision']:.3f} | {row['recall']:.3f} | {row['granularity']:.3f} | "
                    f"**{row['plagdet']:.3f}**")
    else:
        measures = "- | - | - | -"
    cells = f"| {name} | {row['pairs']:,} | {row['cases']:,} | {measures} | {flagged} |"
    if found:
        cells += f" {row['found_share']:.3f} |" if row.get("found_share") is not None else " - |"
    return cells


def plot(results: dict[str, Any], out: Path) -> list[str]:
    """plagdet per category and overall, one bar per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modes = list(results["modes"])
    if not modes:
        return []
    first = results["modes"][modes[0]]
    categories = [c for c, row in first["categories"].items() if row["cases"]]
    names = [label(c) for c in categories] + ["overall"]
    width = 0.8 / len(modes)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for k, mode in enumerate(modes):
        figures = results["modes"][mode]
        values = [figures["categories"][c]["plagdet"] for c in categories] + [figures["overall"]["plagdet"]]
        xs = [i + (k - (len(modes) - 1) / 2) * width for i in range(len(names))]
        bars = ax.bar(xs, values, width, label={"pairs": "pairs given", "index": "through the index"}[mode])
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks(range(len(names)), names, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("plagdet")
    ax.set_title("PAN 2013 text alignment (training corpus): plagdet by obfuscation")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "pan.png", dpi=110)
    plt.close(fig)
    return ["pan.png"]


def write_report(results: dict[str, Any], out: str | Path, plots: bool = True) -> Path:
    """Write pan.json, pan.md and pan.png into ``out``; returns the Markdown path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results["plots"] = []
    if plots:
        try:
            results["plots"] = plot(results, out)
        except ImportError:
            pass
    return write_results(out, "pan", results, markdown(results))

"""The spin suite's report: results.md with its tables, and the PNG plots."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


from unspin.bench.corpus import (CHECK_PASSES, EDITED_KEPT, EDITED_WORDS, MINHASH_PERMUTATIONS, MINHASH_SHINGLE,
                                  MINHASH_THRESHOLD, NEAR_DUPLICATE, UNRELATED_RUN)


# --- the report ------------------------------------------------------------------------


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}×"


def markdown(results: dict[str, Any]) -> str:
    """The report: command, machine, corpus, recall table, other figures."""
    lines = ["# unspin benchmark", ""]
    lines += ["Command:", "", "```", results["command"] or "unspin bench", "```", ""]
    m = results["machine"]
    lines += [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}, "
              f"numpy {m['numpy']}, datasketch {m['datasketch']}.", ""]
    c = results["corpus"]
    lines += [
        f"Corpus: `{c['path']}`: {c['read']} articles read ({c['unreadable']} unreadable), {c['exact_duplicates']} exact "
        f"and {c['near_duplicates']} near duplicates dropped (≥ {NEAR_DUPLICATE:.0%} of either text's word 5-shingles in "
        f"the other). {c['sources']} sources indexed; {c['held_out']} held out (same share of each topic), of which "
        f"{c['excluded_verbatim_run']} share a run of {UNRELATED_RUN}+ words with some source and "
        f"{c['excluded_edited_sentence']} more have a sentence of {EDITED_WORDS}+ words that keeps {EDITED_KEPT:.0%} of its "
        f"words in order in a source sentence (a copy-edited sentence); both measured with word n-grams and a word "
        f"diff, not with unspin, and excluded as not unrelated. {c['negatives']} unrelated negatives checked.",
        "",
        f"Thesauri: {', '.join(results['thesauri'])}. Baseline: datasketch MinHash + MinHashLSH, "
        f"{MINHASH_PERMUTATIONS} permutations, word {MINHASH_SHINGLE}-shingles, threshold {MINHASH_THRESHOLD}; its "
        "candidates ranked by estimated Jaccard.",
        "",
        "## recall@1 by share of words changed",
        "",
        "recall@1: the true source ranked first (for unspin, with a verdict other than `original`). Words changed: "
        "the share of the source's words not kept in order in the copy (word-level diff), binned.",
        "",
        "| thesaurus | words changed | n | mean changed | unspin recall@1 | datasketch recall@1 | unspin verdict ok |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, bins in results["bins"].items():
        for label, row in bins.items():
            lines.append(f"| {name} | {label} | {row['n']} | {row['changed']:.1%} | {row['unspin_recall_at_1']:.3f} | "
                         f"{row['datasketch_recall_at_1']:.3f} | {row['verdict_accuracy']:.3f} |")
    lines += ["", "## By condition", "",
              "| condition | n | mean changed | unspin recall@1 | datasketch recall@1 | unspin verdict ok | verdicts |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for name, row in results["conditions"].items():
        counts = ", ".join(f"{k} {v}" for k, v in sorted(results["verdicts"].get(name, {}).items()))
        lines.append(f"| {name} | {row['n']} | {row['changed']:.1%} | {row['unspin_recall_at_1']:.3f} | "
                     f"{row['datasketch_recall_at_1']:.3f} | {row['verdict_accuracy']:.3f} | {counts} |")
    fa = results["false_alarms"]
    p = results["plagdet"]
    s = results["speed"]
    lines += [
        "", "## False alarms, verdicts, passages", "",
        f"- False alarms on {fa['n']} unrelated negatives: unspin **{fa['unspin']}**, datasketch {fa['datasketch']}"
        + (f" (unspin: {', '.join(fa['unspin_ids'][:10])})" if fa["unspin_ids"] else "") + ".",
        f"- Verdict accuracy (suspects and negatives): {results['verdict_accuracy']:.3f}.",
        f"- Passages (PAN plagdet, spun and partial copies, against the true source): plagdet {p['plagdet']:.3f}, "
        f"precision {p['precision']:.3f}, recall {p['recall']:.3f}, granularity {p['granularity']:.3f}.",
        "", "## Speed and memory", "",
        "| | docs/s to index | docs/s to check | index bytes/doc | peak traced memory |",
        "|---|---:|---:|---:|---:|",
        f"| unspin | {_rate(s['unspin_index'])} | {_rate(s['unspin_check'])} | {_rate(s['unspin_bytes_per_doc'])} "
        f"| {_mib(s['unspin_peak_bytes'])} |",
        f"| datasketch | {_rate(s['datasketch_index'])} | {_rate(s['datasketch_check'])} | "
        f"{_rate(s['datasketch_bytes_per_doc'])} | {_mib(s['datasketch_peak_bytes'])} |",
        f"| unspin / datasketch | {_ratio(s['unspin_index'], s['datasketch_index'])} | "
        f"{_ratio(s['unspin_check'], s['datasketch_check'])} | | |",
        *([f"| unspin / datasketch, docs per CPU-second ({_rate(s['unspin_index_cpu'])} / "
           f"{_rate(s['datasketch_index_cpu'])}; {_rate(s['unspin_check_cpu'])} / {_rate(s['datasketch_check_cpu'])}) "
           f"| {_ratio(s['unspin_index_cpu'], s['datasketch_index_cpu'])} "
           f"| {_ratio(s['unspin_check_cpu'], s['datasketch_check_cpu'])} | | |"] if s.get("unspin_check_cpu") else []),
        *([f"| unspin scan, {s['scan_workers']} processes | | {_rate(s['unspin_scan'])} "
           f"({_ratio(s['unspin_scan'], s['datasketch_check'])}) | | |"] if s.get("unspin_scan") else []),
        f"| floor: tokenize + hash each word | {_rate(s['floor_tokenize_hash'])} | | | |",
        f"| floor: read + tokenize + hash | {_rate(s['floor_read_tokenize_hash'])} | | | |",
        "",
        "unspin's index bytes/doc is its SQLite file (texts included) and its postings' segment files over the "
        "sources; datasketch's is its pickled LSH and MinHashes (no texts). Peak traced memory: tracemalloc's peak while indexing all sources and checking "
        f"about 200 suspects, in a separate pass. Docs/s to check: the fastest of {CHECK_PASSES} passes over all the "
        "suspects, for unspin and datasketch alike; unspin's gives each suspect's verdict and matches, and leaves its "
        "intrinsic spin score, worked out when first read, unread (every report reads it: the scan row's results "
        "include it). Per CPU-second: the same passes timed by the process's own CPU clock (the shortest pass's CPU "
        "time; indexing's whole), which a busy machine disturbs less than the wall clock, since a process waiting "
        "for a core is not charged for the wait. The rows above are one process each; `unspin scan` checks on every "
        "core, and its row times it end to end (the suspects read from a JSON lines file, the index opened and its "
        "postings loaded by each worker, the results written), against datasketch's one process.",
        *([f"Start-up: unspin's compiled loops (numba) took {s['unspin_startup_seconds']:.2f} s to load in the benchmark's "
           "process, before the timing (once per process; `unspin scan`'s workers load them inside its timing)."]
          if s.get("unspin_startup_seconds") is not None else []),
    ]
    if results["scaling"]:
        lines += ["", "## Scaling (generated sources added)", "",
                  "| sources | docs/s to index | docs/s to check | recall@1 | index bytes/doc | max RSS MiB "
                  "| one check, fresh process | its RSS MiB |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in results["scaling"]:
            fresh = (f"{row['fresh_check_seconds']:.2f} s | {row['fresh_check_rss_mib']:,.0f}"
                     if "fresh_check_seconds" in row else "n/a | n/a")
            lines.append(f"| {row['sources']:,} | {row['index_rate']:,.0f} | {row['check_rate']:,.0f} | "
                         f"{row['recall_at_1']:.3f} | {row['bytes_per_doc']:,.0f} | {row['max_rss_mib']:,.0f} | {fresh} |")
        lines += ["", f"Checked at each size: {results['scaling'][0]['suspects']} of the copies, evenly spaced, the "
                  f"fastest of {CHECK_PASSES} passes. Max RSS: the benchmark process's peak so far. One check, fresh "
                  "process: `unspin check` of one copy against the index in a new process (start, imports, opening "
                  "the index, the check), wall time and that process's peak RSS."]
    if results.get("plots"):
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in results["plots"]]
    failures = results["failures"]
    lines += ["", f"## Failures ({len(failures)})", ""]
    for row in failures[:40]:
        lines.append(f"- `{row['id']}` (source `{row['source']}`, {row['changed']:.0%} changed): verdict "
                     f"{row['verdict']}, top `{row['top']}`")
    return "\n".join(lines) + "\n"


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.1f} MiB"


def plot(results: dict[str, Any], out: Path) -> list[str]:
    """recall@1 against words changed (unspin and datasketch, per thesaurus) and speed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, bins in results["bins"].items():
        xs = [row["changed"] * 100 for row in bins.values()]
        ax.plot(xs, [row["unspin_recall_at_1"] for row in bins.values()], "o-", label=f"unspin, {name}")
        ax.plot(xs, [row["datasketch_recall_at_1"] for row in bins.values()], "s--", label=f"datasketch, {name}")
    ax.axhline(0.99, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("words changed (%)")
    ax.set_ylabel("recall@1")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("True source ranked first, by share of words changed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "recall.png", dpi=110)
    plt.close(fig)
    names.append("recall.png")

    s = results["speed"]
    labels = ["floor\n(tokenize+hash)", "unspin\nindex", "datasketch\nindex", "unspin\ncheck", "datasketch\ncheck"]
    values = [s["floor_tokenize_hash"], s["unspin_index"], s["datasketch_index"], s["unspin_check"], s["datasketch_check"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(labels, values, color=["grey", "C0", "C1", "C0", "C1"])
    ax.set_ylabel("docs/s")
    ax.set_yscale("log")
    ax.set_title("Speed (same run, same data)")
    fig.tight_layout()
    fig.savefig(out / "speed.png", dpi=110)
    plt.close(fig)
    names.append("speed.png")

    if results["scaling"]:
        rows = results["scaling"]
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot([r["sources"] for r in rows], [r["check_rate"] for r in rows], "o-", label="check docs/s")
        ax.plot([r["sources"] for r in rows], [r["index_rate"] for r in rows], "s-", label="index docs/s")
        ax.set_xscale("log")
        ax.set_xlabel("indexed sources")
        ax.set_ylabel("docs/s")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "scaling.png", dpi=110)
        plt.close(fig)
        names.append("scaling.png")
    return names


# The summary page points to the suites that write their own reports beside results.md.
OTHER_SUITES = """
## Other suites

- `unspin bench --suite paraphrase`: the semantic view on real paraphrase pairs, in
  [{prefix}/paraphrase.md]({prefix}/paraphrase.md) (see [semantic.md](semantic.md)).
- `unspin bench --suite pan`: passages reused inside long documents, scored with PAN's measures on
  the PAN 2013 text-alignment training corpus, each pair given and through the index, in
  [{prefix}/pan.md]({prefix}/pan.md).
- `unspin bench --suite templates`: templated pages (earnings, legal notices, forecasts, results)
  checked against the other members of their family, in [{prefix}/templates.md]({prefix}/templates.md).
- `unspin bench --suite languages`: copies translated into other languages, and texts written in
  them, in [{prefix}/languages.md]({prefix}/languages.md).
- `unspin bench --suite intrinsic`: the spin score of a text alone, in
  [{prefix}/intrinsic.md]({prefix}/intrinsic.md).
- `python scripts/same_event_negatives.py ../shared/data/bbc`: the hardest false alarms the BBC
  corpus holds for a rule that accepts reworded sentences. It splits the corpus as `unspin bench`
  does, pairs each unrelated held-out article (536) with its 5 nearest sources by tf-idf (two
  reports of one event are there), judges each pair with `unspin.compare`, and prints the pairs
  given any verdict but `original` (5 articles of 536, all through reworded sentences that share
  20 topic words or more without being a block; see docs/architecture.md).
"""


def write_report(results: dict[str, Any], out: str | Path, plots: bool = True, summary: str | Path | None = None) -> Path:
    """Write results.json, results.md and the plots into ``out``; returns the Markdown path.

    ``summary``, when given, gets the same report with the plots' paths relative to it (the
    project's ``docs/benchmarks.md``, which shows the latest figures).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if plots:
        try:
            results["plots"] = plot(results, out)
        except ImportError:
            results["plots"] = []
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    path = out / "results.md"
    path.write_text(markdown(results), encoding="utf-8")
    if summary is not None:
        summary = Path(summary)
        prefix = os.path.relpath(out, summary.parent).replace(os.sep, "/")
        text = markdown(results)
        for name in results.get("plots", []):
            text = text.replace(f"]({name})", f"]({prefix}/{name})")
        text = text.replace("# unspin benchmark\n", "# unspin benchmark: latest figures\n\n"
                            f"Full results: [{prefix}/results.md]({prefix}/results.md), "
                            f"[{prefix}/results.json]({prefix}/results.json).\n", 1)
        summary.write_text(text + OTHER_SUITES.format(prefix=prefix), encoding="utf-8")
    return path

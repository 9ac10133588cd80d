"""``unspin bench --suite intrinsic``: the intrinsic spin score against originals of several kinds.

Spun copies of BBC articles, made with the repository's spinner over each thesaurus at several
rates, are scored against originals that were never spun: BBC news, PAN 2013's web pages (its
sources) and essays (its suspects that reuse nothing), and the pages of the extraction
benchmark (their gold main text). Per thesaurus and per share of words changed: the ROC AUC
against the originals, and the share called spun at the default threshold; per kind of
original, the share called spun (false positives). Apart: PAN's random obfuscation (words
shuffled, inserted, deleted and swapped for WordNet synonyms) against PAN's verbatim reuse (the
same kind of passages, unspun), and human rewrites (PAN's summaries, the paraphrase pairs'
rewritten sentences), which are not spin. The data is read from ``../shared/data``, never copied.
"""

from __future__ import annotations

import csv
import glob
import json
import random
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from unspin.bench.files import write_results
from unspin import intrinsic
from unspin.lexicon import load_lexicon
from unspin.tokenize import tokenize

DEFAULT_DATA = Path("..") / "shared" / "data"
SEED_PAGE = Path("..") / "shared" / "examples" / "content-farm-page.txt"
THESAURI = ("moby", "aiksaurus", "wordnet", "mythes")
CHOSEN_ON = ("moby", "aiksaurus")  # the thesauri the method and threshold were chosen on; the rest held out
RATES = (0.1, 0.2, 0.3, 0.4)
BINS = ((0.05, 0.15, "~10%"), (0.15, 0.25, "~20%"), (0.25, 0.35, "~30%"), (0.35, 1.01, "~40%"))
MIN_WORDS = 50  # passages shorter than this are too short to score
SENTENCES = 10  # rewritten sentences of the paraphrase sets read together, as one text


def auc(negatives: Sequence[float], positives: Sequence[float]) -> float | None:
    """ROC AUC: the chance that a positive scores above a negative (ties count half)."""
    if not len(negatives) or not len(positives):
        return None
    values = np.concatenate([np.asarray(negatives, float), np.asarray(positives, float)])
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):  # average ranks over ties
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    positive = ranks[len(negatives):].sum() - len(positives) * (len(positives) + 1) / 2
    return float(positive / (len(positives) * len(negatives)))


def read_text(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def originals(data: Path, limit: int | None, seed: int) -> dict[str, list[str]]:
    """Texts never spun, by kind, each kind at most ``limit`` (drawn with ``seed``)."""
    from unspin.bench.corpus import load_corpus

    rng = random.Random(seed)
    kinds: dict[str, list[str]] = {}
    if (data / "bbc").is_dir():
        kinds["news (BBC)"] = [d.text for d in load_corpus(str(data / "bbc"))[0]]
    pan = data / "pan13-train"
    if (pan / "src").is_dir():
        kinds["web pages (PAN sources)"] = [read_text(p) for p in sorted(glob.glob(str(pan / "src" / "*.txt")))]
    if (pan / "01-no-plagiarism" / "pairs").is_file():
        names = sorted({line.split()[0] for line in read_text(pan / "01-no-plagiarism" / "pairs").splitlines() if line.strip()})
        kinds["essays (PAN, no reuse)"] = [read_text(pan / "susp" / name) for name in names]
    truth = data / "extraction" / "ground-truth.json"
    if truth.is_file():
        pages = json.loads(read_text(truth))
        kinds["web pages (extraction gold)"] = [page["articleBody"] for _, page in sorted(pages.items())]
    if not kinds:
        raise FileNotFoundError(f"no originals under {data}: expected bbc/, pan13-train/ or extraction/")
    return {kind: (rng.sample(texts, limit) if limit and len(texts) > limit else texts) for kind, texts in kinds.items()}


def spun_copies(articles: list[str], thesauri: dict[str, Any], rates: Sequence[float], sample: int, seed: int,
                log: Callable[[str], None]) -> list[tuple[str, float, str]]:
    """(thesaurus, share of words changed, text) for ``sample`` articles per thesaurus and rate."""
    from unspin.bench.spin import measured_change
    from unspin.spinner.spin import spin

    rng = random.Random(seed)
    copies = []
    for name, thesaurus in thesauri.items():
        started = time.perf_counter()
        for rate in rates:
            for text in rng.sample(articles, min(sample, len(articles))):
                result = spin(text, rate, thesaurus, seed=rng.randrange(2**31))
                copies.append((name, measured_change(text, result.text), result.text))
        log(f"  spun {sample * len(rates)} copies with {name} in {time.perf_counter() - started:.1f}s")
    return copies


def pan_passages(pan: Path, category: str) -> list[str]:
    """The reused passages of one PAN category, as the suspects hold them (at least MIN_WORDS words)."""
    passages = []
    for truth in sorted((pan / category).glob("*.xml")):
        root = ElementTree.parse(truth).getroot()
        text = (pan / "susp" / root.get("reference", "")).read_text(encoding="utf-8", errors="replace")
        for feature in root.iter("feature"):
            if feature.get("name") == "plagiarism":
                at, length = int(feature.get("this_offset", 0)), int(feature.get("this_length", 0))
                passage = text[at:at + length]
                if len(passage.split()) >= MIN_WORDS:
                    passages.append(passage)
    return passages


def paraphrase_texts(folder: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Per set, the original sentences and their rewrites (pairs labelled paraphrase), SENTENCES to a text."""
    sets: dict[str, list[tuple[str, str]]] = {}
    mrpc = folder / "mrpc" / "msr_paraphrase_train.txt"
    if mrpc.is_file():
        with open(mrpc, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
        sets["MRPC rewrites"] = [(r[3], r[4]) for r in rows if len(r) >= 5 and r[0] == "1"]
    pan = folder / "mt_metrics_pan_paraphrase"
    if (pan / "pan-train_s1.txt").is_file():
        first, second = (read_text(pan / f"pan-train_s{k}.txt").splitlines() for k in (1, 2))
        labels = read_text(pan / "pan-train.labels").split()
        sets["PAN-PC-10 paraphrase pairs"] = [(a, b) for a, b, label in zip(first, second, labels) if float(label) == 1]
    grouped = {}
    for name, pairs in sets.items():
        groups = [pairs[k:k + SENTENCES] for k in range(0, len(pairs) - SENTENCES + 1, SENTENCES)]
        grouped[name] = ([" ".join(a for a, _ in g) for g in groups], [" ".join(b for _, b in g) for g in groups])
    return grouped


def rates_of(texts: list[str]) -> list[float]:
    return [intrinsic.score_text(text).rate for text in texts]


def speed(texts: list[str], passes: int = 3) -> dict[str, float]:
    """Docs per second of the score alone (from tokens) and with tokenizing, the best of ``passes``."""
    tokens = [tokenize(text) for text in texts]
    alone, whole = [], []
    for _ in range(passes):
        started = time.perf_counter()
        for t in tokens:
            intrinsic.score(t)
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            intrinsic.score_text(text)
        whole.append(time.perf_counter() - started)
    return {"score_docs_per_s": len(texts) / min(alone), "tokenize_and_score_docs_per_s": len(texts) / min(whole)}


def run(data: str | Path = DEFAULT_DATA, sample: int = 100, limit: int | None = None, seed: int = 1,
        thesauri: Sequence[Any] = THESAURI, rates: Sequence[float] = RATES, seed_page: str | Path = SEED_PAGE,
        log: Callable[[str], None] = print, command: str = "") -> dict[str, Any]:
    """Every figure of the suite (see :func:`markdown`)."""
    from unspin.bench.spin import load_thesauri

    data = Path(data)
    load_lexicon()  # built once (or loaded) before anything is timed
    found = originals(data, limit, seed)
    log(f"originals: {', '.join(f'{len(v)} {k}' for k, v in found.items())}")
    news = found.get("news (BBC)") or next(iter(found.values()))
    speed_ = speed(news[:1000])  # first, before the run's other texts fill the heap
    log(f"speed: {speed_['score_docs_per_s']:,.0f} docs/s (score alone)")
    original_rates = {kind: rates_of(texts) for kind, texts in found.items()}
    pooled = [r for rs in original_rates.values() for r in rs]
    threshold = intrinsic.THRESHOLD
    results: dict[str, Any] = {"command": command, "threshold": threshold, "seed": seed, "chosen_on": list(CHOSEN_ON)}
    results["originals"] = {kind: {"texts": len(rs), "called_spun": _share(rs, threshold)}
                            for kind, rs in original_rates.items()}
    copies = spun_copies(news, load_thesauri(thesauri), rates, sample, seed, log)
    spinners = {}
    for name in dict.fromkeys(name for name, _, _ in copies):
        rows = {}
        for low, high, label in BINS:
            texts = [text for n, changed, text in copies if n == name and low <= changed < high]
            if texts:
                rs = rates_of(texts)
                rows[label] = {"copies": len(rs), "auc": auc(pooled, rs), "called_spun": _share(rs, threshold)}
        spinners[name] = rows
    results["spinners"] = spinners
    pan = data / "pan13-train"
    if pan.is_dir():
        verbatim = rates_of(pan_passages(pan, "02-no-obfuscation"))
        random_ = rates_of(pan_passages(pan, "03-random-obfuscation"))
        summaries = rates_of(pan_passages(pan, "05-summary-obfuscation"))
        results["pan"] = {
            "verbatim": {"passages": len(verbatim), "called_spun": _share(verbatim, threshold)},
            "random": {"passages": len(random_), "called_spun": _share(random_, threshold), "auc": auc(verbatim, random_)},
        }
        results["human"] = {"PAN summaries": {"texts": len(summaries), "called_spun": _share(summaries, threshold),
                                              "auc": auc(verbatim, summaries)}}
    for name, (firsts, rewrites) in paraphrase_texts(data / "paraphrase").items():
        rs = rates_of(rewrites)
        results.setdefault("human", {})[name] = {"texts": len(rs), "called_spun": _share(rs, threshold),
                                                 "auc": auc(rates_of(firsts), rs)}
    if Path(seed_page).is_file():
        page = intrinsic.score_text(read_text(seed_page))
        results["seed_page"] = {"spin_score": page.spin_score, "spun": page.spun, "rate": page.rate,
                                "declared": page.declared,
                                "words": [f"{t.word} ({' / '.join(t.usual)})" for t in page.words[:10]]}
    results["speed"] = speed_
    return results


def _share(rates: Sequence[float], threshold: float) -> float | None:
    return float(np.mean([r >= threshold for r in rates])) if len(rates) else None


def _figure(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown(results: dict[str, Any]) -> str:
    """The suite's report."""
    lines = ["# Intrinsic spin score", "",
             "The spin score of a text from its words alone (`unspin/intrinsic.py`), against originals "
             "that were never spun. Produced by:", "", f"    {results['command']}", "",
             f"Default threshold: a spin rate of {results['threshold']} (`intrinsic.THRESHOLD`, spin_score 0.5). "
             f"The method and the threshold were chosen on copies spun with {' and '.join(results['chosen_on'])}; "
             "the other thesauri and PAN's random obfuscation were held out.", "",
             "## Originals: share called spun (false positives)", "", "| originals | texts | called spun |", "|---|---|---|"]
    for kind, row in results["originals"].items():
        lines.append(f"| {kind} | {row['texts']} | {_figure(row['called_spun'])} |")
    labels = [label for _, _, label in BINS]
    lines += ["", "## Spun copies of BBC articles: ROC AUC against all the originals above (called spun at the threshold)",
              "", "| thesaurus | " + " | ".join(f"{label} of words changed" for label in labels) + " |",
              "|---|" + "---|" * len(labels)]
    for name, rows in results["spinners"].items():
        held = "" if name in results["chosen_on"] else " (held out)"
        cells = [f"{_figure(rows[l]['auc'])} ({_figure(rows[l]['called_spun'], 2)}; {rows[l]['copies']})"
                 if l in rows else "–" for l in labels]
        lines.append(f"| {name}{held} | " + " | ".join(cells) + " |")
    lines.append("\nEach cell: AUC (share called spun; copies). Copies are binned by the share of words the spinner "
                 "changed, measured against the article.")
    if "pan" in results:
        pan = results["pan"]
        lines += ["", "## PAN 2013 random obfuscation (held out)", "",
                  f"Passages of at least {MIN_WORDS} words. Random obfuscation against verbatim reuse (the same kind "
                  f"of passages, unspun): AUC {_figure(pan['random']['auc'])}; called spun: "
                  f"{_figure(pan['random']['called_spun'])} of "
                  f"{pan['random']['passages']} obfuscated, {_figure(pan['verbatim']['called_spun'])} of "
                  f"{pan['verbatim']['passages']} verbatim."]
    if results.get("human"):
        lines += ["", "## Human rewrites (not spin)", "",
                  "AUC of the rewrites against what they rewrote (0.5: no different), and the share called spun.", "",
                  "| rewrites | texts | AUC | called spun |", "|---|---|---|---|"]
        for name, row in results["human"].items():
            lines.append(f"| {name} | {row['texts']} | {_figure(row['auc'])} | {_figure(row['called_spun'])} |")
        lines.append("\nThe PAN-PC-10 paraphrase pairs mix human rewrites with PAN-PC-10's artificial obfuscation.")
    if "seed_page" in results:
        page = results["seed_page"]
        lines += ["", "## The seed page (`../shared/examples/content-farm-page.txt`)", "",
                  f"spin_score {page['spin_score']:.2f}, spun: {page['spun']}, spin rate {page['rate']:.3f} "
                  f"(the threshold {results['threshold']}); says it was spun: {bool(page['declared'])}. "
                  "Its ten strongest tells (usual words):", "", "; ".join(page["words"])]
    speed_ = results["speed"]
    lines += ["", "## Speed", "",
              f"{speed_['score_docs_per_s']:,.0f} BBC articles a second for the score alone (from the tokens a check "
              f"already has), {speed_['tokenize_and_score_docs_per_s']:,.0f} with tokenizing; one process, the best "
              "of three passes.", ""]
    return "\n".join(lines)


def write_report(results: dict[str, Any], out: str | Path) -> Path:
    """Write OUT/intrinsic.md and OUT/intrinsic.json; the markdown's path."""
    return write_results(out, "intrinsic", results, markdown(results))

"""The templates suite of ``unspin bench --suite templates``: templates are not copies.

A crawl holds many members of one template family (forecasts, market closes, death notices,
earnings tables, league results, legal notices): the same words, filled in with other figures,
names and dates. None copied another. The suite indexes every member of every family, with a
background of unrelated articles (the BBC corpus, when there), then checks each member with
itself taken out of the index (leave one out: the family's other members stay indexed), and
counts its **false alarms**: any verdict but ``original``. A flagged member whose match is
another member of its own family is a *same-family* false alarm (a template taken for a copy);
one whose match is anything else is listed too.

The families come from a folder of real pages (``--templates-data DIR``: one subfolder a
family, one ``.txt`` file a member; built by ``scripts/templates/build.py``, with
``DIR/pages.tsv`` giving each file's address), or, without one, from the synthetic
generator :mod:`unspin.bench.synthetic_templates` (so that a machine without the data, CI, runs the
suite small). The report quotes the evidence of the synthetic families only: the real pages are
third-party text, kept out of the repository that holds the report, so for them it gives each
passage's character offsets (into ``DIR/FAMILY/FILE``) and word counts.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections import Counter
from itertools import islice
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from unspin.bench.files import write_results
from unspin.check import Checker, Match, Result, warm_up
from unspin.document import Document
from unspin.index import Index
from unspin.bench.synthetic_templates import FAMILIES, members

DEFAULT_DATA = Path("..") / "shared" / "data-dev" / "templates"
SYNTHETIC_MEMBERS = 30  # members of each synthetic family
SHOWN_CHARS = 240  # characters of each evidence passage shown in the report (synthetic families only)


@dataclass
class Family:
    """One template family: its name and its members (ids ``family/file``)."""

    name: str
    members: list[Document]


def load_families(data: Path) -> list[Family]:
    """The families under ``data``: one subfolder a family, one ``.txt`` file a member; only
    the files that ``data/pages.tsv`` lists, when there is one (the folder also keeps the raw
    transcriptions the set was built from)."""
    if not data.is_dir():
        raise FileNotFoundError(f"no templates data at {data}: pass --templates-data DIR "
                                "(a folder built by scripts/templates/build.py)")
    listed = set(addresses(data))
    families = []
    for folder in sorted(f for f in data.iterdir() if f.is_dir()):
        paths = [p for p in sorted(folder.glob("*.txt")) if not listed or f"{folder.name}/{p.name}" in listed]
        texts = [(path, path.read_text(encoding="utf-8", errors="replace")) for path in paths]
        documents = [Document(f"{folder.name}/{p.name}", t) for p, t in texts if t.strip()]
        if documents:
            families.append(Family(folder.name, documents))
    if not families:
        raise FileNotFoundError(f"no templates data at {data}: expected one subfolder of .txt files a family")
    return families


def synthetic_families(count: int = SYNTHETIC_MEMBERS, seed: int = 1) -> list[Family]:
    """``count`` members of each family of :mod:`unspin.bench.synthetic_templates`."""
    return [Family(name, [Document(f"{name}/{k:03d}", text) for k, text in enumerate(members(name, count, seed))])
            for name in sorted(FAMILIES)]


def addresses(data: Path | None) -> dict[str, str]:
    """Each member's address, from ``data/pages.tsv`` when there is one."""
    listing = data / "pages.tsv" if data else None
    if listing is None or not listing.is_file():
        return {}
    rows = [line.split("\t") for line in listing.read_text(encoding="utf-8").splitlines()[1:]]
    return {row[1]: row[2] for row in rows if len(row) >= 3 and row[1]}


def background(corpus: Path | None, count: int, seed: int) -> list[Document]:
    """``count`` unrelated articles of ``corpus`` drawn with ``seed``, ids ``background/...``."""
    if corpus is None or count == 0:
        return []
    from unspin.bench.corpus import load_corpus

    documents, _ = load_corpus(str(corpus))
    chosen = random.Random(seed).sample(documents, min(count, len(documents)))
    return [Document(f"background/{d.id}", d.text) for d in sorted(chosen, key=lambda d: d.id)]


# --- the run -----------------------------------------------------------------------------


def check_each(store: Index, checker: Checker, member: Document) -> Result:
    """Check one member with itself out of the index, then put it back."""
    store.remove([member.id])
    try:
        return checker.check(Document(member.id, member.text))
    finally:
        for _ in store.add([member]):
            pass


def run(data: str | Path | None = None, corpus: str | Path | None = None, background_count: int = 500,
        synthetic: int = SYNTHETIC_MEMBERS, seed: int = 1, log: Callable[[str], None] = print,
        command: str = "") -> dict[str, Any]:
    """Check every member of every family against all the others and the background."""
    from unspin.bench.files import machine

    data = Path(data) if data is not None else None
    families = load_families(data) if data is not None else synthetic_families(synthetic, seed)
    others = background(Path(corpus) if corpus else None, background_count, seed)
    where = addresses(data)
    total = sum(len(f.members) for f in families)
    log(f"templates: {total} members in {len(families)} families "
        f"({'from ' + str(data) if data else 'synthetic'}), background of {len(others)} articles")
    checked: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="unspin-bench-templates-") as workdir:
        log(f"compiled loops loaded in {warm_up(workdir):.2f}s (once per process, before the timing)")
        with Index(os.path.join(workdir, "templates.db")) as store:
            for _ in store.add([*others, *(m for f in families for m in f.members)], batch_size=1024):
                pass
            checker = Checker(store)
            started = time.perf_counter()
            for family in families:
                for member in family.members:
                    result = check_each(store, checker, member)
                    checked.append(outcome(family.name, member, result, where, quote=data is None))
            seconds = time.perf_counter() - started
    results = {
        "command": command, "machine": machine(), "data": str(data) if data else "synthetic",
        "synthetic_members": synthetic if data is None else None, "background": len(others),
        "corpus": str(corpus) if corpus and others else None, "seed": seed, "seconds": seconds,
        "families": summary(families, checked), "false_alarms": [c for c in checked if c["verdict"] != "original"],
    }
    flagged = sum(f["false_alarms"] for f in results["families"].values())
    log(f"checked {total} members in {seconds:.1f}s: {flagged} false alarms "
        f"({sum(f['same_family'] for f in results['families'].values())} against their own family)")
    return results


def outcome(family: str, member: Document, result: Result, where: dict[str, str], quote: bool = True
            ) -> dict[str, Any]:
    """What one member's check gave: its verdict and, for a false alarm, the evidence (its
    words quoted when ``quote``)."""
    entry: dict[str, Any] = {"family": family, "id": member.id, "address": where.get(member.id),
                             "verdict": result.verdict.value, "matches": []}
    for match in result.matches:
        entry["matches"].append(evidence(member, match, family, where, quote))
    entry["same_family"] = any(m["same_family"] for m in entry["matches"])
    return entry


def evidence(member: Document, match: Match, family: str, where: dict[str, str], quote: bool = True
             ) -> dict[str, Any]:
    """A match with the passages it counts and (when ``quote``) their words and the words the
    suspect changed in them."""
    judgement = match.judgement
    passages = []
    for passage in judgement.evidence:
        (s0, s1), (t0, t1) = passage.suspect, passage.source
        swaps = [(match.source.text[a:b], member.text[c:d]) for (c, d), (a, b), *_ in islice(passage.substitutions, 12)]
        passages.append({"suspect": [s0, s1], "source": [t0, t1], "kind": passage.kind, "matched": passage.matched,
                         "matched_prose": passage.matched_prose, "substitutions": len(passage.substitutions),
                         "text": member.text[s0:s1][:SHOWN_CHARS] if quote else None,
                         "changes": swaps if quote else []})
    return {"source_id": match.source.id, "address": where.get(match.source.id), "verdict": match.verdict.value,
            "same_family": match.source.id.startswith(f"{family}/"), "score": round(judgement.score, 3),
            "coverage": round(judgement.coverage, 3), "spin_rate": round(judgement.spin_rate, 3),
            "passages": passages}


def summary(families: list[Family], checked: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per family: members checked, false alarms (against its own family, against anything
    else), and the verdicts given."""
    figures = {}
    for family in families:
        own = [c for c in checked if c["family"] == family.name]
        flagged = [c for c in own if c["verdict"] != "original"]
        figures[family.name] = {
            "members": len(own), "false_alarms": len(flagged),
            "same_family": sum(1 for c in flagged if c["same_family"]),
            "other_source": sum(1 for c in flagged if not c["same_family"]),
            "verdicts": dict(Counter(c["verdict"] for c in own)),
        }
    return figures


# --- the report ------------------------------------------------------------------------


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    rows = results["families"]
    members_total = sum(r["members"] for r in rows.values())
    flagged = sum(r["false_alarms"] for r in rows.values())
    data = ("synthetic families of `unspin/bench/synthetic_templates.py`, "
            f"{results['synthetic_members']} members each" if results["data"] == "synthetic"
            else f"`{results['data']}` (real pages; see `scripts/templates/build.py` and `scripts/templates/pages.tsv`)")
    background = (f"{results['background']} articles of `{results['corpus']}` drawn with seed {results['seed']}"
                  if results["background"] else "none")
    lines = [
        "# Templates are not copies", "",
        "Command:", "", "```", results["command"] or "unspin bench --suite templates", "```", "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}. Families: {data}. "
        f"Background indexed with them: {background}.", "",
        "Every member of every family is indexed with the background; each member is then checked with itself "
        "taken out of the index (its family's other members stay in). A **false alarm** is any verdict but "
        "`original`; *same family*: its match is another member of its own family (a template taken for a "
        f"copy). Checked {members_total:,} members in {results['seconds']:.1f}s.", "",
        "| family | members | false alarms | same family | other source | verdicts |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, row in rows.items():
        verdicts = ", ".join(f"{v} {n}" for v, n in sorted(row["verdicts"].items()))
        lines.append(f"| {name} | {row['members']} | {row['false_alarms']} | {row['same_family']} | "
                     f"{row['other_source']} | {verdicts} |")
    same = sum(r["same_family"] for r in rows.values())
    other = sum(r["other_source"] for r in rows.values())
    lines += [f"| **all** | {members_total} | **{flagged}** | {same} | {other} | |", ""]
    if results["false_alarms"]:
        lines += ["## The false alarms, with their evidence", ""]
        for alarm in results["false_alarms"]:
            lines += _alarm(alarm)
    return "\n".join(lines) + "\n"


def _alarm(alarm: dict[str, Any]) -> list[str]:
    lines = [f"- **{alarm['id']}** ({alarm['address'] or 'synthetic'}): `{alarm['verdict']}`"]
    for match in alarm["matches"]:
        lines.append(f"  - against {match['source_id']} ({match['address'] or '-'}): `{match['verdict']}`, "
                     f"coverage {match['coverage']}, spin rate {match['spin_rate']}")
        for passage in match["passages"]:
            head = (f"    - {passage['kind']}, {passage['matched']} words kept ({passage['matched_prose']} of prose), "
                    f"{passage['substitutions']} changes")
            if passage["text"] is None:  # a real page: where, not what
                lines.append(f"{head}: characters {passage['suspect'][0]}-{passage['suspect'][1]} of the member, "
                             f"{passage['source'][0]}-{passage['source'][1]} of the source")
                continue
            changes = "; ".join(f"{a!r} -> {b!r}" for a, b in passage["changes"][:6])
            lines.append(f"{head}: \"{' '.join(passage['text'].split())}\"" + (f"; changed: {changes}" if changes else ""))
    return lines


def write_report(results: dict[str, Any], out: str | Path) -> Path:
    """Write templates.json and templates.md into ``out``; returns the Markdown path."""
    return write_results(out, "templates", results, markdown(results))

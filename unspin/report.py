"""Reports: JSON lines, a terminal summary and a self-contained HTML page."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from unspin.passage import Passage
from unspin.check import Match, Result, quoted_words_shared
from unspin.document import Document, ReadError
from unspin.intrinsic import Intrinsic
from unspin.language import language_name

VERDICT_STYLES = {
    "copy": "bold red",
    "spun": "bold magenta",
    "paraphrase": "bold yellow",
    "partial": "yellow",
    "original": "green",
}


# --- JSON ----------------------------------------------------------------------------


def result_json(item: Result | ReadError) -> dict[str, Any]:
    """The JSON object of one checked suspect (or of an input that could not be read)."""
    if isinstance(item, ReadError):
        return {"id": item.id, "error": item.error}
    suspect = item.suspect
    return {
        "id": suspect.id,
        "verdict": item.verdict.value,
        "title": suspect.title,
        "url": suspect.url,
        "origin": suspect.origin,
        "language": item.language,
        # How a suspect in another language was compared; its offsets still point into its own text.
        "translation": None if item.translation is None else {
            "from": item.translation.language, "into": "en", "engine": "apertium"},
        "matches": [match_json(match, suspect) for match in item.matches],
        "shared_quotes": [shared_quote_json(match, suspect) for match in item.shared_quotes],
        "intrinsic": item.intrinsic.json() if item.intrinsic else None,
    }


def match_json(match: Match, suspect: Document) -> dict[str, Any]:
    """The JSON object of one match: the source, the scores and the passages."""
    judgement = match.judgement
    return {
        "source_id": match.source.id,
        "title": match.source.title,
        "url": match.source.url,
        "verdict": judgement.verdict.value,
        "score": round(judgement.score, 4),
        "coverage": round(judgement.coverage, 4),
        "source_coverage": round(judgement.source_coverage, 4),
        "spin_rate": round(judgement.spin_rate, 4),
        "passages": [passage_json(p, suspect.text, match.source.text) for p in judgement.evidence],
    }


def shared_quote_json(match: Match, suspect: Document) -> dict[str, Any]:
    """A source the suspect shares only quotations with: the source and the quotations (no scores: not a copy)."""
    return {
        "source_id": match.source.id,
        "title": match.source.title,
        "url": match.source.url,
        "passages": [passage_json(p, suspect.text, match.source.text) for p in match.judgement.evidence],
    }


def passage_json(passage: Passage, suspect_text: str, source_text: str) -> dict[str, Any]:
    """A passage's offsets, kept words and substitutions (with the words, for reading)."""
    extra: dict[str, Any] = {"kind": passage.kind}
    if passage.kind == "sentences":  # words of the source's sentences kept, not their order
        extra["shared_words"] = passage.shared
    if getattr(passage, "kind", None) == "paraphrase":  # from the semantic view: sentence pairs
        extra = {
            "kind": "paraphrase",
            "similarity": round(passage.similarity, 4),
            "sentences": [
                {"suspect": list(s), "source": list(t), "similarity": round(pair.similarity, 4)}
                for (s, t), pair in zip(passage.sentence_offsets, passage.pairs)
            ],
        }
    return {
        "suspect": list(passage.suspect),
        "source": list(passage.source),
        "matched_words": passage.matched,
        "quote": passage.quote,
        "substitutions": [  # (unpacked: a passage may have hundreds, and attributes cost more)
            {"suspect": [a, b], "source": [c, d], "suspect_text": suspect_text[a:b], "source_text": source_text[c:d],
             "kind": kind}
            for (a, b), (c, d), _, _, kind, _, _ in passage.substitutions
        ],
        **extra,
    }


def document_json(item: Document | ReadError) -> dict[str, Any]:
    """A document as ``unspin extract --json`` prints it."""
    if isinstance(item, ReadError):
        return {"id": item.id, "error": item.error}
    return {**item.metadata(), "text": item.text}


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps makes one per call, given an option


def json_line(data: dict[str, Any]) -> str:
    """One JSON line's text, without its line break."""
    return _ENCODER.encode(data)


def write_json_line(data: dict[str, Any] | str, out: TextIO) -> None:
    """``data`` as one JSON line (given as an object, or as :func:`json_line`'s text)."""
    out.write((data if isinstance(data, str) else json_line(data)) + "\n")
    out.flush()


# --- terminal ------------------------------------------------------------------------


def print_result(console: Console, item: Result, swaps: int = 5) -> None:
    """A suspect's verdict, its matches and a few of the swapped words."""
    verdict = item.verdict.value
    header = Text.assemble((f"{verdict:<10}", VERDICT_STYLES[verdict]), " ", item.suspect.id)
    if item.translation is not None:
        header.append(f"  ({translation_note(item)})", "dim")
    console.print(header)
    if item.matches:
        _print_matches(console, item, swaps)
    for match in item.shared_quotes:
        console.print(Text("     shared quote with ", "dim") + Text(_shared_quote_line(match, item.suspect)))
    if item.intrinsic is not None and item.intrinsic.spun:  # the JSON has it for every suspect
        console.print(_intrinsic_line(item.intrinsic))


def _intrinsic_line(intrinsic: Intrinsic, tells: int = 5) -> Text:
    """The suspect's own spin score, and its strongest tells with the usual words."""
    line = Text("     intrinsic spin score ", "dim") + Text(
        f"{intrinsic.spin_score:.2f}", VERDICT_STYLES["spun"] if intrinsic.spun else "")
    if intrinsic.declared:
        line += Text(" (says it was spun)", VERDICT_STYLES["spun"])
    shown = [f"{_short(t.word)} (usually {' / '.join(t.usual[:2])})" for t in intrinsic.words[:tells]]
    return line + Text(": " + "; ".join(shown) if shown else "")


def translation_note(item: Result) -> str:
    """How a suspect in another language was compared, for people to read."""
    return f"{language_name(item.language)}, compared through its English translation (Apertium)"


def _shared_quote_line(match: Match, suspect: Document) -> str:
    quotes = match.judgement.evidence
    words = quoted_words_shared(match)
    first = suspect.text[slice(*quotes[0].suspect)]
    return (f"{match.source.id}: “{_short(first, 50)}” "
            f"({words} words{f' in {len(quotes)} quotations' if len(quotes) > 1 else ''}, not counted as copying)")


def _print_matches(console: Console, item: Result, swaps: int) -> None:
    table = Table(box=None, show_header=True, header_style="dim", padding=(0, 1), pad_edge=False)
    for column in ("", "source", "verdict", "coverage", "spin", "passages"):
        table.add_column(column, justify="right" if column in {"coverage", "spin", "passages"} else "left",
                         overflow="fold")
    for rank, match in enumerate(item.matches, start=1):
        judgement = match.judgement
        table.add_row(
            f"  {rank}.",
            match.source.id,
            Text(judgement.verdict.value, VERDICT_STYLES[judgement.verdict.value]),
            f"{judgement.coverage:.0%}",
            f"{judgement.spin_rate:.0%}",
            str(len(judgement.evidence)),
        )
    console.print(table)
    examples = list(_swap_examples(item.matches[0], item.suspect, swaps))
    if examples:
        console.print(Text("     swapped: ", "dim") + Text("; ".join(examples)))


def _swap_examples(match: Match, suspect: Document, limit: int) -> Iterable[str]:
    shown = 0
    for passage in match.judgement.evidence:
        for sub in passage.substitutions:
            before, after = match.source.text[slice(*sub.source)], suspect.text[slice(*sub.suspect)]
            if sub.kind == "swap" and shown < limit:
                shown += 1
                yield f"{_short(before)} → {_short(after)}"


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- HTML ----------------------------------------------------------------------------


def html_report(results: Iterable[Result | ReadError], title: str = "unspin report") -> str:
    """One self-contained HTML page: per suspect, each match side by side with its source."""
    sections = [_html_section(n, item) for n, item in enumerate(results)]
    return _PAGE.format(title=html.escape(title), style=_STYLE, script=_SCRIPT, body="\n".join(sections))


def _html_section(number: int, item: Result | ReadError) -> str:
    if isinstance(item, ReadError):
        return f'<section class="error"><h2>{html.escape(item.id)}</h2><p>error: {html.escape(item.error)}</p></section>'
    verdict = item.verdict.value
    parts = [
        f'<section><h2><span class="verdict {verdict}">{verdict}</span> {html.escape(item.suspect.id)}</h2>'
    ]
    if item.translation is not None:
        parts.append(f'<p class="language">{html.escape(translation_note(item))}: passages and '
                     f"changed words are marked in its own text.</p>")
    if not item.matches:
        parts.append("<p>No source in the index explains this text.</p>")
    if item.intrinsic is not None:
        parts.append(intrinsic_html(item.suspect, item.intrinsic))
    for rank, match in enumerate(item.matches):
        parts.append(match_html(item.suspect, match, f"s{number}m{rank}", open_=rank == 0))
    for rank, match in enumerate(item.shared_quotes):
        parts.append(shared_quote_html(item.suspect, match, f"s{number}q{rank}"))
    parts.append("</section>")
    return "\n".join(parts)


def intrinsic_html(suspect: Document, intrinsic: Intrinsic) -> str:
    """The suspect's own spin score, and the suspect with its tells marked, the usual words in their tooltips."""
    spun = '<span class="verdict spun">spun</span> ' if intrinsic.spun else ""
    declared = ", and says it was spun" if intrinsic.declared else ""
    summary = (f"{spun}intrinsic spin score {intrinsic.spin_score:.2f} · {len(intrinsic.words)} "
               f"word{'s' if len(intrinsic.words) != 1 else ''} rarer than the usual ones{declared}")
    marks = sorted([(t.start, t.end, "usually: " + ", ".join(t.usual)) for t in intrinsic.words]
                   + ([(*intrinsic.declared, "says it was spun")] if intrinsic.declared else []))
    out, cursor = [], 0
    for start, end, note in marks:
        if start < cursor:
            continue
        out.append(html.escape(suspect.text[cursor:start]))
        out.append(f'<mark class="tell" title="{html.escape(note, quote=True)}">{html.escape(suspect.text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(suspect.text[cursor:]))
    return (f'<details class="intrinsic"><summary>{summary}</summary>'
            f'<div class="text">{"".join(out)}</div></details>')


def match_html(suspect: Document, match: Match, key: str, open_: bool = True) -> str:
    """One match: its figures, then suspect and source side by side, passages linked."""
    judgement = match.judgement
    evidence = judgement.evidence
    summary = (
        f'<span class="verdict {judgement.verdict.value}">{judgement.verdict.value}</span> '
        f"{html.escape(match.source.id)} · coverage {judgement.coverage:.0%} of the suspect, "
        f"{judgement.source_coverage:.0%} of the source · spin rate {judgement.spin_rate:.0%} · "
        f"{len(evidence)} passage{'s' if len(evidence) != 1 else ''}"
    )
    return f'<details{" open" if open_ else ""}><summary>{summary}</summary>{_side_by_side(suspect, match, key)}</details>'


def shared_quote_html(suspect: Document, match: Match, key: str) -> str:
    """A source that shares only quotations with the suspect: a note, and the two texts with the quotations marked."""
    quotes = match.judgement.evidence
    words = quoted_words_shared(match)
    summary = (
        f'<span class="verdict shared">shared quote</span> {html.escape(match.source.id)} · '
        f"{words} words quoted in both{f' ({len(quotes)} quotations)' if len(quotes) > 1 else ''}, "
        f"not counted as copying"
    )
    return f'<details class="shared-quote"><summary>{summary}</summary>{_side_by_side(suspect, match, key)}</details>'


def _side_by_side(suspect: Document, match: Match, key: str) -> str:
    """Suspect and source side by side, the match's passages marked and linked."""
    evidence = match.judgement.evidence
    suspect_html = highlight(suspect.text, key, [(p.suspect, [s.suspect for s in p.substitutions], p.quote) for p in evidence], "suspect", match.source.text, [[s.source for s in p.substitutions] for p in evidence], [[s.kind for s in p.substitutions] for p in evidence])
    source_html = highlight(match.source.text, key, [(p.source, [s.source for s in p.substitutions], p.quote) for p in evidence], "source", suspect.text, [[s.suspect for s in p.substitutions] for p in evidence], [[s.kind for s in p.substitutions] for p in evidence])
    return (
        f'<div class="pair"><div class="text"><h3>Suspect</h3>{suspect_html}</div>'
        f'<div class="text"><h3>Source: {html.escape(match.source.title or match.source.id)}</h3>{source_html}</div></div>'
    )


def highlight(
    text: str,
    key: str,
    passages: list[tuple[tuple[int, int], list[tuple[int, int]], bool]],
    side: str,
    other_text: str,
    other_swaps: list[list[tuple[int, int]]],
    kinds: list[list[str]] | None = None,
) -> str:
    """The text with passages as ``<mark>`` and, inside them, changed words as ``<del>``/``<ins>``
    (``kinds``: each change's kind, "swap" unless given; a rewrite says so in its tooltip)."""
    out, cursor = [], 0
    # The source side may be out of order (reordered sentences): walk by position.
    order = sorted(range(len(passages)), key=lambda k: passages[k][0])
    for k in order:
        (start, end), swaps, quote = passages[k]
        if start < cursor:  # passages may overlap on the source side; show each once
            continue
        out.append(html.escape(text[cursor:start]))
        kind = "quote" if quote else "passage"
        out.append(f'<mark class="{kind}" id="{key}-{side}-{k}" data-pair="{key}-{"source" if side == "suspect" else "suspect"}-{k}">')
        inner = start
        for (s0, s1), (o0, o1), kind in zip(swaps, other_swaps[k], kinds[k] if kinds else ["swap"] * len(swaps)):
            if s0 >= s1 or s0 < inner or s1 > end:  # empty, or (a translated suspect's) out of order
                continue
            tag = "ins" if side == "suspect" else "del"
            verb = ("was" if side == "suspect" else "became") if kind != "rewrite" else ("rewritten from" if side == "suspect" else "rewritten as")
            out.append(html.escape(text[inner:s0]))
            out.append(f'<{tag} title="{verb}: {html.escape(other_text[o0:o1], quote=True)}">{html.escape(text[s0:s1])}</{tag}>')
            inner = s1
        out.append(html.escape(text[inner:end]) + "</mark>")
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-top:1px solid #ddd;padding-top:1rem}h3{font-size:.95rem;margin:.2rem 0}
.verdict{display:inline-block;padding:0 .4em;border-radius:3px;color:#fff;font-size:.85em}
.copy{background:#c0392b}.spun{background:#8e44ad}.paraphrase{background:#d68910}.partial{background:#b7950b}.original{background:#1e8449}
.verdict.shared{background:#5c6bc0}
summary{cursor:pointer;margin:.5rem 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:700px){.pair{grid-template-columns:1fr}}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.6rem;max-height:70vh;overflow:auto;border-radius:4px}
mark.passage{background:#fdebd0;cursor:pointer}mark.quote{background:#e8eaf6;cursor:pointer}
mark.focus{outline:2px solid #e67e22}mark.tell{background:#e8daef;border-bottom:2px dotted #8e44ad}
ins{background:#f5b7b1;text-decoration:none}del{background:#aed6f1;text-decoration:none}
.legend span{margin-right:1rem}.error{color:#922b21}
"""

_SCRIPT = """
document.addEventListener('click', function (event) {
  var mark = event.target.closest('mark');
  if (!mark) return;
  var other = document.getElementById(mark.dataset.pair);
  document.querySelectorAll('mark.focus').forEach(function (m) { m.classList.remove('focus'); });
  [mark, other].forEach(function (m) {
    if (!m) return;
    m.classList.add('focus');
    m.parentElement.scrollTop = m.offsetTop - m.parentElement.offsetTop - 40;
  });
});
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>{style}</style></head>
<body><h1>{title}</h1>
<p class="legend"><span><mark class="passage">aligned passage</mark></span><span><mark class="quote">shared quotation</mark></span>
<span><ins>words the suspect swapped in</ins></span><span><del>source words it replaced</del></span> Click a passage to bring both texts to it.</p>
{body}
<script>{script}</script></body></html>
"""

"""A content spinner of the kind content farms use, to make labelled spun copies for the benchmark.

It swaps words and short phrases for thesaurus synonyms (keeping case and inflection), rewrites
generic phrases and function words from a built-in table, and can swap or drop sentences. A
word-for-word thesaurus spinner tops out near 40% of words changed because function words, names
and numbers have no synonyms; the phrase table is what takes real spinners beyond that.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import LCSseq

from unspin.morph import analyse, inflect
from unspin.stopwords import FUNCTION_WORDS
from unspin.thesaurus import NOUN, VERB, Thesaurus

WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_SENTENCE_GAP = re.compile(r"[.!?:;][\"'”’)\]]*\s*[\"'“‘(\[]*\s*$|\n")
_SYNONYM_OK = re.compile(r"[a-z][a-z' \-]*")
TOP_K = 6  # a synonym is drawn from the source's first TOP_K usable candidates
MAX_PHRASE = 4

# Numbers and dates are facts: spinners keep them, and a swap ("six goals" -> "cardinal goals",
# "three months" -> "tierce periods") is both unreadable and a false change of fact.
_UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                  "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                  "nineteenth").split()
NUMBER_WORDS = frozenset(
    _UNITS + _TENS + _ORDINAL_UNITS + [t[:-1] + "ieth" for t in _TENS]
    + "zero nil twice thrice half quarter dozen hundred thousand million billion trillion".split()
    + "dozens tens hundreds thousands millions billions trillions".split()
    + "hundredth thousandth millionth billionth".split()
)
# Month and day names that are no other word, kept in any case ("in january")...
DATE_WORDS = frozenset("january february april june july september october november december "
                       "monday tuesday wednesday thursday friday saturday sunday".split())
# ...and those that are also common words ("may", "march", "august", "sat", "sun"), kept only
# when capitalised, where they name the date (mid-sentence capitals are kept as names anyway)
CAPITALISED_DATE_WORDS = frozenset("may march august jan feb mar apr jun jul aug sep sept oct "
                                   "nov dec mon tue tues wed thu thur thurs fri sat sun".split())

_DETERMINERS = frozenset("a an the this that these those his her its their our my your some any "
                         "each every no many several".split())
_VERB_CUES = frozenset("to will would can could may might must shall should not never also "
                       "i you we they he she it who which that".split())


def _rewrite_groups() -> dict[str, list[str]]:
    """Phrase and function-word rewrites: groups are interchangeable, arrows go one way."""
    groups = [
        "according to|as reported by|as stated by",
        "however|nevertheless|nonetheless|even so",
        "because of|due to|owing to|as a result of",
        "although|though|even though|despite the fact that",
        "in addition|additionally|furthermore|moreover|what is more",
        "for example|for instance|such as",
        "as a result|consequently|therefore|as a consequence",
        "currently|at present|presently|at the moment",
        "recently|lately|not long ago",
        "many|numerous|lots of|plenty of",
        "several|a number of|various",
        "most of|the majority of",
        "very|really|extremely|highly",
        "almost|nearly|virtually",
        "perhaps|maybe|possibly",
        "probably|likely|most likely",
        "also|additionally|likewise",
        "including|such as|among them",
        "people|individuals|folks",
        "enough|sufficient|adequate",
        "whole|entire",
        "often|frequently|regularly",
        "quickly|rapidly|swiftly",
        "again|once more|once again",
        "already|by now|previously",
        "before|prior to|ahead of",
        "after|following|subsequent to",
        "while|whilst|whereas",
        "is expected to|is likely to|is set to",
        "are expected to|are likely to|are set to",
        "told|informed|advised",
        "it is|it's", "do not|don't", "does not|doesn't", "did not|didn't", "is not|isn't",
        "are not|aren't", "was not|wasn't", "were not|weren't", "will not|won't",
        "would not|wouldn't", "could not|couldn't", "should not|shouldn't", "cannot|can't",
        "has not|hasn't", "have not|haven't", "had not|hadn't", "that is|that's",
        "there is|there's", "they are|they're", "we are|we're", "he is|he's", "she is|she's",
    ]
    one_way = [
        "in order to>to|so as to", "but>yet|though", "because>since|as|given that",
        "and>as well as|along with", "if>in case|provided that", "whether>if",
        "so>therefore|thus", "too>also|as well", "just>only|simply|merely", "only>just|merely",
        "still>yet|even now", "on>upon", "with>along with", "in>within", "about>concerning|regarding",
        "over>more than", "more than>over|in excess of", "less than>under|below",
        "fewer than>under", "around>about|roughly|approximately", "until>till|up until",
        "said>stated|explained|added", "says>states|explains|adds", "say>state|claim|believe",
        "added>stated|continued|said", "get>obtain|acquire", "got>obtained|received",
        "make>create|produce", "made>created|produced", "take>carry|grab",
        "took>carried|grabbed", "went>moved|headed", "go>move|head",
        "mr>Mister",
    ]
    table: dict[str, list[str]] = {}
    for group in groups:
        members = group.split("|")
        for m in members:
            table.setdefault(m, []).extend(x for x in members if x != m)
    for rule in one_way:
        src, _, alts = rule.partition(">")
        table.setdefault(src, []).extend(alts.split("|"))
    return table


REWRITES = _rewrite_groups()
_REWRITE_WORDS = max(k.count(" ") + 1 for k in REWRITES)


@dataclass
class Substitution:
    """One replacement: the original words, what replaced them, and where the rewrite came from."""

    original: str
    replacement: str
    source: str  # "thesaurus" or "phrase"


@dataclass
class SpinResult:
    """A spun text and what the spinner did to it."""

    text: str
    words_changed: int  # original words replaced or dropped (by the spinner's own count)
    n_words: int  # words in the original
    substitutions: list[Substitution] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """The spinner's own share of words changed (measure with words_changed() to compare)."""
        return self.words_changed / self.n_words if self.n_words else 0.0


@dataclass
class _Span:
    """A run of words [start, end) that can be replaced by any of ``alternatives``."""

    start: int
    end: int
    alternatives: list[str]
    source: str


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return [w.lower() for w in WORD_RE.findall(text)]


def words_changed(original: str, spun: str) -> float:
    """Share of ``original``'s words not kept, in order, in ``spun`` (word-level LCS diff)."""
    a, b = words(original), words(spun)
    if not a:
        return 0.0
    return 1.0 - LCSseq.similarity(a, b) / len(a)


# --- tokens and protection -----------------------------------------------------------------------

def _tokenize(text: str) -> tuple[list[str], list[str]]:
    """Split into words and the gaps around them: gaps[i] precedes words[i]; len(gaps) = n + 1."""
    toks, gaps, last = [], [], 0
    for m in WORD_RE.finditer(text):
        gaps.append(text[last: m.start()])
        toks.append(m.group())
        last = m.end()
    gaps.append(text[last:])
    return toks, gaps


def _sentence_initial(i: int, gaps: list[str]) -> bool:
    """True when word ``i`` starts a sentence, line or text."""
    return i == 0 or bool(_SENTENCE_GAP.search(gaps[i]))


def _protected(i: int, toks: list[str], gaps: list[str]) -> bool:
    """Numbers, names and acronyms are left alone: spinners keep them (and detectors use them)."""
    w = toks[i]
    if any(c.isdigit() for c in w) or not w[0].isalpha() or _is_number_or_date(w):
        return True
    if w.isupper() and len(w) > 1:
        return not _in_caps_run(i, toks)
    if w[0].isupper():
        if not _sentence_initial(i, gaps):
            return True
        # "Bill Gates said": a capitalised word followed by another one is a name
        return i + 1 < len(toks) and toks[i + 1][0].isupper() and gaps[i + 1] == " "
    return False


def _is_number_or_date(word: str) -> bool:
    """True for a number word, an ordinal or a date's name, alone or in a compound ("five-year")."""
    parts = re.split(r"[-'’]", word.lower())  # "twenty-one", "one's"
    if any(p in NUMBER_WORDS or p in DATE_WORDS for p in parts):
        return True
    return word[0].isupper() and parts[0] in CAPITALISED_DATE_WORDS


def _in_caps_run(i: int, toks: list[str]) -> bool:
    """True when an all-capitals word sits among other all-capitals words (a shouted heading)."""
    near = [toks[j] for j in (i - 1, i + 1) if 0 <= j < len(toks)]
    return any(n.isupper() and len(n) > 2 and n.isalpha() for n in near) and len(toks[i]) > 2


def match_case(model: str, word: str) -> str:
    """``word`` in the case pattern of ``model``: UPPER, Title or as is."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --- finding what can be replaced ----------------------------------------------------------------

def _candidate_spans(toks: list[str], gaps: list[str], thes: Thesaurus | None,
                     phrases: bool) -> list[_Span]:
    """Every replaceable span (they may overlap): table phrases, thesaurus phrases, single words."""
    lowered = [t.lower() for t in toks]
    protected = [_protected(i, toks, gaps) for i in range(len(toks))]
    spans: list[_Span] = []
    for i in range(len(toks)):
        if protected[i]:
            continue
        if phrases:
            spans += _phrase_spans(i, lowered, gaps, protected, thes)
        if thes is not None and lowered[i] not in FUNCTION_WORDS:
            alts = _word_alternatives(i, lowered, thes)
            if alts:
                spans.append(_Span(i, i + 1, alts, "thesaurus"))
    return spans


def _phrase_spans(i: int, lowered: list[str], gaps: list[str], protected: list[bool],
                  thes: Thesaurus | None) -> list[_Span]:
    """Spans starting at word ``i`` that match the rewrite table or a thesaurus phrase."""
    spans = []
    longest = max(_REWRITE_WORDS, min(MAX_PHRASE, thes.max_phrase_words if thes else 1))
    for n in range(longest, 0, -1):
        j = i + n
        if j > len(lowered) or any(protected[i:j]) or any(g.strip() for g in gaps[i + 1: j]):
            continue
        key = " ".join(lowered[i:j])
        if key in REWRITES:
            spans.append(_Span(i, j, list(REWRITES[key]), "phrase"))
        elif (n > 1 and thes is not None and key in thes
              and not FUNCTION_WORDS.issuperset(lowered[i:j])):  # "up to" -> "good enough"
            alts = _usable(thes.synonyms(key), key)
            if alts:
                spans.append(_Span(i, j, alts, "thesaurus"))
    return spans


def _word_alternatives(i: int, lowered: list[str], thes: Thesaurus) -> list[str]:
    """Synonyms for word ``i``, inflected like it, of the part of speech its context suggests."""
    word = lowered[i]
    readings = _order_readings(analyse(word, thes), lowered[i - 1] if i else "")
    bases = {base for base, _, _ in readings}  # "profits" -> "profit" is no synonym
    for base, pos, form in readings:
        alts = []
        for syn in _usable(thes.synonyms(base, pos), base):
            inflected = inflect(syn, form, pos, thes)
            if inflected and inflected != word and syn not in bases:
                alts.append(inflected)
        if alts:
            return alts
    return []


def _order_readings(readings: list, previous: str) -> list:
    """Prefer a noun reading after a determiner and a verb reading after a pronoun or modal."""
    if previous in _DETERMINERS:
        return sorted(readings, key=lambda r: r[1] != NOUN)
    if previous in _VERB_CUES:
        return sorted(readings, key=lambda r: r[1] != VERB)
    return readings


def _usable(candidates: list[str], original: str) -> list[str]:
    """The first TOP_K candidates a spinner would use: lower-case, short, not containing the word."""
    own = set(original.split())
    usable = []
    for cand in candidates:
        if (_SYNONYM_OK.fullmatch(cand) and cand.count(" ") < 3
                and not own & set(cand.split()) and cand not in FUNCTION_WORDS):
            usable.append(cand)
            if len(usable) == TOP_K:
                break
    return usable


# --- spinning ------------------------------------------------------------------------------------

def spin(text: str, rate: float, thesaurus: Thesaurus | None, seed: int | None = None,
         phrases: bool = True, reorder: float = 0.0, drop: float = 0.0) -> SpinResult:
    """Spin ``text``: replace about ``rate`` of its words, then optionally swap/drop sentences."""
    rng = random.Random(seed)
    n_words = len(WORD_RE.findall(text))
    text, dropped = _shuffle_sentences(text, rng, reorder, drop)
    toks, gaps = _tokenize(text)
    spans = _candidate_spans(toks, gaps, thesaurus, phrases)
    chosen = _choose(spans, round(max(0.0, rate) * len(toks)), rng)
    subs: list[Substitution] = []

    def replace(span: _Span, original: str) -> str:
        replacement = match_case(toks[span.start], rng.choice(span.alternatives))
        subs.append(Substitution(original, replacement, span.source))
        return replacement

    spun = _render_spans(toks, gaps, chosen, replace, escape=False)
    changed = dropped + sum(s.end - s.start for s in chosen)
    return SpinResult(spun, changed, n_words, subs)


def _render_spans(toks: list[str], gaps: list[str], chosen: list[_Span], fmt,
                  escape: bool) -> str:
    """Rebuild the text with each chosen span replaced by ``fmt(span, original_text)``."""
    esc = _escape if escape else (lambda x: x)
    by_start = {span.start: span for span in chosen}
    out, k = [esc(gaps[0])], 0
    while k < len(toks):
        span = by_start.get(k)
        if span is None:
            out.append(esc(toks[k]))
            k += 1
        else:
            out.append(fmt(span, "".join(_interleave(toks, gaps, span.start, span.end))))
            k = span.end
        out.append(esc(gaps[k]))
    return "".join(out)


def _choose(spans: list[_Span], target: int, rng: random.Random) -> list[_Span]:
    """Pick non-overlapping spans at random until ``target`` words are covered."""
    order = spans[:]
    rng.shuffle(order)
    taken: set[int] = set()
    chosen, covered = [], 0
    for span in order:
        size = span.end - span.start
        if covered >= target:
            break
        if covered + size > target + 1 or taken.intersection(range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        chosen.append(span)
        covered += size
    return chosen


def _interleave(toks: list[str], gaps: list[str], start: int, end: int) -> list[str]:
    """Words start..end-1 with the gaps between them."""
    parts = []
    for k in range(start, end):
        if k > start:
            parts.append(gaps[k])
        parts.append(toks[k])
    return parts


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, each with its trailing whitespace."""
    out, last = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        out.append(paragraph[last: m.end()])
        last = m.end()
    if last < len(paragraph):
        out.append(paragraph[last:])
    return out


def _shuffle_sentences(text: str, rng: random.Random, reorder: float,
                       drop: float) -> tuple[str, int]:
    """Swap adjacent sentences with probability ``reorder``, drop each with probability ``drop``."""
    if reorder <= 0 and drop <= 0:
        return text, 0
    paragraphs = [split_sentences(p) for p in text.split("\n")]
    for sents in paragraphs:
        i = 0
        while i + 1 < len(sents):
            if rng.random() < reorder:
                sents[i], sents[i + 1] = _swap_ends(sents[i], sents[i + 1])
                i += 1  # a swapped pair is not swapped again
            i += 1
    flat = [(p, k) for p, sents in enumerate(paragraphs) for k in range(len(sents))]
    doomed = {pk for pk in flat if rng.random() < drop}
    if len(doomed) == len(flat):  # never drop everything
        doomed.discard(flat[0])
    dropped = sum(len(WORD_RE.findall(paragraphs[p][k])) for p, k in doomed)
    kept = ["".join(s for k, s in enumerate(sents) if (p, k) not in doomed)
            for p, sents in enumerate(paragraphs)]
    return "\n".join(kept), dropped


def _swap_ends(first: str, second: str) -> tuple[str, str]:
    """Swap two sentences, keeping the whitespace at the positions it was."""
    s1, s2 = first.rstrip(), second.rstrip()
    return s2 + first[len(s1):], s1 + second[len(s2):]


# --- spintax -------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    """Escape spintax's special characters in literal text."""
    return re.sub(r"([\\{}|])", r"\\\1", text)


def to_spintax(text: str, thesaurus: Thesaurus | None, rate: float = 1.0, seed: int | None = None,
               phrases: bool = True) -> str:
    """Mark about ``rate`` of the words as ``{original|synonym|...}`` (original first)."""
    rng = random.Random(seed)
    toks, gaps = _tokenize(text)
    chosen = _choose(_candidate_spans(toks, gaps, thesaurus, phrases),
                     round(rate * len(toks)), rng)

    def alternatives(span: _Span, original: str) -> str:
        alts = [original] + [match_case(toks[span.start], a) for a in span.alternatives]
        return "{" + "|".join(_escape(a) for a in alts) + "}"

    return _render_spans(toks, gaps, chosen, alternatives, escape=True)


def expand_spintax(text: str, seed: int | None = None) -> str:
    """Expand ``{a|b|{c|d}}`` spintax, choosing one alternative at random at every level."""
    rng = random.Random(seed)
    tree, _ = _parse_spintax(text, 0, top=True)
    return _render(tree, rng)


# a parsed spintax node: literal text, or a list of alternatives, each a sequence of nodes
_Node = str | list[list["_Node"]]


def _parse_spintax(text: str, i: int, top: bool = False) -> tuple[list[list[_Node]], int]:
    """Parse alternatives from ``i`` up to the matching '}' (or the end when ``top``)."""
    alternatives: list[list[_Node]] = [[]]
    literal: list[str] = []
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            literal.append(text[i + 1])
            i += 2
            continue
        if c in "{|}":
            alternatives[-1].append("".join(literal))
            literal = []
            if c == "{":
                sub, i = _parse_spintax(text, i + 1)
                alternatives[-1].append(sub)
                continue
            if c == "}" and not top:
                return alternatives, i + 1
            if c == "}" or (c == "|" and top):
                raise ValueError(f"unbalanced spintax: unexpected '{c}' at offset {i}")
            alternatives.append([])
        else:
            literal.append(c)
        i += 1
    if not top:
        raise ValueError("unbalanced spintax: a '{' is never closed")
    alternatives[-1].append("".join(literal))
    return alternatives, i


def _render(alternatives: list[list[_Node]], rng: random.Random) -> str:
    """Choose one alternative and render it, recursing into nested choices."""
    chosen = alternatives[0] if len(alternatives) == 1 else rng.choice(alternatives)
    return "".join(n if isinstance(n, str) else _render(n, rng) for n in chosen)

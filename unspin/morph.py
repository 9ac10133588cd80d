"""English inflection for the spinner: find a word's base form and re-inflect a synonym the same way.

Forms: ``"s"`` (plural noun or third-person verb), ``"ed"`` (past or past participle), ``"ing"``,
``"er"`` and ``"est"`` (comparative, superlative), ``None`` (base form). Irregular forms come from
the thesaurus' own table (the Moby thesaurus brings unspin's, ``data/irregular.txt``), else from
WordNet's exception lists when installed, else unspin's table; the rest from suffix rules
(WordNet's "morphy" rules).
"""

from __future__ import annotations

import re

from unspin.thesaurus import ADJ, NOUN, VERB, Thesaurus, wordnet_exceptions

# (part of speech, suffix of the inflected form, suffix of the base, form)
_DETACH = [
    (NOUN, "ies", "y", "s"), (NOUN, "ches", "ch", "s"), (NOUN, "shes", "sh", "s"),
    (NOUN, "xes", "x", "s"), (NOUN, "ses", "s", "s"), (NOUN, "s", "", "s"),
    (VERB, "ies", "y", "s"), (VERB, "es", "e", "s"), (VERB, "es", "", "s"), (VERB, "s", "", "s"),
    (VERB, "ied", "y", "ed"), (VERB, "ed", "e", "ed"), (VERB, "ed", "", "ed"),
    (VERB, "ing", "e", "ing"), (VERB, "ing", "", "ing"),
    (ADJ, "ier", "y", "er"), (ADJ, "er", "e", "er"), (ADJ, "er", "", "er"),
    (ADJ, "iest", "y", "est"), (ADJ, "est", "e", "est"), (ADJ, "est", "", "est"),
]

_VOWELS = set("aeiou")
# irregular verbs whose past is the base form: WordNet's exception lists leave them out
_INVARIANT_PAST = frozenset("bet broadcast burst cast cost cut forecast hit hurt let put quit "
                            "set shed shut split spread thrust upset".split())
# suffixes that mark a noun: a POS-less thesaurus' candidate with one of these cannot be a verb
_NOUNISH = re.compile(r"(tion|sion|ment|ness|ity|ship|ism|ance|ence|ery|ure|hood|dom|ist|or)$")


def analyse(word: str, thes: Thesaurus) -> list[tuple[str, str | None, str | None]]:
    """Readings (base, part of speech, form) of lower-case ``word`` that ``thes`` has synonyms for."""
    readings: list[tuple[str, str | None, str | None]] = []
    for pos, bases in _exceptions(thes).get(word, {}).items():
        readings += [(b, pos, _exception_form(word, pos)) for b in bases if _known(b, pos, thes)]
    for pos, suffix, base_suffix, form in _DETACH:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + base_suffix
            if _known(base, pos, thes):
                readings.append((base, pos, form))
    # sorted: a set's order varies from run to run (string hashing), and --seed must reproduce
    own = [(word, pos, None) for pos in sorted(thes.parts_of_speech(word), key=lambda p: p or "")]
    # a plural-looking word that is itself a headword ("news", "arms") is usually that headword;
    # an -ed/-ing word that is also a headword ("said", "increased") is usually the verb form
    return own + readings if word.endswith("s") else readings + own


def _known(base: str, pos: str, thes: Thesaurus) -> bool:
    """True when ``thes`` has ``base`` as part of speech ``pos`` (or at all, for POS-less sources)."""
    kinds = thes.parts_of_speech(base)
    return pos in kinds if thes.has_pos else bool(kinds)


def _exceptions(thes: Thesaurus) -> dict[str, dict[str, list[str]]]:
    """The thesaurus' own exception lists, else WordNet's when installed, else unspin's table."""
    return thes.exceptions or wordnet_exceptions()


def _exception_form(surface: str, pos: str) -> str:
    """The form of an irregular surface word listed in an exception file."""
    if pos == NOUN:
        return "s"
    if pos == ADJ:
        return "est" if surface.endswith("st") else "er"
    if surface.endswith("ing"):
        return "ing"
    return "s" if surface.endswith("s") and not surface.endswith("ss") else "ed"


# id(exception table) -> (the table, kept alive so the id stays valid; its inversion)
_INVERTED: dict[int, tuple[dict, dict[tuple[str, str], list[str]]]] = {}


def _irregular(exc: dict[str, dict[str, list[str]]]) -> dict[tuple[str, str], list[str]]:
    """(base, form) -> irregular surfaces, inverting an exception table once per table."""
    if id(exc) not in _INVERTED:
        table: dict[tuple[str, str], list[str]] = {}
        for surface, by_pos in exc.items():
            for pos, bases in by_pos.items():
                for base in bases:
                    forms = table.setdefault((base, _exception_form(surface, pos)), [])
                    if surface not in forms:
                        forms.append(surface)
        _INVERTED[id(exc)] = (exc, table)
    return _INVERTED[id(exc)][1]


def inflect(base: str, form: str | None, pos: str | None, thes: Thesaurus) -> str | None:
    """``base`` (a word or phrase; its first word inflects) in ``form``; None when unsure."""
    if form is None:
        return base
    head, _, rest = base.partition(" ")
    irregular = _irregular(_exceptions(thes)).get((head, form), [])
    if len(irregular) > 1 and form == "ed":
        return None  # "took" or "taken"? the text's word could be either, so skip this synonym
    if form == "ed" and head in _INVARIANT_PAST:
        word = head
    elif irregular:
        word = irregular[0]
    elif not thes.has_pos and not _plausible(head, form):
        return None
    elif form in ("er", "est"):
        return _compare(base, form)
    else:
        word = _regular(head, form)
    return f"{word} {rest}" if rest else word


def _plausible(head: str, form: str) -> bool:
    """For a source without parts of speech: could ``head`` take ``form``? (a cheap guess)."""
    if form in ("er", "est"):
        return False  # "high" -> "node": Moby's sets mix parts of speech; only irregulars are safe
    if form in ("ed", "ing"):
        # its sets mix nouns and adjectives into verb senses: "increase" -> "addition", "mounting"
        return not (_NOUNISH.search(head) or _NOT_VERB.search(head))
    return not _NOT_PLURAL.search(head)


_NOT_VERB = re.compile(r"(ing|ed|ly|ous|ful|ive|al|ic|able|ible|less|ary|ian)$")
_NOT_PLURAL = re.compile(r"(ed|ly|ous|ful|ive|able|ible|less)$")


def _regular(word: str, form: str) -> str:
    """Regular inflection of one word."""
    consonant_y = word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS
    if form == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        return word[:-1] + "ies" if consonant_y else word + "s"
    if form == "ed":
        if word.endswith("e"):
            return word + "d"
        return word[:-1] + "ied" if consonant_y else word + "ed"
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    return word + "ing"


def _compare(base: str, form: str) -> str:
    """Comparative or superlative: suffix for short adjectives, "more"/"most" for the rest."""
    if " " in base or len(base) > 6:
        return ("more " if form == "er" else "most ") + base
    stem = base[:-1] + "i" if base.endswith("y") else base.rstrip("e")
    return stem + form

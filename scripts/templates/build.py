"""Build the templated-text development set of ``unspin bench --suite templates``.

How the pages were gathered (by hand, in two rounds; CI and other machines cannot repeat it): the
``pages`` corpus of the project's search tool (stored public web pages, each result giving
its address and the page's text from its beginning) was queried with phrases of one template
family at a time, in the family's own words ("Mostly clear, with a low around 25. Calm wind.",
"How the Dow Jones industrial average and other major indexes fared on Friday", "of Hanover,
passed away on ... She was born ... the daughter of the late"; later "PREP BASKETBALL=
POSTPONEMENTS AND CANCELLATIONS=", "gold futures settled an ounce on the Comex", "notice to
owner ... impound ... days after notice", "age 76, of Decatur, passed away at"). Every result that is a
member of the family (a forecast, a market close, a death notice, ...) was kept, with its
address, as the beginning of its stored text: up to about 1,500 characters, cut at a line
end; navigation, photo captions and share buttons left out, and the SEC filings' tables
flattened into one row a line. Guides *about* a family (how to write an obituary) were not
kept. (A third round, on another machine that lacked RAW, gathered the set again the same way:
66 of the listed addresses came back, and other members of the same families took the place of
the rest. A fourth round, on a machine that again lacked RAW, gathered it once more the same
way: 72 of the previously listed addresses came back (none of the earnings ones), others of the
same families took the place of the rest, 313 kept of 321 records; ``scripts/templates/pages.tsv``
lists that set.) The transcriptions are in RAW (files of records, each ``@@@ family<TAB>address`` on a
line of its own, then the text), outside the repository with the other data: the texts are
third-party pages, never copied into the repository.

This script turns RAW into the set the benchmark reads: OUT/FAMILY/NNN.txt, one member a
file, and OUT/pages.tsv (family, file, address, status); and writes the same list into the
repository (``scripts/templates/pages.tsv``). A member of a family must be a document of its
own, not a copy of another: a page whose address was already seen is dropped, and so is one
that shares :data:`COPIED` words or more with a member kept before it in runs of at least
:data:`RUN` words, word for word (a republished wire story, a state's statute that two
towns' codes repeat, a company's script read again): that is a copy, not a template filled
in again, and the benchmark counts only templates. (A run of 10 words is what ``unspin
bench`` already takes for reuse when it picks unrelated articles; a template's own lines
between its slots are shorter, and 40 words is more than a line of one.)

    python scripts/templates/build.py [--raw DIR] [--out DIR] [--pages FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

DATA = Path("/work/shared/data-dev/templates")
PAGES = Path(__file__).with_name("pages.tsv")
RUN = 10  # words kept in one run, word for word: reused text (the spin benchmark's measure)
COPIED = 40  # words in such runs: a copied passage, more than a template's line
_RECORD = re.compile(r"^@@@ ([a-z-]+)\t(\S+)[ \t]*$", re.MULTILINE)
_WORD = re.compile(r"\w+")


def records(raw: Path) -> list[tuple[str, str, str]]:
    """Every (family, address, text) of the files in ``raw``, in file order."""
    files = sorted(raw.glob("*.txt"))
    if not files:
        raise SystemExit(f"build.py: no .txt files in {raw}")
    found = []
    for path in files:
        content = path.read_text(encoding="utf-8")
        heads = list(_RECORD.finditer(content))
        if not heads or content[:heads[0].start()].strip():
            raise SystemExit(f"build.py: {path}: expected records opening with '@@@ family<TAB>address'")
        for head, after in zip(heads, heads[1:] + [None]):
            text = content[head.end():after.start() if after else len(content)].strip() + "\n"
            found.append((head.group(1), head.group(2), text))
    return found


def shared_in_runs(a: list[str], b: list[str]) -> int:
    """The words the two lists share in runs of at least :data:`RUN` words, word for word."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= RUN)


def build(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """(family, address, text, status) for every record: status ``kept``, or why it was dropped."""
    kept: dict[str, list[tuple[str, list[str]]]] = {}
    seen: set[str] = set()
    out = []
    for family, address, text in found:
        words = _WORD.findall(text.lower())
        status = "kept"
        if address in seen:
            status = "dropped: address seen before"
        else:
            for other, other_words in kept.get(family, []):
                shared = shared_in_runs(words, other_words)
                if shared >= COPIED:
                    status = f"dropped: shares {shared} words in runs of {RUN}+ with {other}"
                    break
        seen.add(address)
        if status == "kept":
            kept.setdefault(family, []).append((address, words))
        out.append((family, address, text, status))
    return out


def write(built: list[tuple[str, str, str, str]], out: Path, pages: Path) -> None:
    """The members' files and the list of pages, in OUT; the list in the repository too."""
    numbers: Counter[str] = Counter()
    rows = ["family\tfile\taddress\tstatus"]
    for family, address, text, status in built:
        name = ""
        if status == "kept":
            numbers[family] += 1
            name = f"{family}/{numbers[family]:03d}.txt"
            (out / family).mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text, encoding="utf-8")
        rows.append(f"{family}\t{name}\t{address}\t{status}")
    listing = "\n".join(rows) + "\n"
    (out / "pages.tsv").write_text(listing, encoding="utf-8")
    pages.write_text(listing, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DATA / "raw", help="folder of transcribed records (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DATA, help="where the families' folders go (default: %(default)s)")
    parser.add_argument("--pages", type=Path, default=PAGES, help="the list of pages kept in the repository")
    args = parser.parse_args(argv)
    built = build(records(args.raw))
    for family in {f for f, *_ in built}:  # a rebuild starts from empty family folders
        for old in (args.out / family).glob("*.txt") if (args.out / family).is_dir() else []:
            old.unlink()
    write(built, args.out, args.pages)
    kept = Counter(family for family, _, _, status in built if status == "kept")
    dropped = [(family, address, status) for family, address, _, status in built if status != "kept"]
    for family, count in sorted(kept.items()):
        print(f"{family}: {count} members")
    for family, address, status in dropped:
        print(f"{family}: {address} {status}")
    print(f"{sum(kept.values())} members in {len(kept)} families, {len(dropped)} dropped; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

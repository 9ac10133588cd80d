"""Make the languages suite's negatives: texts written in Spanish, Catalan and Esperanto
that translate no BBC article, from Debian's packages (no network).

    apt-get install debian-reference-es maint-guide-ca fortunes-es fortunes-eo
    python scripts/language_negatives.py ../shared/data-dev/languages

writes OUT/LANG/NNNN.txt, texts of about an article's length (at least MIN_WORDS words):
manuals cut at paragraph boundaries, and fortune-cookie sayings (each a text of its own
language's authors or translators) gathered a file's run at a time. The texts stay out of the
repository; `unspin bench --suite languages --languages-data OUT` reads them. Galician has no
such package in Debian: its negatives are the suite's translated held-out articles alone.
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

from unspin.extract import extract_html

MIN_WORDS = 250
SOURCES = {  # language -> (glob of files, kind)
    "es": [("/usr/share/debian-reference/*.es.html", "html"), ("/usr/share/games/fortunes/es/*", "fortunes")],
    "ca": [("/usr/share/doc/maint-guide-ca/html/*.ca.html", "html")],
    "eo": [("/usr/share/games/fortunes/eo/*", "fortunes")],
}


def paragraphs(path: str, kind: str) -> list[str]:
    """A file's paragraphs: a page's extracted text split at blank lines, or its sayings."""
    raw = Path(path).read_bytes()
    if kind == "html":
        document = extract_html(raw, path)
        text = getattr(document, "text", "")
        return [p.strip() for p in text.split("\n") if p.strip()]
    text = raw.decode("utf-8", "replace")
    return [p.strip() for p in text.split("\n%\n") if p.strip()]


def texts(language: str) -> list[str]:
    """The language's paragraphs gathered into texts of at least MIN_WORDS words."""
    out: list[str] = []
    for pattern, kind in SOURCES[language]:
        for path in sorted(glob.glob(pattern)):
            if path.endswith((".dat", ".u8")) or Path(path).is_symlink() or not Path(path).is_file():
                continue
            current: list[str] = []
            for paragraph in paragraphs(path, kind):
                current.append(paragraph)
                if sum(len(p.split()) for p in current) >= MIN_WORDS:
                    out.append("\n\n".join(current))
                    current = []
    return out


def main(folder: str) -> None:
    for language in SOURCES:
        target = Path(folder) / language
        target.mkdir(parents=True, exist_ok=True)
        made = texts(language)
        for number, text in enumerate(made):
            (target / f"{number:04d}.txt").write_text(text + "\n", encoding="utf-8")
        print(f"{language}: {len(made)} texts in {target}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", default="../shared/data-dev/languages", help="folder to write LANG/NNNN.txt into")
    main(parser.parse_args().out)

"""Measure the share of words the spinner changes, by thesaurus, rate and phrase rewrites.

    python scripts/spin_rates.py ../shared/data/bbc --files 50

Reads the first N .txt files of the corpus (sorted by path; never copies them) and prints a
Markdown table of the mean measured share of words changed (word-level diff, words_changed()).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import click

from unspin.spinner.spin import spin, words_changed
from unspin.thesaurus import ThesaurusNotFound, load_thesaurus

RATES = (0.1, 0.2, 0.3, 0.4, 0.5, 1.0)


@click.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--files", default=50, show_default=True, help="How many articles to spin.")
@click.option("--thesaurus", "names", multiple=True, default=("wordnet", "aiksaurus"),
              show_default=True)
@click.option("--seed", default=0, show_default=True)
def main(corpus: str, files: int, names: tuple[str, ...], seed: int) -> None:
    """Print mean measured share of words changed per thesaurus, rate, and phrases on/off."""
    paths = sorted(Path(corpus).rglob("*.txt"))
    paths = [p for p in paths if p.name.upper() != "README.TXT"][:files]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    print(f"{len(texts)} articles from {corpus}, seed {seed}; mean (min-max) share changed\n")
    print("| thesaurus | phrases | " + " | ".join(_label(r) for r in RATES) + " |")
    print("|---|---|" + "---|" * len(RATES))
    for name in names:
        try:
            thes = load_thesaurus(name)
        except ThesaurusNotFound as exc:
            sys.exit(str(exc))
        for phrases in (False, True):
            cells = [_cell(texts, rate, thes, phrases, seed) for rate in RATES]
            print(f"| {name} | {'yes' if phrases else 'no'} | " + " | ".join(cells) + " |")


def _label(rate: float) -> str:
    """Column heading for a requested rate."""
    return "max (1.0)" if rate >= 1.0 else f"{rate:.1f}"


def _cell(texts: list[str], rate: float, thes, phrases: bool, seed: int) -> str:
    """Mean and range of the measured share changed over all texts."""
    shares = [words_changed(t, spin(t, rate, thes, seed=seed + i, phrases=phrases).text)
              for i, t in enumerate(texts)]
    return f"{statistics.mean(shares):.3f} ({min(shares):.2f}-{max(shares):.2f})"


if __name__ == "__main__":
    main()

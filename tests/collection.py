"""A generated collection for cluster tests and scale runs: articles, and copies of some of them.

Words are made-up syllable strings with a Zipf-like frequency, glued by real English
function words, so the texts tokenise like prose and nothing depends on outside data.
Run ``python -m tests.collection N FILE.jsonl`` to write N documents as JSON lines.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from dataclasses import dataclass

FUNCTION = ("the of and to in a is that for on was with as by at from it an be this which "
            "or are were has had not but after before their its they he she will would").split()
SYLLABLES = "ka lo mi ne ru sa te vi zo pa da ge hi ju ko la me no pi qu re si tu va wo xe yo".split()


@dataclass
class Truth:
    """What the generator knows: each copy's original."""

    original_of: dict[str, str]


def vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def article(rng: random.Random, words: list[str], weights: list[float], sentences: int) -> str:
    paragraphs, paragraph = [], []
    for _ in range(sentences):
        length = rng.randint(10, 22)
        content = rng.choices(words, cum_weights=weights, k=length)
        sentence = []
        for word in content:
            sentence.append(word)
            if rng.random() < 0.6:
                sentence.append(rng.choice(FUNCTION))
        if rng.random() < 0.3:
            sentence.insert(rng.randrange(len(sentence)), str(rng.randint(2, 2000)))
        paragraph.append(" ".join(sentence).capitalize() + ".")
        if len(paragraph) == 3:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs)


def spin(rng: random.Random, text: str, words: list[str], share: float) -> str:
    function = set(FUNCTION)
    out = []
    for word in text.split(" "):
        bare = word.rstrip(".")
        if bare.isalpha() and bare.lower() not in function and rng.random() < share:
            replacement = rng.choice(words)
            out.append(replacement + word[len(bare):])
        else:
            out.append(word)
    return " ".join(out)


def generate(n: int, seed: int = 7, copy_share: float = 0.2) -> tuple[list[dict], Truth]:
    """``n`` documents: originals, and for a share of them copies (verbatim, spun, partial)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(words))))  # cumulative
    documents: list[dict] = []
    truth: dict[str, str] = {}
    number = 0
    while len(documents) < n:
        number += 1
        original_id = f"https://news{number % 50}.example/story/{number}"
        text = article(rng, words, weights, rng.randint(8, 20))
        day = 1 + number % 28
        documents.append({"id": original_id, "text": text, "date": f"2024-03-{day:02d}"})
        if rng.random() < copy_share:
            for k in range(rng.randint(1, 3)):
                if len(documents) >= n:
                    break
                kind = rng.choice(("copy", "spun", "spun", "partial"))
                if kind == "copy":
                    body = text
                elif kind == "spun":
                    body = spin(rng, text, words, rng.choice((0.15, 0.3)))
                else:
                    paragraphs = text.split("\n\n")
                    body = "\n\n".join(paragraphs[: max(1, len(paragraphs) // 2)] + [article(rng, words, weights, 6)])
                copy_id = f"https://farm{k}.example/{number}-{kind}"
                date = f"2024-04-{day:02d}" if rng.random() < 0.7 else None
                documents.append({"id": copy_id, "text": body, **({"date": date} if date else {})})
                truth[copy_id] = original_id
    return documents, Truth(truth)


def write(n: int, path: str, seed: int = 7) -> Truth:
    documents, truth = generate(n, seed)
    with open(path, "w", encoding="utf-8") as stream:
        for document in documents:
            stream.write(json.dumps(document) + "\n")
    return truth


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])

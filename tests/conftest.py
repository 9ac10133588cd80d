"""Shared fixtures: short articles written for these tests, and a fresh index."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from unspin.index import Index

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

FERRY = """Ferry service to Dunmore Island suspended after engine failure

The only ferry linking Dunmore Island to the mainland will stay out of service until at least
14 May, after an engine failure on Tuesday left 212 passengers stranded at sea for four hours.

The vessel, the MV Selkie, lost power shortly after leaving Carrow harbour. Two tugboats towed it
back to port, where engineers found a cracked cylinder head. The operator, Westline Ferries, said
a replacement part had been ordered from a supplier in Rotterdam.

Islanders said the breakdown showed how fragile their connection to the mainland had become.
The island's school relies on teachers who commute each morning, and the general store gets fresh
produce only twice a week. Local councillor Morag Tulloch described the situation as a crisis that
had been building for years.

"We have warned the government repeatedly that a single ageing vessel is not enough," Tulloch said.
"People here cannot get to hospital appointments, and businesses are losing money every day."

Westline Ferries chartered a smaller passenger boat that will run three crossings a day from
Thursday, but it cannot carry vehicles or freight. The company said it expected the Selkie to
return to service within three weeks once the repairs had been tested at sea.
"""

BAKERY = """Family bakery closes after ninety years on the high street

A bakery that has sold bread on Fenwick Road since 1934 served its last customers on Saturday,
after the owners said rising energy bills had made the ovens too expensive to run.

Alan and Judith Pryce, the third generation of the family to run the shop, said their gas bill
had tripled in eighteen months. Queues stretched along the pavement for most of the morning as
regular customers came to say goodbye and buy a final loaf.

"It breaks our hearts, but we could not keep working at a loss," Judith Pryce said. The couple plan
to sell the building, which still houses the original brick oven installed by Alan's grandfather.

Neighbouring traders said the closure would leave a gap in the street, which has lost a butcher
and a hardware shop in the past two years. The local business association called for help with
energy costs for small firms that depend on heat.
"""

# An independent report of the ferry story: the same facts and the same quotation,
# written separately. It must not be judged a copy.
FERRY_OTHER_OUTLET = """Dunmore islanders cut off as only ferry breaks down

Residents of Dunmore Island face weeks without a regular link to the mainland. Their ferry, the
MV Selkie, broke down on Tuesday with 212 people on board and had to be pulled back into Carrow
by tugs. Engineers later discovered a cracked cylinder head.

Westline Ferries, which runs the route, expects the repair to take until 14 May at the earliest.
A part is on its way from the Netherlands. In the meantime a chartered boat with room for foot
passengers only will make three trips daily.

Councillor Morag Tulloch, who represents the island, was blunt. "We have warned the government
repeatedly that a single ageing vessel is not enough," she told reporters on the quay.

Commuting teachers, patients with hospital appointments and shopkeepers awaiting deliveries are
among those hit hardest, according to islanders who gathered at the pier on Wednesday.
"""

# A library story, the same story with every topic word replaced by a synonym (what a heavy
# spin does: only function words, names and numbers survive, so its shared topic words lie
# more than a sentence apart), and an independent report of the same opening.
LIBRARY = """The new library on Mill Road will open its doors in the spring, after two years of delays \
caused by a shortage of builders and a long dispute over the cost of the roof. Local readers have waited \
for the building since the old branch was closed when its heating failed in the cold winter of the flood. \
The manager told reporters on Monday that the shelves were already full and that her staff had been \
trained to help children with their homework after school. She said that the cafe on the ground floor \
would be run by a small charity from Hartwell, and that the garden at the back would be open to the \
public on most days of the week. A councillor who chairs the culture committee said the total bill was \
higher than planned but that the town would be proud of what it had built."""

LIBRARY_SPUN = """The fresh archive on Mill Road shall unlock its gates in the springtime, following two \
twelvemonths of hold-ups produced by a deficit of constructors and a lengthy quarrel over the price of \
the ceiling. Nearby patrons have lingered for the edifice since the former office was shut when its \
warming broke in the chilly season of the deluge. The director informed journalists on Monday that the \
racks were previously packed and that her workforce had been schooled to assist youngsters with their \
assignments after classes. She stated that the coffeehouse on the lower level would be operated by a \
little foundation from Hartwell, and that the yard at the rear would be accessible to the populace on \
nearly all days of the period. A representative who heads the arts board remarked the entire invoice \
was greater than intended but that the borough would be glad of what it had constructed."""

LIBRARY_OTHER_OUTLET = """Readers in Hartwell will have to wait until the spring for their library on Mill \
Road, which is two years late. Builders were hard to find and the roof cost far more than the council \
had hoped, a spokesman said on Monday. The old branch shut after a flood wrecked its boiler, and since \
then children have done their homework in the church hall. The manager, who has run the service for a \
decade, said the shelves were stocked and that volunteers from a local charity would serve tea and cake \
on the ground floor. The garden will be open on most days, she added, though not in the evenings until \
the lights are fixed."""

SWAPS = {
    "only": "sole", "service": "operation", "suspended": "halted", "failure": "breakdown",
    "stay": "remain", "left": "leaving", "passengers": "travellers", "stranded": "stuck",
    "vessel": "ship", "lost": "misplaced", "shortly": "soon", "towed": "pulled", "found": "discovered",
    "cracked": "broken", "replacement": "substitute", "ordered": "requested", "supplier": "provider",
    "said": "stated", "showed": "demonstrated", "fragile": "delicate", "connection": "link",
    "become": "turned into", "relies": "depends", "commute": "travel", "morning": "day",
    "fresh": "new", "produce": "goods", "described": "portrayed", "situation": "circumstance",
    "building": "growing", "warned": "cautioned", "repeatedly": "again and again", "ageing": "old",
    "enough": "sufficient", "losing": "shedding", "money": "cash", "chartered": "hired",
    "smaller": "tinier", "carry": "transport", "expected": "anticipated", "return": "come back",
    "within": "inside", "weeks": "weeks'", "repairs": "fixes", "tested": "trialled",
}


def swap_words(text: str, share: float, seed: int = 0) -> str:
    """A crude spinner for tests: swaps the listed words with the given probability."""
    rng = random.Random(seed)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        replacement = SWAPS.get(word.lower())
        if replacement is None or rng.random() >= share:
            return word
        return replacement.capitalize() if word[0].isupper() else replacement

    return re.sub(r"[A-Za-z]+", swap, text)


@pytest.fixture
def index(tmp_path: Path) -> Index:
    with Index(tmp_path / "test.db") as store:
        yield store


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder with the two articles as text files."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (folder / "bakery.txt").write_text(BAKERY, encoding="utf-8")
    return folder


def manifest() -> list[dict]:
    return json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", autouse=True)
def compiled_loops(tmp_path_factory):
    """unspin's compiled loops, loaded (or, on a fresh machine, compiled) once before any test
    runs, so that no test's timing includes them."""
    from unspin.check import warm_up

    warm_up(str(tmp_path_factory.mktemp("warm-up")))


def tallied_as_listed(suspect, source) -> tuple[int, int, int]:
    """The change counts (:func:`unspin.figures.change_counts`) of the pair's alignment, tallied
    straight from the diff; asserts that its substitutions, made into lists (as the reports read
    them), count the same."""
    from unspin.align import align
    from unspin.figures import change_counts

    passages = align(suspect, source)
    tallied = change_counts(passages, source, suspect)
    for passage in passages:
        passage.substitutions = list(passage.substitutions)
    assert change_counts(passages, source, suspect) == tallied
    return tallied

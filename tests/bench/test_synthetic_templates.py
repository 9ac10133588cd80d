"""Templates are not copies: members of one family of templated text (unspin/bench/synthetic_templates.py)
checked against the family's other members are original, while a copy of a member, verbatim
or spun, is still traced to it."""

import pytest

from unspin.bench.synthetic_templates import FAMILIES, members
from unspin.align import align
from unspin.check import Checker, common_words
from unspin.document import Document
from unspin.figures import change_counts, swap_share
from unspin.judge import Verdict
from unspin.spinner.spin import spin
from unspin.thesaurus import load_thesaurus
from unspin.tokenize import tokenize

INDEXED = 24  # members of each family indexed: enough for the template's stock text to be common
CHECKED = 6  # other members of each family checked
FEW = 6  # members of each family in a small index, where no text is common yet


def family_index(index, indexed):
    """An index holding the first ``indexed`` members of every family; a checker, and the
    family's other members to check."""
    texts = {family: members(family, indexed + CHECKED) for family in FAMILIES}
    list(index.add(Document(f"{family}/{k}", text) for family, ts in texts.items()
                   for k, text in enumerate(ts[:indexed])))
    return Checker(index), {family: ts[indexed:] for family, ts in texts.items()}


@pytest.fixture
def families(index):
    return family_index(index, INDEXED)


def checked(checker, family, texts):
    results = checker.check_many([Document(f"{family}/other-{k}", text) for k, text in enumerate(texts)])
    return [(r.suspect.id, r.verdict.value, r.matches[0].source.id) for r in results if r.matches]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_members_of_a_template_family_are_original_against_each_other(families, family):
    checker, others = families
    assert checked(checker, family, others[family]) == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_template_with_new_figures_is_original_even_in_a_small_index(index, family):
    # Too few sources for any text to be common: the figures tell the template, and the
    # template's stock sentences, which the family's other members hold too, are theirs,
    # not one member's (unspin/neighbours.py).
    checker, others = family_index(index, FEW)
    assert checked(checker, family, others[family]) == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_verbatim_copy_of_a_template_member_is_a_copy(families, family):
    checker, _ = families
    result = checker.check(Document("verbatim", members(family, 1)[0]))
    assert result.verdict is Verdict.COPY and result.matches[0].source.id == f"{family}/0"
    # A copy with a figure or two updated is still a copy.
    edited = members(family, 1)[0].replace("1", "7", 2)
    result = checker.check(Document("edited", edited))
    assert result.verdict is Verdict.COPY and result.matches[0].source.id == f"{family}/0"


# A results table is nearly all names and numbers, which a spinner keeps: too little prose
# for a spun copy of it to show anything but the table (unspin never found one).
@pytest.mark.parametrize("family", sorted(set(FAMILIES) - {"sports"}))
def test_a_spun_copy_of_a_template_member_is_still_found(families, family):
    checker, _ = families
    spun = spin(members(family, 1)[0], 0.3, load_thesaurus("moby"), seed=1).text
    result = checker.check(Document("spun", spun))
    assert result.verdict is not Verdict.ORIGINAL and result.matches[0].source.id == f"{family}/0"


BOILERPLATE = ("This press release contains forward-looking statements that involve risks and uncertainties, "
               "and actual results may differ materially from those projected.")


@pytest.mark.parametrize(("sharing", "common"), [(5, False), (30, True)])
def test_a_phrase_is_stock_text_once_many_sources_share_it(index, sharing, common):
    # Too few sources sharing a phrase say nothing of it; many make it the collection's stock text.
    texts = [f"{text}\n{BOILERPLATE}\n" for text in members("weather", sharing)]
    list(index.add(Document(f"w{k}", text) for k, text in enumerate(texts)))
    suspect = f"A new text of its own about something else entirely. {BOILERPLATE} And more of its own."
    words = tokenize(suspect)
    marked = common_words(words, index)
    inside = [k for k, start in enumerate(words.starts) if suspect.index(BOILERPLATE) <= start
              < suspect.index(BOILERPLATE) + len(BOILERPLATE)]
    # One 5-gram in four is sampled (as the index keeps them): the phrase's ends may go unmarked.
    assert (marked[inside].mean() >= 0.8) == common and not marked[:5].any() and not marked[-3:].any()


def test_a_change_of_figures_alone_is_no_swap():
    source = tokenize(members("earnings", 1)[0])
    suspect_text = members("earnings", 1)[0].replace("Shr", "Shr 1").replace(" cts", " 12 cts")
    passages = align(tokenize(suspect_text), source)
    assert swap_share(passages, source) == 1.0  # every change is short: swaps, on words alone
    assert swap_share(passages, source, tokenize(suspect_text)) == 1.0
    figures = members("earnings", 2, seed=3)
    passages = align(tokenize(figures[1]), tokenize(figures[0]))
    # Two tables with other figures: the numbers changed are not swaps.
    changed, swapped, new = change_counts(passages, tokenize(figures[0]), tokenize(figures[1]))
    assert new > 0 and swapped < changed


def test_a_spun_copy_that_also_renamed_its_people_and_places_is_no_template():
    # A spinner or an editor that says "the company" for "Westline Ferries" replaced figures,
    # but changed far more of the prose around them: a rewrite, not a template refilled.
    from tests.conftest import FERRY, swap_words
    from unspin.check import compare_texts

    renamed = swap_words(FERRY, 0.8, seed=5)
    for name, other in (("Westline Ferries", "the company"), ("Morag Tulloch", "the councillor"), ("Tulloch", "she"),
                        ("Rotterdam", "the Netherlands"), ("Carrow", "the port"), ("MV Selkie", "the vessel"),
                        ("Selkie", "vessel"), ("Dunmore Island", "the island"), ("Dunmore", "the")):
        renamed = renamed.replace(name, other)
    assert compare_texts(renamed, FERRY).verdict is not Verdict.ORIGINAL


# Two instances of one forecast template, written for this test: the numbers are new, and so
# are the slots' words (the wind's direction, the sky, the day).
FORECAST = ("{0} in the morning, with a high near {1}. {2} wind {3} km/h turning {4} by the afternoon, and "
            "gusts that could reach {5} km/h along the coast.\nTonight\n{6}, with a low around {7}. Light wind "
            "dropping to calm after midnight.\n{8}\n{9}, with a {10} breeze through the evening.")


def forecast(rng):
    """One instance of the forecast template, its slots filled at random."""
    sky = ("Sunny spells", "Heavy showers", "Rain easing later", "Clear", "Dry and bright", "Cooler with drizzle")
    wind = ("Southwest", "North northeast", "West", "South southeast", "East")
    return FORECAST.format(rng.choice(sky), rng.randint(5, 35), rng.choice(wind), rng.randint(5, 60),
                           rng.choice(wind).lower(), rng.randint(30, 90), rng.choice(sky), rng.randint(-5, 20),
                           rng.choice(("Monday", "Tuesday", "Saturday", "Sunday")), rng.choice(sky),
                           rng.choice(("light northerly", "fresh westerly", "gentle southerly")))


def test_a_template_filled_with_new_numbers_and_new_words_in_its_slots_is_original(index):
    import random

    rng = random.Random(4)
    list(index.add(Document(f"forecast/{k}", forecast(rng)) for k in range(30)))
    checker = Checker(index)
    assert checker.check(Document("new", forecast(rng))).verdict is Verdict.ORIGINAL
    # A copy that keeps the numbers, whatever words it swapped, is still traced.
    copied = index.get("forecast/3").text
    swapped = copied.replace("morning", "forenoon").replace("afternoon", "midday").replace("coast", "shore")
    result = checker.check(Document("swapped", swapped))
    assert result.verdict is not Verdict.ORIGINAL and result.matches[0].source.id == "forecast/3"


def test_topic_words_that_many_sources_hold_are_stock_words(index):
    from unspin.check import stock_words

    texts = [f"The Nasdaq rose {k} points on day {k}, brokers in Corvalin said.\n" for k in range(30)]
    list(index.add(Document(f"market/{k}", text) for k, text in enumerate(texts)))
    words = tokenize("The Nasdaq fell 3 points, said Tevmarlin.")
    stock = dict(zip((words.text[a:b] for a, b in zip(*words.offsets)), stock_words(words, index).tolist()))
    assert stock["Nasdaq"] and stock["points"] and not stock["Tevmarlin"] and not stock["The"]


def test_without_an_index_new_numbers_alone_do_not_make_a_template():
    # A copy that gives its figures otherwise (a round trip through translation, a slip of the
    # keys) but keeps its names and prose: without an index nothing is stock, so only the test
    # of figures and names applies, and it kept the names.
    from unspin.check import compare_texts
    from unspin.judge import Verdict

    text = ("Councillors in Hartwell voted on Tuesday to rebuild the Mill Road library, which closed in "
            "{0} after a flood, at a cost of {1} million pounds. Mayor Ellen Price said {2} of the town's "
            "{3} schools had asked for it, and that Hartwell Library would open to readers in {4}.")
    source, suspect = text.format(1999, 3, 45, 60, 2026), text.format(1998, 4, 44, 61, 2027)
    assert compare_texts(suspect, source).verdict is not Verdict.ORIGINAL

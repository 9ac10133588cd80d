"""Figures (unspin/figures.py): two instances of one report give its numbers new values and are
not copies, however few instances the collection holds; a copy keeps its source's values, even
when it updates one of them or rounds them all."""

import random

import numpy as np
import pytest

from unspin.align import align
from unspin.bench.synthetic_templates import members
from unspin.check import Checker
from unspin.document import Document
from unspin.judge import Verdict, judge
from unspin.tokenize import tokenize

# An agency's stock report on a central bank's decision, written for this test: the same
# sentences and names each time (more names kept than replaced), new values in its slots, and
# a few words around them that each instance words its own way.
RATE_REPORT = (
    "Corvalin, {0} - The Tevmarlin Reserve Bank left its benchmark interest rate unchanged at {1} percent "
    "on {2}, {3}, and Governor Ashlin Morvane said that inflation would ease to {4} percent by the end of "
    "next year. The Tevmarlin dinar {5} at {6} per dollar after the announcement, while the Corvalin "
    "Composite index {7}, dealers at Delvarin Securities and Quinros Bank said. The Reserve Bank's board "
    "meets again in {8} weeks, and Morvane said it would watch food prices and the dinar closely.")
_POLL = ("as expected by economists polled by the agency", "surprising most of the economists the agency polled",
         "in a decision that analysts had widely forecast", "as markets had priced in over the past week")
_CURRENCY = ("firmed", "weakened slightly", "was little changed", "slipped")
_INDEX = ("rose {0} percent to a record", "fell {0} percent in thin trade", "ended {0} percent higher on the day",
          "closed down {0} percent")


def rate_report(rng: random.Random) -> str:
    """One instance of the report, its slots filled at random."""
    return RATE_REPORT.format(
        f"{rng.choice(('March', 'June', 'October'))} {rng.randint(1, 28)}", f"{rng.uniform(1, 9):.2f}",
        rng.choice(("Tuesday", "Thursday")), rng.choice(_POLL), f"{rng.uniform(2, 4):.1f}", rng.choice(_CURRENCY),
        f"{rng.uniform(10, 90):.2f}", rng.choice(_INDEX).format(f"{rng.uniform(0.1, 2):.1f}"), rng.randint(4, 8))


@pytest.fixture
def reports(index):
    """A small collection: one instance of the report among a few other texts, so that none of
    the report's words is the collection's stock text; a checker and the indexed instance."""
    rng = random.Random(7)
    source = rate_report(rng)
    others = [Document(f"other/{k}", text) for k, text in enumerate(members("obituary", 4) + members("weather", 4))]
    list(index.add([Document("report/0", source)] + others))
    return Checker(index), source, rng


def test_another_instance_of_a_report_with_new_values_is_original_in_a_small_collection(reports):
    checker, _, rng = reports
    instances = [Document(f"report/{k}", rate_report(rng)) for k in range(1, 6)]
    assert [result.verdict for result in checker.check_many(instances)] == [Verdict.ORIGINAL] * 5


def test_a_copy_that_updates_one_figure_is_still_traced(reports):
    checker, source, _ = reports
    rate = next(word for word in source.split() if word[0].isdigit() and "." in word)
    result = checker.check(Document("updated", source.replace(rate, "9.99", 1)))
    assert result.verdict is not Verdict.ORIGINAL and result.matches[0].source.id == "report/0"


def test_a_copy_that_rounds_its_figures_is_still_traced(reports):
    checker, source, _ = reports
    rounded = " ".join(f"{float(word):.1f}" if word.count(".") == 1 and word.replace(".", "").isdigit() else word
                       for word in source.split(" "))
    assert rounded != source
    result = checker.check(Document("rounded", rounded))
    assert result.verdict is not Verdict.ORIGINAL and result.matches[0].source.id == "report/0"


# A short daily report whose stock sentence ends on the day's figures: the passage the two
# instances share stops at its last kept word, and the new values follow it.
INDEX_REPORT = ("Delmora shipping index {0} on {1}\n\nThe Delmora Exchange's main dry bulk freight index {0} on {1}, "
                "{2}. The overall index, which factors in rates for the larger and smaller vessel classes that "
                "carry grain and ore on the northern routes, {0} {3} points, or {4}%, to {5}.")


def test_another_day_of_a_short_report_that_ends_on_its_figures_is_original(index):
    others = [Document(f"other/{k}", text) for k, text in enumerate(members("obituary", 4) + members("weather", 4))]
    day = INDEX_REPORT.format("rose", "Friday", "helped by a jump in rates for the larger vessels", "221", "6.1", "3,864")
    list(index.add([Document("report/0", day)] + others))
    checker = Checker(index)
    other_day = INDEX_REPORT.format("fell", "Monday", "its worst day in three weeks as rates for smaller ships slid",
                                    "25", "1.8", "1,361")
    assert checker.check(Document("report/1", other_day)).verdict is Verdict.ORIGINAL
    assert checker.check(Document("copy", day)).verdict is Verdict.COPY


# A one-sentence weekly index report, written for this test: its own figures ("8 major routes",
# "40ft") stay in every instance, the week's change, level and date are new each time.
BOX_REPORT = ("The Harbour Box Index assessed by Kelvor, a composite of container freight rates on 8 major routes "
              "to and from the Baltic, the Levant and the Gulf, is {0} to ${1} per 40ft container (updated {2}).")


def test_another_week_of_a_template_that_keeps_numbers_of_its_own_is_original(index):
    others = [Document(f"other/{k}", text) for k, text in enumerate(members("obituary", 4) + members("weather", 4))]
    week = BOX_REPORT.format("down by 7.9%", "1171.88", "Thurs, 29 Mar 18")
    list(index.add([Document("report/0", week)] + others))
    checker = Checker(index)
    other_week = BOX_REPORT.format("up 0.3%", "1,330.29", "Thursday, 18 April 2019")
    assert checker.check(Document("report/1", other_week)).verdict is Verdict.ORIGINAL
    assert checker.check(Document("copy", week)).verdict is Verdict.COPY


def test_a_copy_that_updates_two_figures_is_still_traced(reports):
    checker, source, _ = reports
    rates = [word for word in source.split() if word[0].isdigit() and "." in word][:2]
    updated = source.replace(rates[0], "9.99", 1).replace(rates[1], "8.88", 1)
    result = checker.check(Document("updated", updated))
    assert result.verdict is not Verdict.ORIGINAL and result.matches[0].source.id == "report/0"


# A guide whose runs of capitalised words are the collection's stock names, written for this
# test; its copy swaps neighbours in each run (a spinner that shuffles words, PAN's random
# obfuscation), so half of those names lie in the gaps between the words it kept in order.
GUIDE = ("The guide to the {0} explains how you can file your own return from home and see for yourself how "
         "simple it really is. Every question is answered by {1}, seven days a week, all through the season, "
         "and the {2} editions of the guide are sent to you at no cost, with {3} on what changed this year and "
         "what you can claim.")
_STOCK = {"free", "online", "tax", "service", "email", "phone", "chat", "post", "spring", "summer", "autumn",
          "winter", "news", "weekly", "digest"}


def test_a_copy_that_shuffles_the_collection_s_stock_names_is_no_template():
    source = GUIDE.format("Free Online Tax Service", "Email Phone Chat Post", "Spring Summer Autumn Winter",
                          "Tax News Weekly Digest")
    copy = GUIDE.format("Online Free Service Tax", "Phone Email Post Chat", "Summer Spring Winter Autumn",
                        "News Tax Digest Weekly")
    suspect, theirs = tokenize(copy), tokenize(source)
    stock = np.array([suspect.word(k).lower() in _STOCK for k in range(len(suspect))])
    # Stock names count neither as kept nor, in the gaps, as replaced: the template's own, not its slots.
    assert judge(copy, suspect, theirs, align(suspect, theirs), stock=stock).verdict is Verdict.COPY


# A visitor's note on two places, written for this test: its names are the figures a copy keeps.
VISIT = ("The old road from {0} to {1} follows the river past the mill, and walkers who start early in {0} "
         "reach the bridge at {1} before noon. From there a quiet lane climbs to {2}, where the chapel keeps "
         "its painted ceiling, and a bus returns to {3} every hour until the evening.")


def test_a_copy_that_exchanges_names_between_its_gaps_is_no_template():
    # A rewrite that shuffles words moves the source's names from one gap to another: each is
    # in the copy still, where a template's slot takes a name of its own.
    source = VISIT.format("Arlenby", "Quillmere", "Fairholt", "Dunmarrow")
    copy = VISIT.format("Quillmere", "Arlenby", "Dunmarrow", "Fairholt")
    suspect, theirs = tokenize(copy), tokenize(source)
    assert judge(copy, suspect, theirs, align(suspect, theirs)).verdict is not Verdict.ORIGINAL
    # Names of its own in those places: another instance of the note, as before.
    other = VISIT.format("Brackwell", "Tormoor", "Elsdon", "Hatherby")
    ours = tokenize(other)
    assert judge(other, ours, theirs, align(ours, theirs)).verdict is Verdict.ORIGINAL

"""Summaries: a passage that condenses a longer stretch of its source is widened to all of it."""

from __future__ import annotations

from unspin.bags import sentence_bags
from unspin.diff import diff_stretch
from unspin.passage import Passage
from unspin.summary import summed_up
from unspin.tokenize import Tokens, tokenize

# A report of sixteen sentences, each on a matter of its own.
REPORT = [
    "The harbour board met on Monday to review the winter dredging budget.",
    "Engineers warned that silt in the northern channel had doubled since spring.",
    "Fishermen complained that their boats scraped the bottom at low tide.",
    "The board chairman promised a survey of the channel before December.",
    "Yacht owners in the marina have paid higher mooring fees this year.",
    "A ferry operator said sailings were cancelled twice last month.",
    "Tourism officials feared that summer visitors would choose other ports.",
    "A lifeboat crew rehearsed a rescue near the breakwater on Sunday.",
    "The council offered a loan to cover half the dredging costs.",
    "Environmental groups asked for a study of the seabed wildlife first.",
    "Residents near the quay objected to dredging noise at night.",
    "The board agreed to limit the work to daylight hours.",
    "A historian recalled the great storm that wrecked the pier in 1953.",
    "Contractors will bid for the dredging contract in January.",
    "The first barges are expected to arrive at the harbour in March.",
    "Harbour staff hope the channel will stay clear for a decade.",
]
# The essay's own sentences, on other matters.
OWN = [
    "My grandmother kept bees behind her cottage for forty years.",
    "She sold the honey from a table by the gate, trusting people to pay.",
    "Every autumn she wrapped the hives in straw against the frost.",
    "Nobody in the village could remember a summer without her jars.",
]
# Four sentences that sum up the report, restating its 2nd, 6th, 9th and 14th sentences.
SUMMARY = [
    "Silt in the northern channel has doubled, engineers warned the harbour.",
    "Ferry sailings were cancelled twice, the operator said last month.",
    "The council loan would cover half the costs of the dredging.",
    "Contractors bid in January for the contract for dredging.",
]


def _texts() -> tuple[str, str, Tokens, Tokens]:
    suspect = " ".join(OWN[:2] + SUMMARY + OWN[2:])
    source = " ".join(REPORT)
    return suspect, source, tokenize(suspect), tokenize(source)


def _sentence_passage(suspect: Tokens, source: Tokens, suspect_text: str, source_text: str,
                      ours: tuple[int, int], theirs: tuple[int, int]) -> Passage:
    """A passage of sentences over sentences ``ours`` of the suspect and ``theirs`` of the source."""
    a, b = sentence_bags(suspect_text, suspect), sentence_bags(source_text, source)
    s0, s1 = int(a.bounds[ours[0]]), int(a.bounds[ours[1] + 1])
    t0, t1 = int(b.bounds[theirs[0]]), int(b.bounds[theirs[1] + 1])
    passage = diff_stretch(suspect, source, s0, s1, t0, t1)
    assert passage is not None
    passage.kind = "sentences"
    passage.suspect = (int(suspect.offsets[0][s0]), int(suspect.offsets[1][s1 - 1]))
    passage.source = (int(source.offsets[0][t0]), int(source.offsets[1][t1 - 1]))
    return passage


def test_a_summary_found_in_part_is_widened_to_what_it_sums_up() -> None:
    suspect_text, source_text, suspect, source = _texts()
    # What sentence seeds found: the summary's second and third sentences, restating the
    # report's sixth and ninth.
    found = _sentence_passage(suspect, source, suspect_text, source_text, (3, 4), (5, 8))
    [widened] = summed_up([found], suspect, source)
    assert suspect_text[slice(*widened.suspect)] == " ".join(SUMMARY).rstrip(".")  # offsets end at the last word
    # Its sentences restate the report's 2nd, 6th, 9th and 14th, about four apart: each stands
    # for two sentences either side of its own, so the first and last reach the report's ends.
    assert source_text[slice(*widened.source)] == " ".join(REPORT).rstrip(".")
    assert widened is not found and found.source_span[1] < widened.source_span[1]  # a copy was widened


def test_a_copy_is_not_widened() -> None:
    # Four sentences of the report in place, and next to them one of the essay's own that
    # shares words with a far sentence of the report: it stretches nothing.
    copied = REPORT[5:9]
    suspect_text = " ".join(OWN[:2] + copied + ["The harbour board met my grandmother on Monday."] + OWN[2:])
    source_text = " ".join(REPORT)
    suspect, source = tokenize(suspect_text), tokenize(source_text)
    found = _sentence_passage(suspect, source, suspect_text, source_text, (2, 5), (5, 8))
    [kept] = summed_up([found], suspect, source)
    assert (kept.suspect, kept.source) == (found.suspect, found.source)


def test_passages_of_words_are_left_as_they_are() -> None:
    suspect_text, source_text, suspect, source = _texts()
    found = _sentence_passage(suspect, source, suspect_text, source_text, (3, 4), (5, 8))
    found.kind = "words"
    assert summed_up([found], suspect, source) == [found]

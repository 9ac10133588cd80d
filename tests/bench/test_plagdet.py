"""PAN's measures on hand-made cases, each figure worked out by hand in the comments."""

import math

import pytest

from unspin.bench.plagdet import Annotation, Tally, covered, detects, plagdet


def scores(cases: list[Annotation], detections: list[Annotation]) -> dict[str, float]:
    tally = Tally()
    tally.add(cases, detections)
    return tally.scores()


def test_a_case_found_exactly_scores_one():
    case = Annotation((10, 20), (100, 110))
    s = scores([case], [case])
    assert (s["precision"], s["recall"], s["granularity"], s["plagdet"]) == (1.0, 1.0, 1.0, 1.0)


def test_a_detection_that_overlaps_the_case_in_one_document_only_detects_nothing():
    # Same suspect characters, but source characters 500-600 against the case's 0-100.
    case, detection = Annotation((0, 100), (0, 100)), Annotation((0, 100), (500, 600))
    assert not detects(detection, case)
    s = scores([case], [detection])
    assert (s["precision"], s["recall"], s["granularity"], s["plagdet"]) == (0.0, 0.0, 1.0, 0.0)


def test_half_overlap_counts_characters_of_both_documents():
    # Case: suspect 0-100, source 200-300 (200 characters). Detection: suspect 50-150, source
    # 250-350. Shared: 50 + 50 = 100 characters. Recall 100/200, precision 100/200.
    s = scores([Annotation((0, 100), (200, 300))], [Annotation((50, 150), (250, 350))])
    assert s["recall"] == 0.5 and s["precision"] == 0.5 and s["granularity"] == 1.0
    assert s["plagdet"] == 0.5  # F1 0.5, log2(1 + 1) = 1


def test_one_case_in_two_pieces():
    # Case: 0-100 on both sides (200 characters). Detections: 0-50/0-50 and 50-150/50-150.
    # Recall: 100 + 100 of 200 covered = 1. Precision: the first lies inside (100/100), the
    # second half inside (50 + 50 of 200): (1 + 0.5) / 2 = 0.75. Granularity 2.
    # F1 = 2 * 0.75 * 1 / 1.75 = 6/7; plagdet = 6/7 / log2(3) = 0.5408.
    case = Annotation((0, 100), (0, 100))
    s = scores([case], [Annotation((0, 50), (0, 50)), Annotation((50, 150), (50, 150))])
    assert s["recall"] == 1.0 and s["precision"] == 0.75 and s["granularity"] == 2.0
    assert s["plagdet"] == pytest.approx(0.5408, abs=1e-4)


def test_overlapping_detections_cover_a_character_once():
    # Detections 0-60 and 40-100 on both sides of a 0-100 case: together 100 + 100 of 200
    # (not 120 + 120). Each lies wholly inside: precision 1. Granularity 2: 1/log2(3) = 0.6309.
    case = Annotation((0, 100), (0, 100))
    detections = [Annotation((0, 60), (0, 60)), Annotation((40, 100), (40, 100))]
    assert covered(case, detections) == 200
    s = scores([case], detections)
    assert (s["recall"], s["precision"], s["granularity"]) == (1.0, 1.0, 2.0)
    assert s["plagdet"] == pytest.approx(0.6309, abs=1e-4)


def test_one_detection_over_two_cases():
    # Cases 0-100 and 200-300 (both sides); one detection 0-300 on both sides (600 characters).
    # Recall: each case fully covered: 1. Precision: 200 + 200 of its 600 inside cases: 2/3.
    # Granularity: each case detected once: 1. F1 = 2 * 2/3 / (5/3) = 0.8.
    cases = [Annotation((0, 100), (0, 100)), Annotation((200, 300), (200, 300))]
    s = scores(cases, [Annotation((0, 300), (0, 300))])
    assert s["recall"] == 1.0 and s["precision"] == pytest.approx(2 / 3) and s["granularity"] == 1.0
    assert s["plagdet"] == pytest.approx(0.8)


def test_recall_and_precision_are_macro_averages():
    # A short case (20 characters) found, a long one (2,000) missed: recall (1 + 0) / 2 = 0.5,
    # not 20 / 2,020 of the characters.
    short, long = Annotation((0, 10), (0, 10)), Annotation((100, 1100), (100, 1100))
    s = scores([short, long], [short])
    assert s["recall"] == 0.5 and s["precision"] == 1.0
    assert s["plagdet"] == pytest.approx(2 / 3)  # F1 of 1 and 0.5


def test_pairs_pool_into_one_figure_over_all_cases():
    # Pair A: its case found exactly. Pair B: its case missed. Pair C: no case, one detection
    # (a false detection). Recall (1 + 0) / 2; precision (1 + 0) / 2; plagdet 0.5.
    # A mean of per-pair plagdets would be something else: (1 + 0 + 0) / 3.
    case = Annotation((0, 100), (0, 100))
    tally = Tally()
    tally.add([case], [case])
    tally.add([Annotation((5, 50), (5, 50))], [])
    tally.add([], [Annotation((0, 80), (0, 80))])
    assert (tally.recall, tally.precision, tally.granularity, tally.plagdet) == (0.5, 0.5, 1.0, 0.5)
    assert (tally.cases, tally.detections, tally.detected_cases) == (2, 2, 1)


def test_merged_tallies_equal_one_tally_over_all_pairs():
    pairs = [([Annotation((0, 100), (0, 100))], [Annotation((0, 50), (0, 50)), Annotation((50, 150), (50, 150))]),
             ([Annotation((0, 100), (200, 300))], [Annotation((50, 150), (250, 350))]),
             ([], [Annotation((0, 10), (0, 10))])]
    whole, merged = Tally(), Tally()
    for cases, detections in pairs:
        whole.add(cases, detections)
        part = Tally()
        part.add(cases, detections)
        merged.merge(part)
    assert merged.scores() == whole.scores()


def test_a_repeated_detection_counts_once():
    case = Annotation((0, 100), (0, 100))
    assert scores([case], [case, case])["granularity"] == 1.0


def test_nothing_to_find_and_nothing_reported_is_perfect_but_either_alone_is_not():
    assert Tally().scores()["plagdet"] == 1.0
    missed = scores([Annotation((0, 10), (0, 10))], [])
    assert (missed["precision"], missed["recall"], missed["plagdet"]) == (0.0, 0.0, 0.0)
    false = scores([], [Annotation((0, 10), (0, 10))])
    assert (false["precision"], false["recall"], false["plagdet"]) == (0.0, 0.0, 0.0)


def test_plagdet_discounts_granularity_by_its_logarithm():
    assert plagdet(1.0, 1.0, 1.0) == 1.0
    assert plagdet(1.0, 1.0, 3.0) == 0.5  # log2(4) = 2
    assert plagdet(0.5, 1.0, 1.0) == pytest.approx(2 / 3)
    assert plagdet(0.0, 0.0, 1.0) == 0.0
    assert math.isclose(plagdet(0.9, 0.8, 1.5), 2 * 0.72 / 1.7 / math.log2(2.5))

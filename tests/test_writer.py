from unspin.writer import MERGE_FAN_IN, MOST_SEGMENTS, carried


def segments_after(sizes: list[int]) -> tuple[list[int], float]:
    """The segments' sizes after flushes of ``sizes`` (merged as :func:`carried` says), and how
    often a posting was written on average (its flush included)."""
    segments: list[int] = []
    written = 0
    for size in sizes:
        segments.append(size)
        written += size
        while (count := carried(segments)) > 1:
            written += sum(segments[-count:])
            segments[-count:] = [sum(segments[-count:])]
    return segments, written / sum(sizes)


def test_equal_flushes_merge_as_a_counter_in_base_eight_carries():
    assert MERGE_FAN_IN == 8
    assert segments_after([1] * 7)[0] == [1] * 7
    assert segments_after([1] * 8)[0] == [8]
    assert segments_after([1] * 75)[0] == [64, 8, 1, 1, 1]  # 75 = 1*64 + 1*8 + 3
    segments, written = segments_after([1] * 512)
    assert segments == [512] and written == 4  # flushed, then merged thrice; merging by twos: 10 times


def test_a_small_segment_goes_with_the_flushes_around_it_and_a_large_one_waits_for_its_equals():
    assert segments_after([100, 3, *[100] * 7])[0] == [703, 100]  # merged with the flushes around it
    assert segments_after([800, *[100] * 7])[0] == [800, *[100] * 7]
    assert segments_after([800, *[100] * 8])[0] == [800, 800]


def test_segments_of_very_unequal_sizes_are_merged_past_a_count():
    sizes = [10**k for k in range(12)][::-1] * 4  # each newer than the last and much smaller: never equals
    segments, _ = segments_after(sizes)
    assert len(segments) <= MOST_SEGMENTS and sum(segments) == sum(sizes)

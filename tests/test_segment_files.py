import io
from pathlib import Path

import numpy as np
import pytest

import unspin.segment_files as files
import unspin.segments as segments_module
from unspin.postings import _Postings
from unspin.segments import _Segment


def random_parts(rng: np.random.Generator, sizes: tuple[int, ...], common: np.ndarray, shared: int = 8,
                 own: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Postings of consecutive segments of ``sizes`` sources: each source ``shared`` of the
    ``common`` features and ``own`` random ones."""
    parts, slot = [], 0
    for size in sizes:
        features = [np.unique(np.concatenate([rng.choice(common, shared),
                                              rng.integers(0, 2**64, own, dtype=np.uint64, endpoint=False)]))
                    for _ in range(size)]
        slots = np.repeat(np.arange(slot, slot + size, dtype=np.int32), [len(f) for f in features])
        parts.append((np.concatenate(features) if features else np.empty(0, dtype=np.uint64), slots))
        slot += size
    return parts


def written(folder: Path, features: np.ndarray, slots: np.ndarray, trim: int = files.TRIM):
    """A segment of these postings written to files and mapped again."""
    numbers = np.unique(slots).astype(np.int64)
    name = files._SegmentFiles(folder).write(_Segment(features.copy(), slots), numbers,
                                             np.ones(len(numbers), dtype=np.uint32), trim)
    return files._open_segment(folder / name)


def merged_on_disk(folder: Path, parts: list, trim: int = files.TRIM):
    name = files._SegmentFiles(folder).write_merged(parts, np.concatenate([p.numbers for p in parts]),
                                                    np.concatenate([p.sizes for p in parts]), trim)
    return files._open_segment(folder / name)


def contents(segment) -> tuple[list, list, list, list]:
    """What a segment holds, whatever its form: its keys, their frequencies, its slots, its directory."""
    end = segment.distinct
    stored, slots = segment.stored_between(0, end)
    return (segment.keys_between(0, end).tolist(), segment.counts_between(0, end).tolist(), slots.tolist(),
            segment.directory.tolist())


@pytest.mark.parametrize("merge_postings", [segments_module.MERGE_POSTINGS, 16, 1])
def test_a_merge_of_segments_is_the_segment_of_all_their_postings(monkeypatch, merge_postings, tmp_path):
    # However few postings a merge sorts at once (ranges of features, merged one by one).
    monkeypatch.setattr(segments_module, "MERGE_POSTINGS", merge_postings)
    rng = np.random.default_rng(5)
    common = rng.integers(0, 2**64, size=30, dtype=np.uint64, endpoint=False)  # features many sources share
    common[:2] = [0, 2**64 - 2]  # the ends of the range of features
    parts = random_parts(rng, (6, 0, 9, 4), common)  # one segment empty
    merged = segments_module._merged([_Segment(f.copy(), s) for f, s in parts])
    whole = _Segment(np.concatenate([f for f, _ in parts]), np.concatenate([s for _, s in parts]))
    # And merged on disk, from segment files into segment files.
    on_disk = merged_on_disk(tmp_path, [written(tmp_path, f, s) for f, s in parts])
    for name in ("keys", "starts", "slots", "directory"):
        assert getattr(merged, name).tolist() == getattr(whole, name).tolist(), name
    assert contents(on_disk) == contents(whole)
    assert on_disk.shift == whole.shift and on_disk.numbers.tolist() == list(range(19))


def earlier_version(folder: Path, keys_file: str, features: np.ndarray, slots: np.ndarray):
    """A segment as earlier versions wrote it: plain arrays of keys (``keys.uint64``: whole
    features; ``keys48.uint64``: their top 48 bits; ``low.uint32``: the 32 bits below the
    directory's), starts and slots."""
    segment = _Segment(features.copy(), slots)
    keys = segment.keys[:-1]
    if keys_file == "keys.uint64":  # whole features, searched for as such
        keys = np.unique(features)
        segment = _Segment.built(np.append(keys, segments_module._END), segment.starts, segment.slots)
    elif keys_file == "low.uint32":
        keys = ((keys >> np.uint64(16)) & segments_module._low_mask(len(segment.directory) - 1)).astype(np.uint32)
    path = folder / keys_file.replace(".", "-")
    path.mkdir()
    numbers = np.unique(slots).astype(np.int64)
    arrays = {keys_file: keys, "starts.uint32": segment.starts, "slots.int32": segment.slots,
              "directory.uint32": segment.directory, "numbers.int64": numbers,
              "sizes.uint32": np.ones(len(numbers), np.uint32)}
    for name, array in arrays.items():
        (path / name).write_bytes(np.ascontiguousarray(array).tobytes())
    return files._open_segment(path)


def test_segments_of_earlier_versions_are_read_and_merged_into_the_compact_form(monkeypatch, tmp_path):
    # One key a bucket, so that a segment of 2**15 distinct features has a directory of 2**16
    # buckets, as the earlier versions' segments that stored 4-byte keys had.
    monkeypatch.setattr(_Segment, "KEYS_PER_BUCKET", 1)
    monkeypatch.setattr(segments_module, "MERGE_POSTINGS", 5000)
    rng = np.random.default_rng(7)
    pool = rng.integers(0, 2**64, 100_000, dtype=np.uint64, endpoint=False)
    pool[:2] = [0, 2**64 - 1]
    parts = [(np.concatenate(f), np.repeat(np.arange(start, start + len(f), dtype=np.int32), [len(x) for x in f]))
             for start, f in ((0, [np.unique(np.concatenate([rng.choice(pool, 30), pool[:2]])) for _ in range(3000)]),
                              (3000, [np.unique(np.concatenate([rng.choice(pool, 30), pool[:2]])) for _ in range(2000)]),
                              (5000, [np.unique(rng.choice(pool, 20)) for _ in range(300)]))]
    old = [earlier_version(tmp_path, name, f, s) for name, (f, s) in zip(("low.uint32", "keys.uint64", "keys48.uint64"),
                                                                            parts)]
    assert old[0].low is not None and not old[1].masked and old[2].masked
    whole = _Segment(np.concatenate([f for f, _ in parts]), np.concatenate([s for _, s in parts]))
    merged = merged_on_disk(tmp_path, old, trim=10**6)  # (two features are in every source: all slots kept)
    assert isinstance(merged, files._CompactSegment) and merged.low_width == 48 - 17
    assert contents(merged) == contents(whole)
    # Features held, absent, and differing from a held one in their last 16 bits only (the same
    # key) or just above them (another).
    held = rng.permutation(np.unique(np.concatenate([f for f, _ in parts])))
    held[:2] = [0, 2**64 - 1]  # the ends of the range of features, both in the pool
    probes = np.concatenate([held[:500], rng.integers(0, 2**64, 500, dtype=np.uint64, endpoint=False),
                             held[:200] ^ np.uint64(0xFFFF), held[:200] ^ np.uint64(1 << 16)])
    first, counts = whole.find(probes)
    assert counts[500:1000].sum() == 0 and (counts[:500] > 0).all()
    assert counts[1000:1200].tolist() == counts[:200].tolist() and counts[1200:].sum() == 0
    got = merged.find(probes)
    assert got[1].tolist() == counts.tolist() and got[0][counts > 0].tolist() == first[counts > 0].tolist()
    before = sum(segment.find(probes)[1] for segment in old)  # keys.uint64's: whole features only
    assert before[:1000].tolist() == counts[:1000].tolist()


@pytest.mark.parametrize("trim", [files.TRIM, 40, 3])
def test_a_segment_keeps_no_slots_of_a_feature_in_more_sources_than_its_trim(monkeypatch, tmp_path, trim):
    # Frequencies of 255 and more are kept beside the bytes of the others; the slots of a feature
    # in more than `trim` sources are not kept, and a query, which never reads them, finds what it
    # found in the postings in memory.
    monkeypatch.setattr(segments_module, "MERGE_POSTINGS", 700)
    monkeypatch.setattr(_Postings, "MOST_SOURCES", min(trim, _Postings.MOST_SOURCES))
    rng = np.random.default_rng(trim)
    common = rng.integers(0, 2**64, size=4, dtype=np.uint64, endpoint=False)  # each in most sources
    parts = random_parts(rng, (180, 150, 40), common, shared=6, own=8)
    every = np.concatenate([f for f, _ in parts]), np.concatenate([s for _, s in parts])
    whole = _Segment(every[0].copy(), every[1])
    on_disk = [written(tmp_path, f, s, trim) for f, s in parts]
    merged = merged_on_disk(tmp_path, on_disk)
    keys, counts, _, directory = contents(whole)
    assert contents(merged)[:2] == (keys, counts) and contents(merged)[3] == directory
    assert max(counts) >= 255 and merged.trim == trim
    kept = np.array(counts) <= trim
    assert merged.stored_between(0, merged.distinct)[0].tolist() == np.where(kept, counts, 0).tolist()
    assert merged.stored_postings == sum(np.array(counts)[kept])
    assert (merged.stored_postings < len(whole.slots)) == (trim < files.TRIM)
    numbers = np.unique(every[1]).tolist()
    memory = _Postings.of([], [], numbers, [np.unique(every[0][every[1] == n]) for n in numbers])
    suspects = [np.unique(np.concatenate([rng.choice(common, 4), every[0][every[1] == n][:9]])) for n in (0, 200, 360)]
    sizes = [np.count_nonzero(every[1] == n) for n in numbers]
    for segments in ([merged], on_disk):
        for segment in segments:
            segment.sizes = np.array(sizes, np.uint32)[segment.numbers]
        assert _Postings.of(segments, [], [], []).query(suspects, 5) == memory.query(suspects, 5)


def test_a_query_may_not_read_features_whose_slots_a_segment_did_not_keep(tmp_path):
    features = np.arange(1, 40, dtype=np.uint64) << np.uint64(20)
    segment = written(tmp_path, np.tile(features, 30), np.repeat(np.arange(30, dtype=np.int32), 39), trim=10)
    with pytest.raises(ValueError, match="at most 10 sources"):
        _Postings.of([segment], [], list(range(3000, 3100)), [features] * 100).query([features], 3)


@pytest.mark.parametrize("width", [1, 7, 8, 17, 31, 32, 47, 57])
def test_values_packed_a_few_bits_each_read_back_as_they_were(tmp_path, width):
    rng = np.random.default_rng(width)
    values = rng.integers(0, 2**width, 1000, dtype=np.uint64, endpoint=False)
    with open(tmp_path / "packed", "wb") as out:
        packed = files._BitFile(out, width)
        for block in np.array_split(values, [0, 1, 5, 333, 334, 990]):  # appended in blocks of any size
            packed.append(block)
        packed.close()
    data = np.fromfile(tmp_path / "packed", dtype="<u8")
    assert len(data) == -(-1000 * width // 64) + 1  # whole words, and one more
    assert files._unpack(data, width, 0, 1000).tolist() == values.tolist()
    assert files._unpack(data, width, 377, 5).tolist() == values[377:382].tolist()


@pytest.mark.parametrize("count", [0, 1, 1000, 200_000])
def test_a_merged_segments_directory_written_block_by_block_is_the_one_built_in_memory(tmp_path, monkeypatch, count):
    rng = np.random.default_rng(count)
    keys = np.unique(rng.integers(0, 2**64 - 1, count, dtype=np.uint64, endpoint=True))
    (tmp_path / "keys.uint64").write_bytes(keys.tobytes())
    built = _Segment.built(np.append(keys, segments_module._END), np.zeros(len(keys) + 2, np.uint32),
                           np.zeros(len(keys), np.int32))
    for block in (segments_module.MERGE_POSTINGS, 777):  # one block, and many
        monkeypatch.setattr(segments_module, "MERGE_POSTINGS", block)
        out = io.BytesIO()
        files._write_directory(out, tmp_path / "keys.uint64", len(keys), np.dtype(np.uint32))
        assert np.frombuffer(out.getvalue(), dtype=np.uint32).tolist() == built.directory.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_a_range_merged_as_sorted_runs_is_the_range_sorted_again(seed):
    rng = np.random.default_rng(seed)
    trim, vocabulary = 6, rng.choice(2**40, 400, replace=False).astype(np.uint64) << np.uint64(16)
    keys, counts, stored, slots, first = [], [], [], [], 0
    for _ in range(int(rng.integers(2, 10))):  # segments of consecutive slots, a few features past the trim
        own = np.unique(rng.choice(vocabulary, int(rng.integers(0, 60))))
        frequencies = np.where(rng.random(len(own)) < 0.1, trim + 3, rng.integers(1, 5, len(own)))
        kept = np.where(frequencies <= trim, frequencies, 0)
        slots += [first + np.sort(rng.choice(50, n, replace=False)) for n in kept]
        keys.append(own), counts.append(frequencies), stored.append(kept)
        first += 50
    runs = np.cumsum([0] + [len(run) for run in keys])
    keys, counts, stored = map(np.concatenate, (keys, counts, stored))
    slots = np.concatenate(slots + [np.empty(0, np.int64)])
    expected = segments_module._merged_part(keys, counts, stored, slots, trim)
    merged = segments_module._merged_runs(keys, counts, stored, slots, runs, trim)
    assert all(np.array_equal(a, b) for a, b in zip(merged, expected, strict=True))


def test_runs_with_a_key_twice_are_left_to_the_sort():
    keys = np.array([1, 1, 2], dtype=np.uint64) << np.uint64(16)  # whole features of an earlier version, masked
    ones = np.ones(3, np.int64)
    assert segments_module._merged_runs(keys, ones, ones, np.arange(3), np.array([0, 3]), 5) is None


def test_a_lookup_in_any_order_finds_what_the_segment_in_memory_finds(tmp_path):
    # The compact lookup reads every probe's bucket bounds first, then searches the buckets: the
    # probes unsorted and repeated, frequencies wide (15 and more) and trimmed among them.
    rng = np.random.default_rng(11)
    common = rng.integers(0, 2**64, size=40, dtype=np.uint64, endpoint=False)
    features, slots = random_parts(rng, (400,), common, shared=12, own=3)[0]
    whole = _Segment(features.copy(), slots)
    trim = int(np.median(whole.find(common)[1]))  # about half the common features trimmed
    on_disk = written(tmp_path, features, slots, trim=trim)
    held = np.unique(features)
    probes = rng.permutation(np.concatenate([held, held[:50], rng.integers(0, 2**64, 300, dtype=np.uint64)]))
    first, counts = whole.find(probes)
    got_first, got_counts = on_disk.find(probes)
    assert (counts > trim).any() and ((counts >= 15) & (counts <= trim)).any()
    assert got_counts.tolist() == counts.tolist()
    kept = (counts > 0) & (counts <= trim)  # the trimmed keep no slots: where they would start is not read
    stored, stored_slots = on_disk.stored_between(0, on_disk.distinct)
    starts = np.concatenate([[0], np.cumsum(stored)])[np.searchsorted(held, probes[kept])]
    assert got_first[kept].tolist() == starts.tolist()

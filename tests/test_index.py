import os
import sqlite3
import time

import numpy as np
import pytest

from tests.conftest import BAKERY, FERRY, swap_words
from unspin.document import Document
from unspin.fingerprint import fingerprint
import unspin.writer as segment_writer
import unspin.segments as segments_module
from unspin.index import Added, Index
from unspin.postings import _Postings
from unspin.tokenize import tokenize


def add(index: Index, *documents: Document) -> list[Added]:
    return [outcome for _, outcome in index.add(documents)]


def test_adding_is_idempotent_and_updates_changed_text(index):
    assert add(index, Document("ferry", FERRY), Document("bakery", BAKERY)) == [Added.ADDED, Added.ADDED]
    assert add(index, Document("ferry", FERRY)) == [Added.UNCHANGED]
    assert add(index, Document("ferry", FERRY + "\nAn update.")) == [Added.UPDATED]
    assert len(index) == 2
    assert index.get("ferry").text.endswith("An update.")


def test_word_keys_are_stored_for_alignment_without_tokenizing(index):
    add(index, Document("ferry", FERRY))
    number = index.db.execute("SELECT number FROM sources WHERE id = 'ferry'").fetchone()[0]
    assert index.keys(number).tolist() == tokenize(FERRY).keys
    assert index.keys(number + 1) is None


def test_the_keys_of_several_sources_are_read_in_one_go_and_unpacked_on_demand(index):
    add(index, Document("ferry", FERRY), Document("bakery", BAKERY))
    numbers = dict(index.db.execute("SELECT id, number FROM sources").fetchall())
    read = index.keys_of([numbers["bakery"], numbers["ferry"], max(numbers.values()) + 1])
    assert sorted(read) == sorted(numbers.values())  # a source that is not there is left out
    assert read[numbers["ferry"]]().tolist() == tokenize(FERRY).keys == index.keys(numbers["ferry"]).tolist()
    assert read[numbers["bakery"]]().tolist() == tokenize(BAKERY).keys


def test_a_source_is_read_back_with_its_tokens_without_tokenizing(index, monkeypatch):
    add(index, Document("ferry", FERRY))
    number = index.db.execute("SELECT number FROM sources").fetchone()[0]
    monkeypatch.setattr("unspin.index.tokenize", None)  # would fail if called
    document, tokens = index.tokens(number)
    expected = tokenize(FERRY)
    assert document.text == FERRY and tokens.starts == expected.starts and tokens.keys == expected.keys
    assert tokens.facts == expected.facts and tokens.immutable == expected.immutable
    assert index.tokens(number + 1) is None


@pytest.mark.parametrize("column", ["keys", "layout"])
def test_an_index_from_before_a_column_was_stored_still_works(tmp_path, column):
    path = tmp_path / "old.db"
    with Index(path) as index:
        add(index, Document("ferry", FERRY))
        number = index.db.execute("SELECT number FROM sources").fetchone()[0]
        index.db.execute(f"ALTER TABLE sources DROP COLUMN {column}")
        index.db.commit()
    expected = tokenize(FERRY)
    with Index(path, readonly=True) as old:  # read-only: the column cannot be added; made from the text
        assert old.keys(number).tolist() == expected.keys and old.tokens(number)[1].starts == expected.starts
    with Index(path) as index:  # writable: the column is added, empty for the old rows
        assert index.keys(number).tolist() == expected.keys and index.tokens(number)[1].starts == expected.starts
        add(index, Document("bakery", BAKERY))
        assert index.db.execute(f"SELECT count(*) FROM sources WHERE {column} IS NOT NULL").fetchone()[0] == 1


def test_metadata_is_kept(index):
    add(index, Document("u1", FERRY, url="https://a.example/f", title="Ferry", date="2026-05-01", site="a.example"))
    stored = index.get("u1")
    assert (stored.url, stored.title, stored.date, stored.site) == ("https://a.example/f", "Ferry", "2026-05-01", "a.example")
    assert index.list()[0]["title"] == "Ferry"
    assert index.list(search="nothing") == []


def test_the_true_source_is_the_first_candidate(index):
    add(index, Document("ferry", FERRY), Document("bakery", BAKERY))
    spun = swap_words(FERRY, share=1.0)
    [first, *_] = index.candidates(fingerprint(tokenize(spun)))
    assert index.get_number(first.number).id == "ferry"


def test_removed_sources_are_never_candidates(index):
    add(index, Document("ferry", FERRY), Document("bakery", BAKERY))
    index.candidates(fingerprint(tokenize(FERRY)))  # load the in-memory index first
    assert index.remove(["ferry", "unknown"]) == ["ferry"]
    found = {index.get_number(c.number).id for c in index.candidates(fingerprint(tokenize(FERRY)))}
    assert "ferry" not in found


def test_writes_from_another_connection_are_seen(tmp_path):
    path = tmp_path / "shared.db"
    with Index(path) as reader, Index(path) as writer:
        reader.candidates(np.array([1], dtype=np.uint64))  # loaded while empty
        add(writer, Document("ferry", FERRY))
        [first] = reader.candidates(fingerprint(tokenize(FERRY)))[:1]
        assert reader.get_number(first.number).id == "ferry"
        writer.remove(["ferry"])
        assert reader.candidates(fingerprint(tokenize(FERRY))) == []


def test_an_interrupted_add_keeps_the_batches_it_committed(tmp_path):
    path = tmp_path / "interrupted.db"

    def documents():
        for n in range(10):
            yield Document(f"doc{n}", f"{FERRY} number {n}")
        raise KeyboardInterrupt

    with Index(path) as store:
        try:
            for _ in store.add(documents(), batch_size=4):
                pass
        except KeyboardInterrupt:
            pass
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 8  # two whole batches


def test_stats_count_sources_and_bytes(index):
    add(index, Document("ferry", FERRY))
    stats = index.stats()
    assert stats["sources"] == 1 and stats["words"] > 100 and stats["file_bytes"] > 0


def generated_articles(count: int, seed: int = 7) -> list[dict]:
    """Distinct articles of made-up words, enough to keep an indexer busy."""
    import random

    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "ru", "sen", "tav", "ob", "pel") for b in ("ran", "dis", "mo", "tek", "vul", "sa", "ner", "qo")]
    return [
        {"id": f"gen-{n}", "text": " ".join(rng.choice(vocabulary) for _ in range(300))}
        for n in range(count)
    ]


@pytest.mark.parametrize("workers", ["1", "2"])  # all in the writer, or tokenized by a worker process beside it
def test_a_killed_index_add_keeps_whole_documents_and_a_rerun_completes_it(tmp_path, workers):
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    import xxhash

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in generated_articles(3000)))
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    command = [sys.executable, "-m", "unspin.cli", "index", "add", str(corpus), "--batch-size", "50", "-q",
               "--workers", workers]
    process = subprocess.Popen([*command, "--db", str(killed_db)], stderr=subprocess.PIPE)
    deadline = time.time() + 120
    count = 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(killed_db, timeout=1) as db:
                count = db.execute("SELECT count(*) FROM sources").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if count >= 700:  # past the documents an add makes ready itself (unspin.prepare.ALONE)
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 700 <= count < 3000, "the add must be killed part-way through"

    with sqlite3.connect(killed_db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT id, digest, features FROM sources").fetchall()
    assert len(rows) % 50 == 0, "only whole batches are committed"
    with Index(killed_db, readonly=True) as killed:
        for doc_id, digest, features in rows:
            assert xxhash.xxh3_128_digest(killed.get(doc_id).text.encode()) == digest and len(features) % 8 == 0

    rerun = subprocess.run([*command, "--db", str(killed_db)], capture_output=True, timeout=300)
    assert rerun.returncode == 0 and f"{len(rows)} unchanged".encode() in rerun.stderr
    subprocess.run([*command, "--db", str(clean_db)], check=True, capture_output=True, timeout=300)

    def content(path):
        with sqlite3.connect(path) as db:
            return sorted(db.execute("SELECT id, digest, features FROM sources"))

    assert content(killed_db) == content(clean_db)
    os.remove(corpus)


def brute_force_candidates(sources: dict[int, np.ndarray], alive: set[int], query: np.ndarray, limit: int,
                           budget: int | None = None) -> list[tuple[int, float]]:
    """What retrieval specifies, one source at a time: the sum of the idf of the shared features
    (a feature is known by its top 48 bits; its frequency counts removed sources too; features in
    more than max_df sources are skipped, and so are the most frequent ones past a budget of
    postings, rarest read first) over the square root of the source's size, best first, ties in
    the order added."""
    sizes = {number: len(features) for number, features in sources.items()}
    sources = {number: np.unique(features & segments_module.KEY_MASK) for number, features in sources.items()}
    query = np.unique(query & segments_module.KEY_MASK)
    living = len(alive)
    max_df = min(max(20, living // 100), _Postings.MOST_SOURCES)
    frequency: dict[int, int] = {}
    for features in sources.values():
        for f in features.tolist():
            frequency[f] = frequency.get(f, 0) + 1
    read, spent = set(), 0
    for f in sorted((f for f in query.tolist() if 0 < frequency.get(f, 0) <= max_df), key=lambda f: frequency[f]):
        spent += frequency[f]
        if budget is None or spent <= budget:
            read.add(f)
    scored = []
    for order, (number, features) in enumerate(sources.items()):
        shared = np.intersect1d(query, features).tolist()
        score = sum(float(np.log((living + 1) / frequency[f])) for f in shared if f in read)
        score /= np.sqrt(max(sizes[number], 1))
        if number in alive and score > 0:
            scored.append((-score, order, number))
    return [(number, -score) for score, _, number in sorted(scored)[:limit]]


def test_candidates_are_those_of_a_brute_force_scorer_across_segments_and_removals(monkeypatch):
    monkeypatch.setattr(_Postings, "MAX_SEGMENTS", 3)  # merges happen along the way
    rng = np.random.default_rng(5)
    # Hash-like features, a few so common that they are skipped, the extremes of uint64, a run of
    # small numbers that all fall into one bucket of the directory, and features that differ only
    # in their last 16 bits (one feature to the index).
    pool = np.concatenate([rng.integers(0, 2**64, 3000, dtype=np.uint64, endpoint=False),
                           np.array([0, 1, 2**64 - 1], dtype=np.uint64), np.arange(2, 400, dtype=np.uint64) << 16,
                           np.arange(2, 40, dtype=np.uint64) + (7 << 40)])
    weights = 1.0 / np.arange(1, len(pool) + 1)  # Zipf: some features are in most sources
    rng.shuffle(weights)
    postings, sources, alive, number = _Postings(), {}, set(), 0
    for batch in range(14):
        numbers, features = [], []
        for _ in range(int(rng.integers(1, 40))):
            number += 1
            if sources and rng.random() < 0.1:  # a duplicate of an earlier source: a tie
                chosen = sources[int(rng.choice(list(sources)))]
            else:
                chosen = np.unique(rng.choice(pool, int(rng.integers(0, 80)), p=weights / weights.sum()))
            numbers.append(number)
            features.append(chosen)
            sources[number] = chosen
            alive.add(number)
        postings.append(numbers, features)
        gone = [int(n) for n in rng.choice(sorted(alive), 3, replace=False)]
        postings.kill(gone)
        alive -= set(gone)
    assert 1 < len(postings.segments) <= 3
    for budget in (None, 40, 150):  # unlimited, then a query's most common features dropped
        if budget is not None:
            monkeypatch.setattr(_Postings, "BUDGET", budget)
        for limit in (1, 5, len(sources)):
            queries = [np.unique(np.concatenate([sources[int(rng.integers(1, number + 1))][::2], rng.choice(pool, 30)]))
                       for _ in range(15)]
            queries.append(np.empty(0, dtype=np.uint64))  # a suspect with no features has no candidates
            for query, found in zip(queries, postings.query(queries, limit), strict=True):
                got = [(c.number, c.score) for c in found]
                expected = brute_force_candidates(sources, alive, query, limit, budget)
                assert [n for n, _ in got] == [n for n, _ in expected]
                assert np.allclose([s for _, s in got], [s for _, s in expected], rtol=1e-12)
                # One suspect alone gets what it got in the batch, to the last bit.
                assert postings.query([query], limit)[0] == found


def test_ranking_skips_hits_that_cannot_enter_by_the_smallest_norm_and_keeps_the_same_candidates(monkeypatch):
    # Sources of 30 to 90 features: a hit whose summed weight over the smallest norm is below the
    # last of a full list is skipped unread; the lists must be those ranked without that bound,
    # to the bit, ties included (duplicates of one source score the same).
    rng = np.random.default_rng(11)
    pool = rng.integers(0, 2**64, 800, dtype=np.uint64, endpoint=False)
    sources = {}
    for number in range(1, 301):
        if number > 1 and rng.random() < 0.1:
            sources[number] = sources[int(rng.integers(1, number))]
        else:
            sources[number] = np.unique(rng.choice(pool, int(rng.integers(30, 91))))
    postings = _Postings()
    postings.append(list(sources), list(sources.values()))
    queries = [np.unique(np.concatenate([sources[int(rng.integers(1, 301))][::2], rng.choice(pool, 40)]))
               for _ in range(40)]
    for limit in (1, 3, 10):
        bounded = postings.query(queries, limit)
        monkeypatch.setattr(_Postings, "_least_size", lambda self, sizes: 1)
        unbounded = postings.query(queries, limit)
        monkeypatch.undo()
        assert bounded == unbounded
        for query, found in zip(queries, bounded):
            expected = brute_force_candidates(sources, set(sources), query, limit)
            assert [c.number for c in found] == [n for n, _ in expected]


def test_tied_candidates_come_in_the_order_added_even_at_the_cut():
    postings = _Postings()
    # (Features known apart by their top 48 bits: small numbers shifted past the 16 others.)
    shared = np.arange(10, 20, dtype=np.uint64) << 16
    others = [np.arange(100 + 10 * n, 105 + 10 * n, dtype=np.uint64) << 16 for n in range(60)]
    postings.append(list(range(1, 61)), others)
    postings.append(list(range(61, 76)), [shared] * 15)  # 15 sources with the same score
    postings.kill([61])
    assert [c.number for c in postings.query([shared], 3)[0]] == [62, 63, 64]


def test_segments_merge_as_a_binary_counter_carries():
    # Twenty equal batches: 20 = 16 + 4, so two segments, each posting merged a few times
    # (not the whole index re-sorted every few batches), and still every source findable.
    postings = _Postings()
    rng = np.random.default_rng(3)
    batches = [rng.integers(0, 2**63, size=(5, 40), dtype=np.uint64) for _ in range(20)]
    for b, batch in enumerate(batches):
        postings.append([b * 5 + k + 1 for k in range(5)], [np.unique(f) for f in batch])
    assert sorted(len(s.slots) for s in postings.segments) == [4 * 5 * 40, 16 * 5 * 40]
    [best] = postings.query([np.unique(batches[13][2])], 1)
    assert best[0].number == 13 * 5 + 2 + 1


def segment_rows(index: Index) -> list[tuple]:
    return index.db.execute("SELECT name, first_slot, slots FROM segments ORDER BY first_slot").fetchall()


def test_segments_are_written_beside_the_database_and_merged_as_they_go(tmp_path, monkeypatch):
    monkeypatch.setattr(segment_writer, "FLUSH_POSTINGS", 1000)  # a segment every few articles
    with Index(tmp_path / "bulk.db") as index:
        add(index, Document("ferry", FERRY))
        articles = [Document(a["id"], a["text"]) for a in generated_articles(40)]
        list(index.add(articles, batch_size=4))  # a bulk load: many segments, then all in one
        [(_, first_slot, slots)] = segment_rows(index)
        assert (first_slot, slots) == (0, 41)
        add(index, Document("bakery", BAKERY))  # a small segment after it, no merge of everything
        rows = segment_rows(index)
        assert [(first, slots) for _, first, slots in rows] == [(0, 41), (41, 1)]
        list(index.add([Document(a["id"] + "-again", a["text"] + " again") for a in generated_articles(20)], batch_size=4))
        sizes = [slots for _, _, slots in segment_rows(index)]  # a smaller load: merged as it went
        assert sizes[0] == 41 and len(sizes) > 2 and sum(sizes) == 62
        assert sorted(os.listdir(tmp_path / "bulk.db-postings")) == sorted(name for name, _, _ in segment_rows(index))
        bakery = index.db.execute("SELECT number FROM sources WHERE id = 'bakery'").fetchone()[0]
        assert index.candidates(fingerprint(tokenize(BAKERY)))[0].number == bakery


def test_an_adds_flushes_write_segments_of_one_size_and_leave_the_rest_for_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(segment_writer, "FLUSH_POSTINGS", 1000)
    monkeypatch.setattr(Index, "_merge_segments", lambda self, whole=False: None)  # each flush's segment kept
    articles = [Document(a["id"], a["text"]) for a in generated_articles(40)]
    with Index(tmp_path / "flushes.db") as index:
        list(index.add(articles, batch_size=4))
        rows = index.db.execute("SELECT slots, postings FROM segments ORDER BY first_slot").fetchall()
    largest = max(len(fingerprint(tokenize(article.text))) for article in articles)
    assert len(rows) > 3 and sum(slots for slots, _ in rows) == 40
    # Cut as soon as a segment holds FLUSH_POSTINGS postings, none a piece of one; the add's end writes the rest.
    assert all(1000 <= postings < 1000 + largest for _, postings in rows[:-1])


def generated_index(path, monkeypatch, count: int = 120, batch_size: int = 7) -> Index:
    """An index of generated articles in several segments, merged on disk: added in runs of
    half the sources, a quarter, ... (a run that doubles the index ends in one segment)."""
    monkeypatch.setattr(segment_writer, "FLUSH_POSTINGS", 400)  # a segment every few sources
    monkeypatch.setattr(segments_module, "MERGE_POSTINGS", 500)  # merges sorted a range at a time
    index = Index(path)
    documents = [Document(a["id"], a["text"] + f" sen{n}") for n, a in enumerate(generated_articles(count, seed=11))]
    while documents:
        run, documents = documents[:max(1, len(documents) // 2)], documents[max(1, len(documents) // 2):]
        list(index.add(run, batch_size=batch_size))
    return index


def in_memory_postings(index: Index) -> _Postings:
    """The postings as every process built them before segments were kept on disk: read from
    the stored fingerprints into one segment in memory."""
    rows = [(n, index.stored_text(text, packing))
            for n, text, packing in index.db.execute("SELECT number, text, packing FROM sources ORDER BY number")]
    return _Postings.of([], [], [n for n, _ in rows], [fingerprint(tokenize(text)) for _, text in rows])


def suspects_of(index: Index) -> list[np.ndarray]:
    rng = np.random.default_rng(2)
    texts = [index.stored_text(*row) for row in index.db.execute("SELECT text, packing FROM sources ORDER BY number LIMIT 40")]
    suspects = [fingerprint(tokenize(swap_words(text, share=0.3))) for text in texts]
    suspects += [fingerprint(tokenize(" ".join(rng.choice(text.split(), 80)))) for text in texts[:10]]
    return suspects + [np.empty(0, dtype=np.uint64)]


@pytest.mark.parametrize("budget", [_Postings.BUDGET, 300])
def test_candidates_from_the_segments_on_disk_are_those_of_the_postings_in_memory(tmp_path, monkeypatch, budget):
    # The same sources and the same scores to the last bit, whether many suspects are asked at
    # once or one at a time, however the sources were cut into segments and merged.
    monkeypatch.setattr(_Postings, "BUDGET", budget)
    with generated_index(tmp_path / "gen.db", monkeypatch) as index:
        assert len(segment_rows(index)) > 2
        memory, suspects = in_memory_postings(index), suspects_of(index)
        for limit in (1, 10, 200):
            expected = memory.query(suspects, limit)
            assert index.candidates_of(suspects, limit) == expected
            assert [index.candidates(s, limit) for s in suspects] == expected
        limits = [(1, 10, 200)[k % 3] for k in range(len(suspects))]  # one a suspect: each its own best
        assert index.candidates_of(suspects, limits) == [index.candidates(s, n) for s, n in zip(suspects, limits)]
        with Index(index.path, readonly=True) as reader:  # another process: the same from the files
            assert reader.candidates_of(suspects, 10) == memory.query(suspects, 10)


def test_a_fresh_process_maps_the_segments_and_reads_no_fingerprint(tmp_path, monkeypatch):
    with generated_index(tmp_path / "gen.db", monkeypatch) as index:
        suspects = suspects_of(index)
        expected = index.candidates_of(suspects)
    with Index(tmp_path / "gen.db", readonly=True) as reader:
        reads = []
        reader.db.set_trace_callback(reads.append)
        assert reader.candidates_of(suspects) == expected
        assert not any("features" in sql for sql in reads if "number >" not in sql)
        assert reader._postings is not None and all(s.on_disk for s in reader._postings.segments)


def test_sources_committed_but_not_in_a_segment_are_found_and_written_by_the_next_writer(tmp_path, monkeypatch):
    # An add killed between committing a batch and writing its segment: readers read those
    # sources from SQLite, and the next writer puts them in a segment.
    path = tmp_path / "killed.db"
    with generated_index(path, monkeypatch, count=30) as index:
        pass
    monkeypatch.setattr(Index, "_flush", lambda *args, **kwargs: None)
    with Index(path) as index:
        add(index, Document("ferry", FERRY))
    monkeypatch.undo()
    ferry = fingerprint(tokenize(FERRY))
    with Index(path, readonly=True) as reader:
        [first] = reader.candidates(ferry)[:1]
        assert reader.get_number(first.number).id == "ferry"
    with Index(path) as writer:
        add(writer, Document("bakery", BAKERY))
        covered = writer.db.execute("SELECT max(last) FROM segments").fetchone()[0]
        assert covered == first.number + 1
    with Index(path, readonly=True) as reader:
        assert reader.candidates(ferry)[0].number == first.number and all(s.on_disk for s in reader._postings.segments)
        suspects = suspects_of(reader)
        assert reader.candidates_of(suspects) == in_memory_postings(reader).query(suspects, 10)


def test_an_index_made_before_segments_opens_once_written_with_a_message(tmp_path, monkeypatch, capsys):
    path = tmp_path / "old.db"
    with generated_index(path, monkeypatch, count=40) as index:
        suspects = suspects_of(index)
        expected = in_memory_postings(index).query(suspects, 10)
        index.db.executescript("DROP TABLE segments; DROP TABLE removed;")
    import shutil

    shutil.rmtree(tmp_path / "old.db-postings")
    capsys.readouterr()
    with Index(path, readonly=True) as reader:  # read-only: built in memory, as before
        assert reader.candidates_of(suspects, 10) == expected
    with Index(path) as index:
        assert index.candidates_of(suspects, 10) == expected
        assert "writing the postings of 40 sources" in capsys.readouterr().err
        assert segment_rows(index)
    with Index(path) as again:
        assert again.candidates_of(suspects, 10) == expected
        assert capsys.readouterr().err == ""


def test_deleted_segment_files_are_read_again_from_the_database(tmp_path, monkeypatch, capsys):
    import shutil

    path = tmp_path / "gen.db"
    with generated_index(path, monkeypatch, count=30) as index:
        suspects = suspects_of(index)
        expected = index.candidates_of(suspects)
    shutil.rmtree(tmp_path / "gen.db-postings")
    with Index(path, readonly=True) as reader:
        assert reader.candidates_of(suspects) == expected
    with Index(path) as writer:
        assert writer.candidates_of(suspects) == expected
        assert "segment files missing" in capsys.readouterr().err
        assert len(os.listdir(tmp_path / "gen.db-postings")) == len(segment_rows(writer))


def test_a_source_is_stored_in_less_than_its_raw_fingerprint_keys_and_layout(index):
    add(index, Document("ferry", FERRY))
    features, keys, layout, words = index.db.execute("SELECT features, keys, layout, words FROM sources").fetchone()
    assert features == b""  # the postings hold it
    assert len(keys) < 4 * words and len(layout) < len(tokenize(FERRY).layout())
    number = index.db.execute("SELECT number FROM sources").fetchone()[0]
    assert index.keys(number).tolist() == tokenize(FERRY).keys
    assert index.tokens(number)[1].starts == tokenize(FERRY).starts


def test_sources_stored_raw_by_an_earlier_version_are_read_and_found(tmp_path):
    path = tmp_path / "raw.db"
    with Index(path) as index:
        add(index, Document("ferry", FERRY), Document("bakery", BAKERY))
        tokens = tokenize(FERRY)
        index.db.execute("UPDATE sources SET features = ?, keys = ?, layout = ?, text = ?, packing = NULL WHERE id = 'ferry'",
                         (fingerprint(tokens).tobytes(), tokens.key_array.tobytes(), tokens.layout(), FERRY))
        index.db.executescript("DELETE FROM segments; DELETE FROM removed;")
    with Index(path) as index:
        number = index.db.execute("SELECT number FROM sources WHERE id = 'ferry'").fetchone()[0]
        assert index.keys(number).tolist() == tokens.keys and index.tokens(number)[1].starts == tokens.starts
        assert index.candidates(fingerprint(tokenize(swap_words(FERRY, share=1.0))))[0].number == number
        assert index.candidates(fingerprint(tokenize(BAKERY)))[0].number != number


def test_fingerprints_of_a_rolled_back_batch_are_not_taken_for_later_sources(tmp_path):
    # A rolled-back batch gives its numbers back: the sources another connection adds next
    # under them must be written with their own fingerprints.
    path = tmp_path / "rollback.db"

    def then_fail():
        yield Document("ferry", FERRY)
        yield Document("bakery", BAKERY)
        raise KeyboardInterrupt

    with Index(path) as first, Index(path) as second:
        with pytest.raises(KeyboardInterrupt):
            list(first.add(then_fail(), batch_size=100))
        second._flush = lambda *args, **kwargs: None  # killed before writing its segment
        add(second, Document("bakery-2", BAKERY), Document("ferry-2", FERRY))
        add(first, Document("other", swap_words(BAKERY, share=1.0, seed=3)))
        ferry = first.db.execute("SELECT number FROM sources WHERE id = 'ferry-2'").fetchone()[0]
        assert first.candidates(fingerprint(tokenize(FERRY)))[0].number == ferry


def test_a_reader_does_not_wait_for_another_writer_to_write_the_postings(tmp_path, monkeypatch):
    import time

    path = tmp_path / "busy.db"
    monkeypatch.setattr(segment_writer, "FLUSH_POSTINGS", 50)
    with Index(path) as writer:
        writer._flush = lambda *args, **kwargs: None  # its postings left unwritten
        add(writer, Document("ferry", FERRY), Document("bakery", BAKERY))
    with Index(path) as reader, sqlite3.connect(path) as other:
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of an add
        started = time.perf_counter()
        [first] = reader.candidates(fingerprint(tokenize(FERRY)))[:1]
        assert time.perf_counter() - started < 5
        assert reader.get_number(first.number).id == "ferry"
        other.rollback()


def test_a_flush_killed_before_its_commit_leaves_no_segment_listed_and_its_files_are_deleted(tmp_path, monkeypatch):
    path = tmp_path / "killed-flush.db"
    with Index(path) as index:
        add(index, Document("ferry", FERRY))
        listed = segment_rows(index)

        def killed(self, whole=False):
            raise KeyboardInterrupt  # after the new segment's files were written, before the commit

        monkeypatch.setattr(Index, "_merge_segments", killed)
        with pytest.raises(KeyboardInterrupt):
            add(index, Document("bakery", BAKERY))
        monkeypatch.undo()
        assert segment_rows(index) == listed  # the sources are committed; their segment is not listed
        assert len(os.listdir(tmp_path / "killed-flush.db-postings")) == 2
    with Index(path, readonly=True) as reader:  # bakery read from SQLite meanwhile
        bakery = reader.db.execute("SELECT number FROM sources WHERE id = 'bakery'").fetchone()[0]
        assert reader.candidates(fingerprint(tokenize(BAKERY)))[0].number == bakery
    with Index(path) as index:
        add(index, Document("harbour", FERRY + " The harbour reopened."))
        names = {name for name, _, _ in segment_rows(index)}
        assert set(os.listdir(tmp_path / "killed-flush.db-postings")) == names
        assert index.candidates(fingerprint(tokenize(BAKERY)))[0].number == bakery


def test_an_index_in_memory_keeps_its_postings_in_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Index(":memory:") as first, Index(":memory:") as second:
        add(first, Document("ferry", FERRY))
        add(second, Document("bakery", BAKERY))
        assert first.folder != second.folder and first.folder.is_dir()
        assert first.get_number(first.candidates(fingerprint(tokenize(FERRY)))[0].number).id == "ferry"
        assert second.get_number(second.candidates(fingerprint(tokenize(BAKERY)))[0].number).id == "bakery"
    assert not first.folder.exists() and os.listdir(tmp_path) == []


@pytest.mark.parametrize("count, distinct", [(0, 1), (1, 1), (5, 1), (1000, 7), (50_000, 40_000)])
def test_postings_are_sorted_as_a_stable_sort_of_their_features_would(count, distinct):
    # Equal features keep their slots in order: a source's postings stay in slot order.
    rng = np.random.default_rng(count)
    values = rng.integers(0, 2**64 - 1, distinct, dtype=np.uint64, endpoint=True)
    values[0] = 2**64 - 1  # the largest feature, and the smallest, in a bucket of their own
    values[-1] = 0
    features = rng.choice(values, count)
    slots = np.arange(count, dtype=np.int32)
    order = np.argsort(features, kind="stable")
    sorted_features = features.copy()
    moved = segments_module._sort_postings(sorted_features, slots)
    assert sorted_features.tolist() == features[order].tolist() and moved.tolist() == slots[order].tolist()


def test_an_index_in_use_opens_while_a_writer_holds_its_lock(tmp_path):
    # A bulk add's last merge holds the write lock for minutes: a check must not wait for it.
    path = tmp_path / "busy.db"
    with Index(path) as store:
        list(store.add([Document("ferry", FERRY)]))
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with Index(path) as reader:
            assert reader.get("ferry") is not None
        assert time.monotonic() - started < 5
    finally:
        writer.rollback()
        writer.close()

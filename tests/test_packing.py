import sqlite3
import zlib

import xxhash
import zstandard

import unspin.packing as packing
from tests.conftest import BAKERY, FERRY
from tests.test_index import generated_articles
from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.index import Added, Index
from unspin.tokenize import tokenize


def stored_fields(index: Index, doc_id: str) -> tuple[bytes, bytes, bytes]:
    return index.db.execute("SELECT text, keys, layout FROM sources WHERE id = ?", (doc_id,)).fetchone()


def test_a_source_is_stored_as_zstd_frames_and_read_back_whole(index):
    list(index.add([Document("ferry", FERRY)]))
    for frame in stored_fields(index, "ferry"):
        assert zstandard.get_frame_parameters(frame).dict_id == 0  # too few sources for dictionaries yet
    number = index.db.execute("SELECT number FROM sources").fetchone()[0]
    assert index.get("ferry").text == FERRY and index.get_number(number).text == FERRY
    assert index.keys(number).tolist() == tokenize(FERRY).keys
    assert index.tokens(number)[1].starts == tokenize(FERRY).starts
    assert index.stats()["text_bytes"] == len(FERRY.encode())


def test_dictionaries_are_trained_once_on_the_first_sources_and_make_later_rows_smaller(tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "TRAIN_AFTER", 200)
    articles = [Document(a["id"], a["text"]) for a in generated_articles(400)]
    with Index(tmp_path / "dict.db") as index:
        list(index.add(articles[:150], batch_size=50))
        assert index.db.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 0
        plain = stored_fields(index, articles[149].id)
        list(index.add(articles[150:], batch_size=50))  # trained at the batch boundary after the 200th
        fields = index.db.execute("SELECT field FROM dictionaries ORDER BY field").fetchall()
        assert fields == [("keys",), ("layout",), ("text",)]
        trained = stored_fields(index, articles[399].id)
        for frame in trained:
            assert zstandard.get_frame_parameters(frame).dict_id != 0
        assert sum(map(len, trained)) < 0.9 * sum(map(len, plain))
        # Every row reads back as it was added, whichever way it was packed.
        with Index(tmp_path / "dict.db", readonly=True) as reader:
            for article in articles[::37]:
                assert reader.get(article.id).text == article.text
        assert index.db.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 3
        list(index.add([Document("ferry", FERRY)]))  # no second training
        assert index.db.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 3


def test_a_reader_opened_before_the_training_reads_the_rows_written_after_it(tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "TRAIN_AFTER", 100)
    articles = [Document(a["id"], a["text"]) for a in generated_articles(200)]
    path = tmp_path / "two.db"
    with Index(path) as writer:
        list(writer.add(articles[:10]))
        with Index(path, readonly=True) as reader:
            assert reader.get(articles[0].id).text == articles[0].text
            list(writer.add(articles[10:], batch_size=50))
            assert reader.get(articles[-1].id).text == articles[-1].text


def test_a_row_naming_a_dictionary_the_index_lacks_is_a_clear_error(index, tmp_path):
    dictionary = zstandard.train_dictionary(4096, [a["text"].encode() for a in generated_articles(300)])
    frame = zstandard.ZstdCompressor(dict_data=dictionary).compress(FERRY.encode())
    list(index.add([Document("ferry", FERRY)]))
    index.db.execute("UPDATE sources SET text = ?", (frame,))
    try:
        index.get("ferry")
    except ValueError as error:
        assert f"dictionary {dictionary.dict_id()}" in str(error)
    else:
        raise AssertionError("a missing dictionary must be named")


def test_an_index_written_by_the_version_before_packing_is_read_and_grown(tmp_path):
    # That version stored the text as TEXT, the keys and layout zlib'd, the digest in hex, and
    # had no packing or size columns.
    path = tmp_path / "before.db"
    with Index(path) as index:
        list(index.add([Document("ferry", FERRY)]))
        tokens = tokenize(FERRY)
        index.db.execute("UPDATE sources SET text = ?, keys = ?, layout = ?, digest = ?",
                         (FERRY, zlib.compress(tokens.key_array.tobytes()), zlib.compress(tokens.layout()),
                          xxhash.xxh3_128_hexdigest(FERRY.encode())))
        index.db.commit()
        index.db.executescript("ALTER TABLE sources DROP COLUMN packing; ALTER TABLE sources DROP COLUMN size;")
    number = 1
    with Index(path, readonly=True) as old:  # the columns cannot be added: read as they are
        assert old.get("ferry").text == FERRY and old.keys(number).tolist() == tokens.keys
        assert old.tokens(number)[1].starts == tokens.starts
    with Index(path) as index:  # writable: the columns are added, NULL in the old row
        assert index.get("ferry").text == FERRY
        assert [outcome for _, outcome in index.add([Document("ferry", FERRY), Document("bakery", BAKERY)])] == [
            Added.UNCHANGED, Added.ADDED]
        assert index.stats()["text_bytes"] == len(FERRY.encode()) + len(BAKERY.encode())
        assert index.get("bakery").text == BAKERY
        assert index.candidates(fingerprint(tokenize(FERRY)))[0].number == number
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_frames_packed_elsewhere_are_taken_as_they_are_if_they_name_the_dictionary_this_packer_uses(tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "TRAIN_AFTER", 200)
    articles = [Document(a["id"], a["text"]) for a in generated_articles(300)]
    with Index(tmp_path / "dict.db") as index:
        list(index.add(articles, batch_size=50))
        text = articles[0].text.encode()
        other = packing.Packer(sqlite3.connect(":memory:"))  # no dictionaries: its frames name none
        other.db.executescript(packing.SCHEMA)
        mine = index.packer.pack_all("text", [text])[0]
        plain = other.pack_all("text", [text])[0]
        assert index.packer.pack_all("text", [text], [mine])[0] is mine
        assert index.packer.pack_all("text", [text, text], [plain, None]) == [mine, mine]  # made again with its own


def test_a_packer_without_dictionaries_reads_those_another_connection_trained_when_refreshed(tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "TRAIN_AFTER", 200)
    articles = [Document(a["id"], a["text"]) for a in generated_articles(300)]
    path = tmp_path / "dict.db"
    with Index(path) as index:
        reader = packing.Packer(sqlite3.connect(path))
        text = articles[0].text.encode()
        assert zstandard.get_frame_parameters(reader.pack_all("text", [text])[0]).dict_id == 0
        list(index.add(articles, batch_size=50))
        reader.refresh()
        assert reader.pack_all("text", [text]) == index.packer.pack_all("text", [text])
        assert zstandard.get_frame_parameters(reader.pack_all("text", [text])[0]).dict_id != 0

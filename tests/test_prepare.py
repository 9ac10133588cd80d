import numpy as np
import pytest

import unspin.packing as packing
import unspin.prepare as prepare
import zstandard
from tests.conftest import BAKERY, FERRY
from unspin.document import Document
from unspin.index import Index
from unspin.prepare import made, made_ahead


def articles(count: int) -> list[Document]:
    return [Document(f"doc{n}", f"{FERRY if n % 2 else BAKERY} Number {n} of {count}.") for n in range(count)]


def generated(count: int) -> list[Document]:
    from tests.test_index import generated_articles

    return [Document(a["id"], a["text"]) for a in generated_articles(count)]


def same(a, b) -> bool:
    return a[:3] == b[:3] and np.array_equal(a.fingerprint, b.fingerprint) and a.language == b.language


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(prepare, "ALONE", 5)  # workers start after five documents
    monkeypatch.setattr(prepare, "CHUNK", 3)
    monkeypatch.setattr(prepare, "AHEAD", 1)


def test_workers_make_each_document_what_the_writer_would_in_input_order(small_chunks):
    documents = articles(40)
    given = list(made_ahead(documents, workers=2))
    assert [document for document, _ in given] == documents
    assert all(ready is None for _, ready in given[:5])  # the first ones are left to the writer
    assert all(same(ready, made(document)) for document, ready in given[5:])


def test_without_workers_every_document_is_left_to_the_writer():
    documents = articles(3)
    assert list(made_ahead(documents, workers=0)) == [(document, None) for document in documents]


def test_an_error_of_the_documents_is_raised_after_those_read_before_it(small_chunks):
    def documents():
        yield from articles(20)
        raise KeyboardInterrupt

    given = []
    with pytest.raises(KeyboardInterrupt):
        for item in made_ahead(documents(), workers=1):
            given.append(item)
    assert [document.id for document, _ in given] == [f"doc{n}" for n in range(20)]


def test_a_source_stored_with_the_same_text_is_not_made_again(small_chunks, tmp_path):
    path = str(tmp_path / "stored.db")
    documents = articles(12)
    with Index(path) as index:
        list(index.add(documents[:8]))
    changed = Document("doc7", "Another text altogether, with words of its own.")
    given = dict((d.id, ready) for d, ready in made_ahead([*documents[:7], changed, *documents[8:]], 1, path))
    # doc0-doc4 are the writer's anyway; doc5 and doc6 are stored as they are; doc7 changed.
    assert [doc_id for doc_id, ready in given.items() if ready is not None] == ["doc7", "doc8", "doc9", "doc10", "doc11"]


def test_an_add_with_workers_stores_what_one_without_stores(small_chunks, tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "TRAIN_AFTER", 64)  # the dictionaries trained part-way through
    stored = []
    for workers in (0, 1):
        path = tmp_path / f"workers{workers}.db"
        with Index(path) as index:
            list(index.add(generated(300), batch_size=16, workers=workers))
            rows = index.db.execute("SELECT number, id, text, digest, words, keys, layout, language FROM sources").fetchall()
            files = {entry.name: entry.read_bytes() for folder in index.folder.iterdir() for entry in folder.iterdir()}
            dictionaries = index.db.execute("SELECT id FROM dictionaries").fetchall()
        stored.append((rows, files))
    assert stored[0] == stored[1] and len(stored[0][0]) == 300 and stored[0][1]
    named = {zstandard.get_frame_parameters(row[2]).dict_id for row in stored[0][0]}
    assert len(dictionaries) == 3 and len(named) == 2 and 0 in named  # texts packed before and after the training

"""unspin cluster, local engine: groups of copies in one collection, each with its original."""

from __future__ import annotations

import json
import subprocess
import sys


from tests.collection import generate
from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, swap_words
from unspin.crawl.cluster import Meta, candidate_pairs, cluster_documents, precedence
from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.tokenize import tokenize


def by_original(groups: list[dict]) -> dict[str, dict[str, str]]:
    """original id -> {member id: verdict}"""
    return {g["original"]: {m["id"]: m["verdict"] for m in g["members"]} for g in groups}


def test_a_copy_and_a_spun_copy_join_their_original_and_an_independent_report_stays_out():
    documents = [
        Document("ferry", FERRY, date="2024-05-01"),
        Document("farm/copy", FERRY, date="2024-05-03"),
        Document("farm/spun", swap_words(FERRY, 0.9, seed=3), date="2024-05-02"),
        Document("other-outlet", FERRY_OTHER_OUTLET, date="2024-05-01"),
        Document("bakery", BAKERY),
    ]
    groups = cluster_documents(documents, workers=1)
    assert len(groups) == 1
    [group] = groups
    assert group["original"] == "ferry" and group["size"] == 3
    members = {m["id"]: m for m in group["members"]}
    assert members["farm/copy"]["verdict"] == "copy" and members["farm/copy"]["source_id"] == "ferry"
    assert members["farm/spun"]["verdict"] in ("spun", "paraphrase")


def test_a_partial_copy_is_listed_apart_and_not_among_the_copies_to_drop():
    # A blog post of its own that quotes two paragraphs of the ferry article.
    paragraphs = FERRY.split("\n\n")
    blog = BAKERY + "\n\n" + "\n\n".join(paragraphs[2:4])
    documents = [Document("ferry", FERRY, date="2024-05-01"), Document("farm/copy", FERRY, date="2024-05-03"),
                 Document("blog", blog, date="2024-05-04")]
    [group] = cluster_documents(documents, workers=1)
    assert group["original"] == "ferry" and group["size"] == 3
    assert [m["id"] for m in group["members"]] == ["farm/copy"]
    assert [(m["id"], m["verdict"]) for m in group["partial"]] == [("blog", "partial")]


def test_the_original_is_the_earliest_dated_else_the_most_complete_text():
    half = FERRY.split("\n\n")
    shorter = "\n\n".join(half[:4])
    # Undated: the longer text is taken for the original.
    groups = cluster_documents([Document("short", shorter), Document("long", FERRY)], workers=1)
    assert groups[0]["original"] == "long"
    # Dated: the earlier one, even when it is shorter.
    groups = cluster_documents([Document("short", shorter, date="2020-01-01"),
                                Document("long", FERRY, date="2020-02-01")], workers=1)
    assert groups[0]["original"] == "short"
    assert precedence("a", Meta("2020-01-01", 5)) < precedence("b", Meta(None, 500))


def test_verbatim_duplicates_are_folded_and_listed_as_copies():
    documents = [Document(f"mirror{i}", FERRY + "\n") for i in range(5)] + [Document("bakery", BAKERY)]
    [group] = cluster_documents(documents, workers=1)
    assert group["original"] == "mirror0" and group["size"] == 5
    assert all(m["verdict"] == "copy" and m["duplicate"] for m in group["members"])


def test_a_feature_in_too_many_documents_proposes_no_pairs():
    features = [fingerprint(tokenize(FERRY))] * 4
    assert len(candidate_pairs(features, max_df=4)[0]) == 6
    assert len(candidate_pairs(features, max_df=3)[0]) == 0


def test_the_share_of_shared_features_counts_only_features_rare_enough_to_vote():
    import numpy as np

    common = np.arange(200, dtype=np.uint64)  # in every document: more than max_df
    shared = np.arange(1000, 1015, dtype=np.uint64)  # 15 rare features of a copy and its source
    features = [np.concatenate([common, np.arange(5000 + 100 * i, 5010 + 100 * i, dtype=np.uint64)]) for i in range(12)]
    features[0] = np.unique(np.concatenate([features[0], shared]))
    features[1] = np.unique(np.concatenate([features[1], shared]))
    # 15 shared of 225 features (under 10%) but of 25 informative ones (60%): a candidate.
    a, b, counts = candidate_pairs(features, max_df=5)
    assert (a.tolist(), b.tolist(), counts.tolist()) == ([0], [1], [15])


def test_on_a_generated_collection_every_copy_is_grouped_with_its_true_original():
    records, truth = generate(400, seed=11)
    documents = [Document(r["id"], r["text"], date=r.get("date")) for r in records]
    groups = cluster_documents(documents, workers=2)
    original_of = {m["id"]: g["original"] for g in groups for m in g["members"] + g["partial"]}
    assert original_of == truth.original_of
    # The partial copies, and only they, are listed apart from the copies to drop.
    partial = [m for g in groups for m in g["partial"]]
    assert partial and all(m["verdict"] == "partial" and m["id"].endswith("-partial") for m in partial)
    assert all(m["verdict"] != "partial" for g in groups for m in g["members"])


def test_one_worker_and_two_give_the_same_groups():
    records, _ = generate(200, seed=5)
    documents = [Document(r["id"], r["text"], date=r.get("date")) for r in records]
    assert cluster_documents(documents, workers=1) == cluster_documents(documents, workers=2)


def test_the_cli_reads_files_and_warcs_and_writes_json_lines(tmp_path):
    from tests.warcs import page, write_warc

    (tmp_path / "ferry.txt").write_text(FERRY)
    (tmp_path / "bakery.txt").write_text(BAKERY)
    write_warc(tmp_path / "crawl.warc.gz", [("response", "https://farm.example/f", page(FERRY))])
    (tmp_path / "broken.jsonl").write_text('{"id": "x", "text": "fine text here"}\nnot json\n')
    out = tmp_path / "groups.jsonl"
    done = subprocess.run([sys.executable, "-m", "unspin.cli", "cluster", str(tmp_path), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1  # the broken JSONL line
    assert "broken.jsonl:2" in done.stderr
    assert "1 copies to drop, 0 partial copies to keep" in done.stderr
    [group] = [json.loads(line) for line in out.read_text().splitlines()]
    ids = {group["original"], *(m["id"] for m in group["members"])}
    assert ids == {f"{tmp_path.name}/ferry.txt", "https://farm.example/f"}

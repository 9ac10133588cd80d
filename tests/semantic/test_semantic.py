"""The semantic view: sentence splitting, sentence alignment, the structural gate, the store.

Most tests use hand-made vectors or a toy embedder, so they run without the 'semantic'
extra; the tests marked ``needs_model`` load all-MiniLM-L6-v2 and skip when it is missing.
"""

from __future__ import annotations

import json
import os
import re
import zlib

import numpy as np
import pytest
from click.testing import CliRunner

from unspin.semantic import embed
from unspin.semantic import view as semantic
from unspin.cli import main
from unspin.document import Document
from unspin.index import Index
from unspin.judge import Verdict
from unspin.tokenize import tokenize

needs_model = pytest.mark.skipif(not embed.available(), reason="the 'semantic' extra is not installed")

SOURCE = (
    "The city council approved a budget of 4.2 million pounds on Tuesday night. "
    "Councillors argued for three hours before the vote. "
    "The plan raises parking charges in the town centre by a fifth. "
    "Shop owners say the rise will keep shoppers away. "
    "The mayor said the money would repair roads and fund two new libraries. "
    "Work on the first library is due to start in the spring."
)
PARAPHRASE = (
    "On Tuesday evening the town's councillors voted through a 4.2 million pound budget. "
    "The vote came after a debate that lasted three hours. "
    "Under the plan, parking in the centre of town will cost a fifth more. "
    "Retailers warn that higher charges will drive customers elsewhere. "
    "According to the mayor, the funds will pay for road repairs and two additional libraries. "
    "Construction of the first of them should begin in spring."
)

# A lighter rewrite, sentence by sentence (what a paraphrasing tool or a round trip through
# machine translation gives): the semantic view's default thresholds catch it. The heavier
# PARAPHRASE above escapes them (its pairs reach 0.57-0.88; see docs/semantic.md).
REWORDED = (
    "The city council passed a budget of 4.2 million pounds on Tuesday night. "
    "Councillors argued for three hours before the vote was held. "
    "The plan increases parking charges in the town centre by a fifth. "
    "Shop owners say the increase will keep shoppers away from the town. "
    "The mayor said the money would fix roads and pay for two new libraries. "
    "Work on the first library is expected to start in the spring."
)


# --- sentences -------------------------------------------------------------------------


def test_split_sentences_keeps_offsets_and_skips_abbreviations():
    text = 'Mr. Smith said the U.S. had 2,500 troops there. "We will stay," he said! J. R. Doe agreed?\nA new line here'
    spans = semantic.split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith said the U.S. had 2,500 troops there.",
        '"We will stay," he said!',
        "J. R. Doe agreed?",
        "A new line here",
    ]


def test_split_sentences_trims_and_handles_empty_text():
    assert semantic.split_sentences("") == []
    assert semantic.split_sentences("   \n\n  ") == []
    text = "  One sentence here.   Two sentences here.  "
    assert [text[s:e] for s, e in semantic.split_sentences(text)] == ["One sentence here.", "Two sentences here."]


def test_short_sentences_are_not_embedded():
    text = "By Jane Doe. The council approved the budget on Tuesday night."
    assert [text[s:e] for s, e in semantic.sentence_spans(text)] == ["The council approved the budget on Tuesday night."]


# --- alignment with hand-made vectors --------------------------------------------------


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _sentences(text: str, vectors: np.ndarray) -> tuple:
    tokens = tokenize(text)
    spans = semantic.sentence_spans(text)
    assert len(spans) == len(vectors)
    return tokens, semantic.describe(text, tokens, spans, vectors)


def _vectors(n: int, seed: int = 0, dims: int = 32) -> np.ndarray:
    return _unit(np.random.default_rng(seed).normal(size=(n, dims)))


def _near(vectors: np.ndarray, noise: float, seed: int = 1) -> np.ndarray:
    """Vectors close to ``vectors`` (cosine about 1 - noise**2/2 per row)."""
    rng = np.random.default_rng(seed)
    return _unit(vectors + noise * _unit(rng.normal(size=vectors.shape)))


def _judge(suspect_text, suspect_vectors, source_text, source_vectors, pair=0.7, mean=0.8):
    st, s = _sentences(suspect_text, suspect_vectors)
    tt, t = _sentences(source_text, source_vectors)
    passages = semantic.align_sentences(suspect_text, st, s, source_text, tt, t, pair)
    return semantic.judge_semantic(st, s, tt, t, passages, mean), passages


def test_a_sentence_by_sentence_paraphrase_is_a_paraphrase_with_one_ordered_passage():
    source = _vectors(6)
    judgement, passages = _judge(PARAPHRASE, _near(source, 0.4), SOURCE, source)
    assert judgement.verdict is Verdict.PARAPHRASE
    assert judgement.coverage > 0.9 and judgement.source_coverage > 0.9
    [passage] = passages
    assert [(p.suspect, p.source) for p in passage.pairs] == [(i, i) for i in range(6)]
    assert all(0.9 < p.similarity <= 1.0 for p in passage.pairs)
    assert passage.suspect == (0, len(PARAPHRASE)) and passage.source == (0, len(SOURCE))
    # Each pair's offsets are the two sentences.
    first_suspect, first_source = passage.sentence_offsets[0]
    assert PARAPHRASE[slice(*first_suspect)].startswith("On Tuesday evening")
    assert SOURCE[slice(*first_source)].startswith("The city council")


def test_similarity_alone_makes_no_verdict_when_the_order_is_lost():
    # Every sentence has a close counterpart, but in another order: no run, no evidence.
    source = _vectors(6)
    order = [5, 4, 3, 2, 1, 0]
    judgement, passages = _judge(PARAPHRASE, _near(source[order], 0.3), SOURCE, source)
    assert judgement.verdict is Verdict.ORIGINAL
    assert all(len(p.pairs) < semantic.MIN_RUN for p in passages)


def test_low_similarity_makes_no_pairs():
    judgement, passages = _judge(PARAPHRASE, _vectors(6, seed=7), SOURCE, _vectors(6))
    assert judgement.verdict is Verdict.ORIGINAL and passages == []


def test_a_close_run_that_changes_the_figures_is_not_a_paraphrase():
    # Same meaning vectors, but every sentence states other numbers: an independent report.
    other = re.sub(r"4\.2", "3.9", SOURCE).replace("three hours", "5 hours").replace("two new", "6 new")
    other = other.replace("by a fifth", "by 20 percent").replace("in the spring", "in 2027").replace(
        "shoppers away", "1,000 shoppers away")
    source = _vectors(6)
    judgement, _ = _judge(other, _near(source, 0.2), SOURCE, source)
    assert judgement.verdict is Verdict.ORIGINAL


def test_facts_agree_rules():
    text = "The budget was 4.2 million pounds in 2024. The budget was 3.9 million pounds in 2024. The budget was set in 2024."
    tokens = tokenize(text)
    s = semantic.describe(text, tokens, semantic.sentence_spans(text), _vectors(3))
    assert s.numbers[0] == frozenset({"4.2", "2024"})
    assert not semantic.facts_agree(s, 1, s, 0)  # a changed figure
    assert semantic.facts_agree(s, 2, s, 0)  # a dropped figure
    assert not semantic.facts_agree(s, 0, s, 2)  # an invented figure


def test_quoted_sentences_are_not_evidence():
    quoted_source = " ".join(f'"{sentence}"' for sentence in re.split(r"(?<=\.) ", SOURCE))
    quoted_copy = " ".join(f'"{sentence}"' for sentence in re.split(r"(?<=\.) ", PARAPHRASE))
    source = _vectors(6)
    judgement, passages = _judge(quoted_copy, _near(source, 0.3), quoted_source, source)
    assert passages and all(p.quote for p in passages)
    assert judgement.verdict is Verdict.ORIGINAL


def test_a_reused_run_inside_a_longer_text_is_partial_or_nothing():
    source = _vectors(6)
    host = " ".join(f"Unrelated sentence number {w} about something else entirely." for w in "abcdefghijklmnop")
    text = host + " " + PARAPHRASE
    host_vectors = _vectors(16, seed=9)
    judgement, passages = _judge(text, np.vstack([host_vectors, _near(source, 0.3)]), SOURCE, source)
    assert judgement.verdict in (Verdict.PARAPHRASE, Verdict.PARTIAL)  # the source is wholly covered
    assert judgement.coverage < 0.5 and judgement.source_coverage > 0.9


def test_moved_blocks_of_sentences_are_found_in_later_rounds():
    P = semantic.SentencePair
    # Suspect sentences 0-2 copy source 3-5, and 3-5 copy source 0-2.
    pairs = [P(i, (i + 3) % 6, 0.9) for i in range(6)]
    assert [[(p.suspect, p.source) for p in run] for run in semantic.ordered_runs(pairs)] == [
        [(0, 3), (1, 4), (2, 5)], [(3, 0), (4, 1), (5, 2)]]


def test_chain_keeps_the_heaviest_ordered_path_and_runs_cut_at_jumps():
    P = semantic.SentencePair
    pairs = [P(0, 0, 0.9), P(1, 1, 0.8), P(1, 5, 0.95), P(2, 2, 0.9), P(7, 9, 0.9), P(8, 10, 0.9)]
    path = semantic.chain(pairs)
    assert [(p.suspect, p.source) for p in path] == [(0, 0), (1, 1), (2, 2), (7, 9), (8, 10)]
    assert [[(p.suspect, p.source) for p in run] for run in semantic.runs(path)] == [
        [(0, 0), (1, 1), (2, 2)], [(7, 9), (8, 10)]]
    assert semantic.chain([]) == []


# --- the store and the checker, with a toy embedder -----------------------------------


class ToyEmbedder(embed.Embedder):
    """Bag of word stems hashed into 64 dimensions: enough to find the same sentence."""

    name = "toy"
    dimensions = 64

    def encode(self, sentences):
        rows = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        for i, sentence in enumerate(sentences):
            for word in re.findall(r"\w+", sentence.lower()):
                rows[i, zlib.crc32(word[:4].encode()) % self.dimensions] += 1
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(semantic.THRESHOLDS, "toy", {"pair": 0.6, "mean": 0.7})
    return ToyEmbedder()


@pytest.mark.skipif(not embed.available(), reason="needs usearch from the 'semantic' extra")
def test_store_syncs_finds_and_forgets_sources(tmp_path, toy):
    from unspin.semantic.store import SemanticChecker, prune

    with Index(tmp_path / "u.db") as store:
        list(store.add([Document("budget", SOURCE), Document("other", "A cat sat on the mat all day long. "
                                                                         "The dog barked at the mailman twice.")]))
        checker = SemanticChecker(store, model=toy)
        assert checker.store.missing() == 2
        assert checker.sync() == 2 and checker.store.missing() == 0
        spans, vectors = checker.store.sentences(store.db.execute(
            "SELECT number FROM sources WHERE id='budget'").fetchone()[0])
        assert len(spans) == 6 and vectors.shape == (6, 64)
        sentences = semantic.embed_text(SOURCE, toy)
        from unspin.semantic.store import document_vector

        [(number, similarity)] = checker.store.nearest(document_vector(sentences.vectors), limit=1)
        assert store.get_number(number).id == "budget" and similarity > 0.99
        # A verbatim copy is found lexically; the semantic path leaves it as it is.
        assert checker.check(Document("s", SOURCE)).verdict is Verdict.COPY
        store.remove(["budget"])
        prune(store)
        assert store.db.execute("SELECT count(*) FROM semantic_sentences").fetchone()[0] == 1


@pytest.mark.skipif(not embed.available(), reason="needs usearch from the 'semantic' extra")
def test_checker_adds_a_semantic_paraphrase_that_the_lexical_path_misses(tmp_path, toy):
    from unspin.check import Checker
    from unspin.semantic.store import SemanticChecker

    # Sentences that keep their words' stems but not their order: the toy embedder sees
    # the same sentences, word alignment sees little.
    def scramble(text):
        return " ".join(" ".join(reversed(s.rstrip(".").split())).capitalize() + "."
                        for s in re.split(r"(?<=\.) ", text))

    suspect = Document("suspect", scramble(SOURCE))
    with Index(tmp_path / "u.db") as store:
        list(store.add([Document("budget", SOURCE)]))
        assert Checker(store).check(suspect).verdict is Verdict.ORIGINAL
        result = SemanticChecker(store, model=toy).check(suspect)
    assert result.verdict is Verdict.PARAPHRASE
    [match] = result.matches
    assert match.source.id == "budget"
    from unspin.report import match_json

    passages = match_json(match, suspect)["passages"]
    assert passages[0]["kind"] == "paraphrase" and len(passages[0]["sentences"]) == 6
    for pair in passages[0]["sentences"]:
        assert suspect.text[slice(*pair["suspect"])].endswith(".") and 0 < pair["similarity"] <= 1.0001


# --- the switch and the missing extra --------------------------------------------------


def test_env_switch(monkeypatch):
    monkeypatch.setenv("UNSPIN_SEMANTIC", "1")
    assert embed.enabled_by_env() is True
    monkeypatch.setenv("UNSPIN_SEMANTIC", "off")
    assert embed.enabled_by_env() is False
    monkeypatch.delenv("UNSPIN_SEMANTIC")
    assert embed.enabled_by_env() is None
    with pytest.raises(ValueError):
        embed.backend_name("bogus")


def test_missing_extra_gives_one_line_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setattr(embed, "available", lambda: False)
    source = tmp_path / "a.txt"
    source.write_text(SOURCE)
    runner = CliRunner()
    result = runner.invoke(main, ["index", "add", str(source), "--db", str(tmp_path / "u.db"), "--semantic"])
    assert result.exit_code != 0
    assert "pip install 'unspin[semantic]'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    # Off by default: the lexical path needs nothing from the extra.
    result = runner.invoke(main, ["index", "add", str(source), "--db", str(tmp_path / "u.db")])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("UNSPIN_SEMANTIC", "1")
    result = runner.invoke(main, ["check", str(source), "--db", str(tmp_path / "u.db")])
    assert result.exit_code != 0 and "unspin[semantic]" in result.output


def test_help_names_the_default_model_of_the_code():
    runner = CliRunner()
    add = " ".join(runner.invoke(main, ["index", "add", "--help"]).output.split())
    assert f"else the index's, else {embed.DEFAULT_BACKEND}." in add
    check = " ".join(runner.invoke(main, ["check", "--help"]).output.split())
    assert "the index's (the default); another one is refused" in check and "else minilm" not in check


class StaticStandIn(ToyEmbedder):
    """The toy vectors under the default model's name: no distillation in the tests."""

    name = "static"


@pytest.fixture
def standin(monkeypatch) -> list[str]:
    """``embed.embedder`` giving the stand-in for static and failing for any other model; the names asked."""
    model, asked = StaticStandIn(), []

    def embedder(name=None):
        asked.append(embed.backend_name(name))
        assert asked[-1] == "static", f"the {asked[-1]} model was loaded"
        return model

    monkeypatch.setattr(embed, "embedder", embedder)
    monkeypatch.delenv("UNSPIN_SEMANTIC", raising=False)
    monkeypatch.delenv("UNSPIN_SEMANTIC_MODEL", raising=False)
    return asked


def _vectors_by_model(db: str) -> list[tuple]:
    with Index(db) as store:
        return store.db.execute("SELECT model, count(*) FROM semantic_sentences GROUP BY model").fetchall()


@pytest.mark.skipif(not embed.available(), reason="needs usearch from the 'semantic' extra")
def test_check_refuses_another_model_than_the_index_and_never_re_embeds_it(tmp_path, standin, monkeypatch):
    (tmp_path / "budget.txt").write_text(SOURCE)
    (tmp_path / "cat.txt").write_text("A cat sat on the mat all day long. The dog barked at the mailman twice.")
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(REWORDED)
    db = str(tmp_path / "u.db")
    runner = CliRunner()
    added = runner.invoke(main, ["index", "add", str(tmp_path / "budget.txt"), str(tmp_path / "cat.txt"),
                                 "--db", db, "--semantic"])
    assert added.exit_code == 0, added.output
    built = _vectors_by_model(db)
    assert built == [("static", 2)]
    size = os.path.getsize(db)
    for args, env, named in ((["--semantic-model", "minilm"], {}, "--semantic-model"),
                             ([], {"UNSPIN_SEMANTIC_MODEL": "minilm"}, "UNSPIN_SEMANTIC_MODEL")):
        refused = runner.invoke(main, ["check", str(suspect), "--db", db, *args], env=env)
        assert refused.exit_code == 1
        assert refused.stderr.splitlines() == [
            f"unspin: error: the index {db} was built with the semantic model static, not minilm ({named}): "
            f"check with static, or embed its sources with minilm first: "
            f"'unspin index add PATH... --db {db} --semantic --semantic-model minilm'"]
    assert "minilm" not in standin
    assert _vectors_by_model(db) == built and os.path.getsize(db) == size
    # The index's own model is used without a word; vectors missing (an interrupted add) are
    # embedded, and the check says so.
    checked = runner.invoke(main, ["check", str(suspect), "--db", db, "--json", "--semantic-model", "static"])
    assert checked.exit_code == 0 and checked.stderr == "", checked.output
    with Index(db) as store:
        with store.db:
            store.db.execute("DELETE FROM semantic_sentences WHERE number = (SELECT min(number) FROM sources)")
    checked = runner.invoke(main, ["check", str(suspect), "--db", db, "--json"])
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == f"unspin: embedding the sentences of 1 source of {db} that have no static vectors yet\n"
    assert _vectors_by_model(db) == built


@pytest.mark.skipif(not embed.available(), reason="needs usearch from the 'semantic' extra")
def test_index_add_with_another_model_says_it_embeds_every_source_again(tmp_path, standin):
    from unspin.semantic.store import record_setting

    (tmp_path / "budget.txt").write_text(SOURCE)
    db = str(tmp_path / "u.db")
    assert CliRunner().invoke(main, ["index", "add", str(tmp_path / "budget.txt"), "--db", db]).exit_code == 0
    with Index(db) as store:
        record_setting(store, "minilm")  # as if built with minilm
    added = CliRunner().invoke(main, ["index", "add", str(tmp_path / "budget.txt"), "--db", db,
                                      "--semantic-model", "static"])
    assert added.exit_code == 0, added.output
    assert added.stderr.splitlines()[0] == f"unspin: the index {db} holds minilm vectors: embedding every source again with static"
    assert _vectors_by_model(db) == [("static", 1)]


def test_check_with_the_semantic_view_refuses_an_index_without_it(tmp_path, standin, monkeypatch):
    monkeypatch.setattr(embed, "available", lambda: True)  # refused before anything of the extra is used
    (tmp_path / "budget.txt").write_text(SOURCE)
    db = str(tmp_path / "u.db")
    runner = CliRunner()
    assert runner.invoke(main, ["index", "add", str(tmp_path / "budget.txt"), "--db", db]).exit_code == 0
    refused = runner.invoke(main, ["check", str(tmp_path / "budget.txt"), "--db", db, "--semantic"])
    assert refused.exit_code == 1 and not standin
    assert refused.stderr.splitlines() == [
        f"unspin: error: the index {db} has no semantic view: build it with "
        f"'unspin index add PATH... --db {db} --semantic', or check without --semantic"]
    with Index(db) as store:
        assert not store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'semantic_sentences'").fetchone()


# --- with the real model ---------------------------------------------------------------


@needs_model
def test_minilm_finds_a_sentence_by_sentence_paraphrase():
    judgement = semantic.compare_semantic(REWORDED, SOURCE, embed.embedder("minilm"))
    assert judgement.verdict is Verdict.PARAPHRASE
    assert judgement.coverage > 0.8


@needs_model
def test_minilm_keeps_an_independent_report_of_the_same_event_original():
    other = (
        "Parking fees in the town centre are set to climb after a heated budget meeting. "
        "Several traders attended the session at the civic hall to protest. "
        "One cafe owner told us she feared for her business. "
        "Opposition members described the plan as a tax on visitors. "
        "The new charges take effect in April, officials confirmed. "
        "A petition against the rise has gathered hundreds of signatures."
    )
    judgement = semantic.compare_semantic(other, SOURCE, embed.embedder("minilm"))
    assert judgement.verdict is Verdict.ORIGINAL


def _scramble(text: str) -> str:
    """Each sentence's words in reverse order: word alignment finds little, a bag of words all."""
    return " ".join(" ".join(reversed(s.rstrip(".").split())).capitalize() + "."
                    for s in re.split(r"(?<=\.) ", text))


@needs_model
def test_cli_semantic_index_and_check_report_paraphrase_passages(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "budget.txt").write_text(SOURCE)
    (tmp_path / "src" / "other.txt").write_text("A cat sat on the mat all day long. The dog barked at the mailman.")
    suspect = tmp_path / "suspect.txt"
    # The static model averages word vectors, so it sees the same sentences.
    suspect.write_text(_scramble(SOURCE))
    db = str(tmp_path / "u.db")
    runner = CliRunner()
    result = runner.invoke(main, ["index", "add", str(tmp_path / "src"), "--db", db, "--semantic",
                                  "--semantic-model", "static"])
    assert result.exit_code == 0, result.output
    # The index remembers the setting: check uses the semantic view without the flag.
    result = runner.invoke(main, ["check", str(suspect), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["verdict"] == "paraphrase"
    assert line["matches"][0]["source_id"].endswith("budget.txt")
    assert line["matches"][0]["passages"][0]["kind"] == "paraphrase"
    # --no-semantic gives the lexical verdict alone.
    result = runner.invoke(main, ["check", str(suspect), "--db", db, "--json", "--no-semantic"])
    assert json.loads(result.stdout.strip().splitlines()[-1])["verdict"] == "original"


@needs_model
def test_static_backend_agrees_on_the_reworded_copy():
    judgement = semantic.compare_semantic(REWORDED, SOURCE, embed.embedder("static"))
    assert judgement.verdict is Verdict.PARAPHRASE
    assert embed.embedder("static").dimensions == embed.STATIC_DIMENSIONS


# --- the paraphrase bench on data the test writes --------------------------------------


def _write_suites(root):
    mrpc = root / "mrpc"
    mrpc.mkdir()
    rows = ["\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String"]
    sentences = re.split(r"(?<=\.) ", SOURCE) + re.split(r"(?<=\.) ", PARAPHRASE)
    for k, sentence in enumerate(sentences):
        rows.append(f"1\t{k}\t{k + 100}\t{sentence}\t{sentence}")
    for k, sentence in enumerate(sentences):
        rows.append(f'0\t{k}\t{k + 200}\t{sentence}\tA "different" story number {k} about the weather in {k + 1990}.')
    for name in ("train", "test"):
        (mrpc / f"msr_paraphrase_{name}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pan = root / "mt_metrics_pan_paraphrase"
    pan.mkdir()
    for name in ("train", "test"):
        (pan / f"pan-{name}_s1.txt").write_text("\n".join(sentences * 2) + "\n")
        (pan / f"pan-{name}_s2.txt").write_text("\n".join(sentences + [f"Other line {k} here now." for k in range(12)]) + "\n")
        (pan / f"pan-{name}.labels").write_text("\n".join(["1"] * 12 + ["0"] * 12) + "\n")


def test_paraphrase_suites_are_assembled_from_pairs(tmp_path):
    from unspin.bench import paraphrase as bench_semantic
    _write_suites(tmp_path)
    sources, cases = bench_semantic.build_suite("mrpc", tmp_path, "test", 6)
    assert len(sources) == 4 and len(cases) == 4
    copies = [c for c in cases if c.source]
    assert len(copies) == 2 and copies[0].text == SOURCE and {d.id for d in sources} >= {c.source for c in copies}
    results = bench_semantic.run(tmp_path, modes=("lexical",), split="train", sentences=6, log=lambda _: None)
    for suite in ("mrpc", "pan"):
        figures = results["suites"][suite]["lexical"]
        assert figures["recall"] == 1.0 and figures["false_alarms"] == 0
    assert "| mrpc | lexical only | 1.000 (2/2) | 0/2 |" in bench_semantic.markdown(results)

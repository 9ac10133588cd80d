"""Specification of the content spinner that makes the benchmark's labelled copies."""

import re

import pytest
from click.testing import CliRunner

from unspin import thesaurus as th
from unspin.morph import inflect
from unspin.spinner.spin import expand_spintax, spin, split_sentences, to_spintax, words, words_changed
from unspin.cli.spin import spin as spin_command
from unspin.thesaurus import Thesaurus, load_thesaurus

# Written for these tests: a made-up local news story.
STORY = (
    "The council of Elmbridge said on Tuesday that the cost of repairing the old bridge had "
    "increased sharply. According to a report published last week, engineers found serious "
    "damage in the main supports after the heavy floods of 2023. Mayor Joan Pettigrew told "
    "residents that the work would take about 18 months and cost 4.2 million pounds. However, "
    "local businesses fear that the long closure will drive customers away from the town centre. "
    "Several shop owners have already asked the council for help because of falling sales. "
    "The council expects to publish a detailed plan in the spring, and it has promised regular "
    "updates to anyone affected by the decision. Critics argue that the bridge was neglected "
    "for years and that the repairs should have started much earlier."
)


def small_thesaurus() -> Thesaurus:
    """A hand-made thesaurus with parts of speech and one irregular verb."""
    thes = Thesaurus("test", has_pos=True, exceptions={"rose": {"v": ["rise"]}})
    thes.add("big", ["large"], "a")
    thes.add("city", ["town"], "n")
    thes.add("increase", ["rise"], "v")
    thes.add("report", ["account"], "n")
    thes.add("smith", ["blacksmith"], "n")   # a surname elsewhere: must stay untouched
    thes.add("joan", ["jane"], "n")
    thes.add("million", ["meg"], "n")
    return thes


def thesaurus_or_skip(name: str) -> Thesaurus:
    """Load a Debian-packaged thesaurus, or skip the test saying which package to install."""
    try:
        return load_thesaurus(name)
    except th.ThesaurusNotFound as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("name", ["moby", "wordnet", "aiksaurus"])
@pytest.mark.parametrize("rate", [0.1, 0.2, 0.3])
def test_measured_share_of_words_changed_is_near_the_rate_asked(name, rate):
    thes = thesaurus_or_skip(name)
    shares = [words_changed(STORY, spin(STORY, rate, thes, seed=s).text) for s in range(5)]
    assert abs(sum(shares) / len(shares) - rate) < 0.04


@pytest.mark.parametrize("name", ["moby", "wordnet", "aiksaurus"])
def test_phrase_rewrites_take_the_share_beyond_word_swaps(name):
    thes = thesaurus_or_skip(name)
    words_only = words_changed(STORY, spin(STORY, 1.0, thes, seed=1, phrases=False).text)
    with_phrases = words_changed(STORY, spin(STORY, 1.0, thes, seed=1).text)
    assert with_phrases > words_only + 0.03


def test_rate_zero_changes_nothing():
    result = spin(STORY, 0.0, small_thesaurus(), seed=1)
    assert result.text == STORY and result.words_changed == 0
    assert result.n_words == len(words(STORY))


def test_case_is_kept():
    text = "Big city. A big city. THE BIG CITY WAITS."
    out = spin(text, 1.0, small_thesaurus(), seed=1, phrases=False).text
    assert out == "Large town. A large town. THE LARGE TOWN WAITS."


def test_inflection_is_kept():
    thes = small_thesaurus()
    text = "Prices increased in two cities and kept increasing; the city increases fees."
    out = spin(text, 1.0, thes, seed=1, phrases=False).text
    assert out == "Prices rose in two towns and kept rising; the town rises fees."


def test_numbers_and_names_are_untouched():
    text = "The report by Joan Smith counts 4.2 million cases in the city, 30% of them in 2023."
    out = spin(text, 1.0, small_thesaurus(), seed=3).text
    for kept in ("Joan Smith", "4.2", "30%", "2023"):
        assert kept in out
    assert "account" in out and "town" in out


def test_acronyms_are_untouched():
    thes = Thesaurus("test")
    thes.add("us", ["we"])
    thes.add("big", ["large"])
    assert spin("The US economy is big.", 1.0, thes, seed=1, phrases=False).text == \
        "The US economy is large."


def test_same_seed_same_output_other_seed_other_output():
    thes = small_thesaurus()
    text = STORY + " The big city saw prices increase. " * 3
    a = spin(text, 0.5, thes, seed=7, reorder=0.3, drop=0.1)
    b = spin(text, 0.5, thes, seed=7, reorder=0.3, drop=0.1)
    assert a == b
    assert any(spin(text, 0.5, thes, seed=s).text != a.text for s in range(8, 12))


def test_substitutions_are_listed():
    result = spin("A big city.", 1.0, small_thesaurus(), seed=1, phrases=False)
    assert [(s.original, s.replacement) for s in result.substitutions] == \
        [("big", "large"), ("city", "town")]
    assert result.words_changed == 2 and result.rate == pytest.approx(2 / 3)


def test_phrase_table_rewrites_function_words_without_a_thesaurus():
    out = spin(STORY, 1.0, None, seed=2).text
    assert "According to" not in out and "However" not in out and "because of" not in out
    assert spin(STORY, 1.0, None, seed=2, phrases=False).text == STORY


def test_words_changed_is_a_word_level_diff():
    original = "one two three four five six seven eight nine ten"
    assert words_changed(original, original) == 0.0
    assert words_changed(original, original.replace("four", "4x")) == pytest.approx(0.1)
    assert words_changed(original, "") == 1.0
    assert words_changed("", "anything") == 0.0


def test_reorder_swaps_adjacent_sentences_and_keeps_all_of_them():
    text = "First one here. Second one here. Third one here. Fourth one here."
    out = spin(text, 0.0, None, seed=1, reorder=1.0).text
    assert out == "Second one here. First one here. Fourth one here. Third one here."
    assert words_changed(text, out) > 0  # the diff sees reordering as change


def test_drop_removes_sentences_but_never_all():
    text = "First one here. Second one here. Third one here. Fourth one here."
    some = spin(text, 0.0, None, seed=4, drop=0.5)
    assert 0 < len(split_sentences(some.text)) < 4
    assert some.words_changed == 12 - len(words(some.text))
    assert spin(text, 0.0, None, seed=4, drop=1.0).text.strip() == "First one here."


def test_spintax_lists_the_original_first_and_expands_to_a_spin():
    thes = small_thesaurus()
    text = "A big city report."
    spintax = to_spintax(text, thes, seed=1, phrases=False)
    assert spintax == "A {big|large} {city|town} {report|account}."
    first = re.sub(r"\{([^{}|]*)(\|[^{}]*)?\}", r"\1", spintax)
    assert first == text
    assert expand_spintax(spintax, seed=5) in {
        f"A {a} {b} {c}." for a in ("big", "large") for b in ("city", "town")
        for c in ("report", "account")}


def test_spintax_escapes_literal_braces():
    thes = small_thesaurus()
    text = "A {big} city | here."
    assert expand_spintax(to_spintax(text, thes, rate=0.0), seed=1) == text


def test_nested_spintax_expands_every_level():
    spintax = "{Hello|Hi} {there|{my|our} {friend|pal}}!"
    outputs = {expand_spintax(spintax, seed=s) for s in range(200)}
    expected = {f"{g} {t}!" for g in ("Hello", "Hi")
                for t in ["there"] + [f"{p} {f}" for p in ("my", "our") for f in ("friend", "pal")]}
    assert outputs == expected
    assert expand_spintax(spintax, seed=3) == expand_spintax(spintax, seed=3)


@pytest.mark.parametrize("bad", ["{a|b", "a}b", "{a|{b}"])
def test_unbalanced_spintax_is_an_error(bad):
    with pytest.raises(ValueError, match="unbalanced spintax"):
        expand_spintax(bad)


# --- the command ---------------------------------------------------------------------------------

@pytest.fixture
def thesaurus_file(tmp_path):
    path = tmp_path / "syn.txt"
    path.write_text("big,large\ncity,town\n", encoding="utf-8")
    return str(path)


def test_cli_spins_stdin_and_reports_stats(thesaurus_file):
    result = CliRunner().invoke(spin_command, ["-", "--rate", "1", "--seed", "1", "--no-phrases",
                                               "--thesaurus", thesaurus_file, "--stats"],
                                input="A big city.")
    assert result.exit_code == 0
    assert result.stdout == "A large town."
    assert "words changed: 0.667" in result.stderr


def test_cli_spintax_and_expand(thesaurus_file, tmp_path):
    runner = CliRunner()
    spintax = runner.invoke(spin_command, ["-", "--spintax", "--no-phrases", "--rate", "1",
                                           "--thesaurus", thesaurus_file], input="A big city.")
    assert spintax.stdout == "A {big|large} {city|town}."
    expanded = runner.invoke(spin_command, ["-", "--expand", "--seed", "1"], input=spintax.stdout)
    assert expanded.exit_code == 0 and "{" not in expanded.stdout


def test_cli_reads_windows_1252_as_check_does(thesaurus_file, tmp_path):
    text = "The big city made £15.8m – a “record”, says Renée."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    args = ["--rate", "1", "--seed", "1", "--no-phrases", "--thesaurus", thesaurus_file]
    from_file = CliRunner().invoke(spin_command, [str(path), *args])
    from_stdin = CliRunner().invoke(spin_command, ["-", *args], input=text.encode("cp1252"))
    expected = text.replace("big city", "large town")
    assert from_file.exit_code == 0 and from_file.stdout == expected
    assert from_stdin.exit_code == 0 and from_stdin.stdout == expected


@pytest.fixture
def without_debian_thesauri(tmp_path, monkeypatch):
    """A machine with none of the Debian thesauri: their locations point nowhere."""
    absent = tmp_path / "absent"
    monkeypatch.setattr(th, "WORDNET_DIR", absent / "wordnet")
    monkeypatch.setattr(th, "AIKSAURUS_DIR", absent / "aiksaurus")
    monkeypatch.setattr(th, "MYTHES_FILE", absent / "th_en_US_v2.dat")
    th._load_cached.cache_clear()
    yield
    th._load_cached.cache_clear()


def test_cli_default_thesaurus_needs_no_debian_package(without_debian_thesauri):
    with pytest.raises(th.ThesaurusNotFound, match="wordnet-base"):
        load_thesaurus("wordnet")
    result = CliRunner().invoke(spin_command, ["-", "--seed", "1", "--stats"], input=STORY)
    assert result.exit_code == 0, result.output
    assert 0.2 < words_changed(STORY, result.stdout) < 0.4  # the default rate, 0.3
    swapped = set(words(STORY)) - set(words(result.stdout))
    assert {"cost", "damage", "report"} & swapped  # thesaurus swaps, not just the phrase table
    for kept in ("Elmbridge", "Tuesday", "Joan Pettigrew", "18 months", "4.2 million", "2023"):
        assert kept in result.stdout


def test_default_thesaurus_inflects_irregular_and_doubled_forms(without_debian_thesauri):
    moby = load_thesaurus("moby")
    text = "Prices rose and the firm stopped hiring staff."
    outputs = [words(spin(text, 1.0, moby, seed=s, phrases=False).text) for s in range(20)]
    assert not {"rised", "stoped"} & {w for out in outputs for w in out}
    assert any("rose" not in out for out in outputs)  # "rose" was read as the verb and swapped
    assert inflect("stop", "ed", None, moby) == "stopped"
    assert inflect("tell", "ed", None, moby) == "told"
    assert inflect("rise", "ed", None, moby) is None  # "rose" or "risen": the text decides
    assert inflect("plan", "ing", None, moby) == "planning"


def test_cli_errors_are_one_line(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(spin_command, [str(tmp_path / "nope.txt")])
    assert missing.exit_code != 0
    assert missing.stderr.strip().count("\n") == 0 and "nope.txt" in missing.stderr
    bad_thes = runner.invoke(spin_command, ["-", "--thesaurus", str(tmp_path / "t.txt")],
                             input="x")
    assert bad_thes.exit_code != 0 and "thesaurus file not found" in bad_thes.stderr
    bad_rate = runner.invoke(spin_command, ["-", "--rate", "2"], input="x")
    assert bad_rate.exit_code != 0
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(32)) * 8)
    not_text = runner.invoke(spin_command, [str(binary)])
    assert not_text.exit_code != 0 and "x.bin: binary content, not text" in not_text.stderr


# --- numbers and dates ---------------------------------------------------------------------------

# Written for these tests: a made-up match report with number words, ordinals and dates.
MATCH_REPORT = (
    "Kane scored six goals in his first five games, and the club said the second half of the "
    "season would last three months. May is when the league ends; on Saturday twenty-one "
    "thousand fans watched the forty-second game of the year, one of a dozen held in March. "
    "In january the team may march through the town."
)
KEPT = ["six", "first", "five", "second", "half", "three", "May", "Saturday", "twenty-one",
        "thousand", "forty-second", "one", "dozen", "March", "january"]


def number_thesaurus() -> Thesaurus:
    """Synonyms for number and date words (as WordNet has: "six" -> "half-dozen"), and controls."""
    thes = Thesaurus("numbers", has_pos=False)
    for word in {w.lower() for w in KEPT + ["twenty", "forty", "may"]} - {"march"}:
        thes.add(word, ["gadget"])
    thes.add("goal", ["aim"])
    thes.add("team", ["squad"])
    thes.add("march", ["parade"])
    return thes


def test_number_words_ordinals_and_dates_are_kept():
    out = spin(MATCH_REPORT, 1.0, number_thesaurus(), seed=1, phrases=False).text
    assert "gadget" not in out
    for kept in KEPT:
        assert re.search(rf"\b{kept}\b", out), kept
    # the words around them still change, and "march" the verb is no date
    assert "aims" in out and "squad" in out and "may parade" in out


def test_via_sends_the_text_through_a_translation_round_trip(tmp_path):
    # Needs Apertium's English-Spanish pair (.ci/run installs it).
    from click.testing import CliRunner

    from unspin.cli import main

    runner = CliRunner()
    article = tmp_path / "article.txt"
    article.write_text("The harbour board met on Tuesday to discuss the new ferry timetable. "
                       "Its chair said the winter sailings would keep their usual times.\n", encoding="utf-8")
    trip = runner.invoke(main, ["spin", str(article), "--via", "es"])
    assert trip.exit_code == 0, trip.output
    assert "Tuesday" in trip.output and "ferry" in trip.output and "harbour board" not in trip.output
    spun = runner.invoke(main, ["spin", str(article), "--via", "es", "--rate", "0.5", "--seed", "1"])
    assert spun.exit_code == 0 and spun.output != trip.output
    missing = runner.invoke(main, ["spin", str(article), "--via", "de"])
    assert missing.exit_code == 1
    assert missing.output.strip().splitlines()[-1].startswith("unspin: error: no translation from English into de")

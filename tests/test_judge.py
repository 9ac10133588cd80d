
import numpy as np
import pytest

from tests.conftest import (
    BAKERY,
    FERRY,
    FERRY_OTHER_OUTLET,
    LIBRARY,
    LIBRARY_OTHER_OUTLET,
    LIBRARY_SPUN,
    swap_words,
)
from unspin.check import compare_texts
from unspin.figures import swap_share
from unspin.judge import SPUN_SWAPS, Verdict, _RareProse, is_evidence
from unspin.passage import Passage
from unspin.tokenize import tokenize


def test_a_verbatim_copy_is_a_copy_with_full_coverage():
    judgement = compare_texts(FERRY, FERRY)
    assert judgement.verdict is Verdict.COPY
    assert judgement.coverage == judgement.source_coverage == 1.0
    assert judgement.spin_rate == 0.0


def test_a_copy_inside_a_page_of_boilerplate_is_still_a_copy():
    page = "Home | World | Sport\nSubscribe now!\n\n" + FERRY + "\n\nShare this story. Related: cats."
    assert compare_texts(page, FERRY).verdict is Verdict.COPY


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_a_systematically_swapped_copy_is_spun(share):
    judgement = compare_texts(swap_words(FERRY, share=share, seed=1), FERRY)
    assert judgement.verdict is Verdict.SPUN
    assert 0.1 < judgement.spin_rate < 0.5


def test_a_copy_with_every_topic_word_replaced_is_spun():
    judgement = compare_texts(LIBRARY_SPUN, LIBRARY)
    assert judgement.verdict is Verdict.SPUN
    assert judgement.coverage > 0.75


def test_an_independent_report_of_a_heavily_spun_story_is_original():
    assert compare_texts(LIBRARY_OTHER_OUTLET, LIBRARY).verdict is Verdict.ORIGINAL
    assert compare_texts(LIBRARY_OTHER_OUTLET, LIBRARY_SPUN).verdict is Verdict.ORIGINAL


# Sentences of LIBRARY, lightly spun (the first, the third and the last), and rewrites of
# the sentences between them that keep nothing of their words.
LIBRARY_FIRST = ("The new library on Mill Road will open its doors in the springtime, after two years of "
                 "hold-ups caused by a lack of builders and a long quarrel over the price of the roof.")
LIBRARY_THIRD = ("The manager informed reporters on Monday that the shelves were already full and that her "
                 "staff had been taught to help children with their homework after school.")
LIBRARY_LAST = ("A councillor who chairs the culture committee said the final bill was higher than planned "
                "but that the town would be proud of what it had built.")
SECOND_REWRITTEN = ("Since the flood, when the boiler in that tired branch gave out for good, borrowers have had "
                    "nowhere nearer than the county town.")
MIDDLE_REWRITTEN = (SECOND_REWRITTEN + " Its new head says every shelf is stocked, volunteers have learned to "
                    "coach pupils through their sums once lessons end, and a charity based in Hartwell will serve "
                    "tea downstairs while a walled lawn behind the reading room stays unlocked for anyone to enjoy "
                    "nearly every day.")
UNRELATED = "\n\n" + "\n\n".join(BAKERY.split("\n\n")[1:3])


def test_a_sentence_rewritten_in_place_between_two_copied_ones_counts_as_copied():
    # The two copied sentences alone cover less than half of either text; the rewritten
    # one between them is as long as the sentence it replaces, in the same place in both.
    suspect = LIBRARY_FIRST + " " + SECOND_REWRITTEN + " " + LIBRARY_THIRD + UNRELATED
    judgement = compare_texts(suspect, LIBRARY)
    copied = [LIBRARY_FIRST, LIBRARY_THIRD]
    found = sum(len(tokenize(sentence)) for sentence in copied)
    span = len(tokenize(LIBRARY_FIRST + " " + SECOND_REWRITTEN + " " + LIBRARY_THIRD))
    assert found < 0.5 * len(tokenize(suspect)) <= span
    assert judgement.coverage == pytest.approx(span / len(tokenize(suspect)), abs=0.02)
    assert judgement.verdict is Verdict.SPUN
    # One reuse, reported as one passage: the rewritten sentence is a change inside it.
    [passage] = judgement.evidence
    assert passage.suspect == (0, len(LIBRARY_FIRST + " " + SECOND_REWRITTEN + " " + LIBRARY_THIRD) - 1)  # to the last word
    rewritten = suspect.index(SECOND_REWRITTEN)
    assert any(c.suspect[0] <= rewritten + 10 and c.suspect[1] >= rewritten + len(SECOND_REWRITTEN) - 10
               for c in passage.substitutions)


@pytest.mark.parametrize("middle", ["", MIDDLE_REWRITTEN], ids=["dropped", "longer-than-found"])
def test_a_gap_is_not_counted_when_one_side_left_a_stretch_out_or_when_it_outweighs_the_passages(middle):
    # Without the second sentence the gap is empty in the suspect and a sentence long in the
    # source. With three sentences rewritten the gap is balanced, but longer than the two
    # passages around it: more would be inferred than was found.
    # (With the second sentence dropped, the sentences' words still show one stretch of the
    # source reused with a sentence left out: one passage of sentences, the gap inside it
    # on the source's side only.)
    last = LIBRARY_LAST if middle else LIBRARY_THIRD
    suspect = " ".join(filter(None, [LIBRARY_FIRST, middle, last])) + UNRELATED
    judgement = compare_texts(suspect, LIBRARY)
    assert [p.kind for p in judgement.evidence] == (["words", "words"] if middle else ["sentences"])
    found = sum(p.suspect_words for p in judgement.evidence)
    assert judgement.coverage == pytest.approx(found / len(tokenize(suspect)))
    assert judgement.verdict is Verdict.PARTIAL


def test_one_reused_paragraph_is_partial():
    paragraph = FERRY.split("\n\n")[2]
    suspect = BAKERY + "\n\n" + paragraph + "\n\n" + BAKERY.replace("bakery", "café")
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    assert judgement.coverage < 0.5


def test_a_few_words_in_common_far_from_the_reused_passages_are_not_reported_with_them():
    # Two paragraphs of the ferry story reused around a text of its own that happens to say
    # "engineers found a cracked cylinder head" too: between the two passages in both texts,
    # but a chance match of six words, two paragraphs away from either.
    paragraphs = FERRY.split("\n\n")
    aside = BAKERY.replace("too expensive to run.", "too expensive to run, and engineers found a cracked cylinder head in the van.")
    suspect = paragraphs[1] + "\n\n" + aside + "\n\n" + paragraphs[5]
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    assert any(p.matched == 6 for p in judgement.passages)  # aligned,
    assert [p.matched for p in judgement.evidence] == [34, 45]  # but not part of the reuse


def test_most_of_a_short_source_inside_a_text_of_its_own_is_partial():
    middle = "\n\n".join(FERRY.split("\n\n")[2:5])  # three paragraphs: over half of the source
    suspect = BAKERY + "\n\n" + middle + "\n\n" + BAKERY.replace("bakery", "café")
    judgement = compare_texts(suspect, FERRY)
    assert 0.5 < judgement.source_coverage < 0.8
    assert judgement.verdict is Verdict.PARTIAL


def test_an_article_republished_whole_amid_material_of_its_own_is_a_copy():
    suspect = BAKERY + "\n\n" + FERRY + "\n\n" + BAKERY.replace("bakery", "café") + "\n\n" + LIBRARY
    judgement = compare_texts(suspect, FERRY)
    assert judgement.coverage < 0.5 and judgement.source_coverage == 1.0
    assert judgement.verdict is Verdict.COPY


def test_an_independent_report_sharing_a_quotation_is_original():
    judgement = compare_texts(FERRY_OTHER_OUTLET, FERRY)
    assert judgement.verdict is Verdict.ORIGINAL
    # The shared quotation is found, and flagged as a quote rather than evidence.
    assert any(p.quote for p in judgement.passages)


def test_unrelated_texts_are_original():
    assert compare_texts(BAKERY, FERRY).verdict is Verdict.ORIGINAL


def _replace_topic_phrases(text: str) -> str:
    """Replace each topic word of a run of two or more by a made-up two-word phrase, keeping
    function words, names and numbers: a spinner with a phrase thesaurus, at full rate."""
    from unspin.stopwords import STOPWORDS

    def topic(word: str) -> bool:
        bare = word.strip(".,").lower()
        return bare.isalpha() and bare not in STOPWORDS and not word[0].isupper()

    words = text.split()
    out = []
    for k, word in enumerate(words):
        in_run = topic(word) and any(0 <= m < len(words) and topic(words[m]) for m in (k - 1, k + 1))
        if in_run:
            bare = word.strip(".,").lower()[::-1]
            word = f"zq{bare} qz{bare}" + word[len(word.rstrip(".,")):]
        out.append(word)
    return " ".join(out)


def test_runs_of_adjacent_topic_words_replaced_by_longer_phrases_are_spun_not_paraphrased():
    spun = _replace_topic_phrases(LIBRARY)
    suspect, source = tokenize(spun), tokenize(LIBRARY)
    judgement = compare_texts(spun, LIBRARY)
    assert judgement.verdict is Verdict.SPUN
    support = judgement.evidence
    changes = [s for p in support for s in p.substitutions]
    # Counted by length alone, most changes are longer than a short swap ...
    short = sum(s.source_words for s in changes if 0 < s.suspect_words <= 3 and 0 < s.source_words <= 3)
    assert short < SPUN_SWAPS * sum(s.source_words for s in changes)
    # ... but each replaced topic words only, by about as many words.
    assert swap_share(support) >= SPUN_SWAPS
    assert len(suspect) > len(source)


def test_the_swap_share_tallied_from_the_diff_is_the_one_counted_from_its_substitutions():
    # The judge counts changes straight from the diff when it can; made into substitutions
    # (as the reports read them), the same changes must give the same counts.
    from tests.conftest import tallied_as_listed

    title, body = FERRY.split("\n", 1)
    for suspect_text in (swap_words(FERRY, 0.6, seed=3), title + ".\n" + swap_words(body, 0.8, seed=4),
                         FERRY.replace("212", "180").replace("14 May", "2 June")):
        assert tallied_as_listed(tokenize(suspect_text), tokenize(FERRY))[0] > 0


# A directory of our own making: names and places, no prose.
_MEMBERS = ("Ashcombe Joinery Ltd Bellfield Glass Carrow Print Works Denholm Tiling Eastgate Bakery "
            "Fenwick Locks Garrow Signs Halden Dairy Ivel Brewing Jarrow Ropes Kinloss Timber Larch Mill "
            "Mardale Foods Nettleham Press Orwell Cycles Pendle Stoneworks Quarley Farm Shop Rothay Nurseries "
            "Selby Clocks Tarrant Boats Ulva Knitwear Vale Forge Wensley Cheese Yarrow Candles").split()


def test_a_long_list_copied_in_order_is_a_partial_copy_even_without_prose():
    listing = " ".join(_MEMBERS)
    source = ("Members of the trade guild this year are listed below.\n\n" + listing +
              "\n\nThe guild meets on the first Monday of every month in the hall behind the market. New members "
              "pay a small fee, receive a copy of the rules and are invited to the summer supper, which is held "
              "in a marquee on the green when the weather allows and in the church rooms when it does not.")
    suspect = ("A page of our own about the county's small firms, written in our own words, with a long "
               "introduction about how the market hall was rebuilt after the fire, how long the builders took, "
               "what the council paid for the new roof and why the traders who had stalls there before the fire "
               "have not all come back, though the rents are lower than they were.\n\n" + listing +
               "\n\nNone of these firms answered our questions before we went to press this week.")
    judgement = compare_texts(suspect, source)
    assert judgement.verdict is Verdict.PARTIAL
    assert any(suspect[slice(*p.suspect)].startswith("Ashcombe") for p in judgement.evidence)


def test_a_short_run_of_names_in_common_is_not_copying():
    # Two reports naming the same dozen firms in the same order (a list of prizewinners) share
    # names, not prose: under the long-run bar.
    names = " ".join(_MEMBERS[:16])
    source = "The judges gave prizes this spring to " + names + ", after a long day of tasting in the hall."
    suspect = "Winners announced on Saturday were " + names + ". Our reporter spoke to three of them afterwards."
    assert compare_texts(suspect, source).verdict is Verdict.ORIGINAL




# Two towns' clauses on one matter, in this test's own words: the second restates the first in
# the family's terms ("at any time before the sale"), rewriting the phrases between them.
CLAUSE = ("The owner of any animal kept in the pound under this chapter may reclaim the animal at any time "
          "before the sale upon payment of all fees and charges due to the city clerk, and the clerk shall then "
          "release the animal to the owner without further delay or notice, and shall keep a record of every "
          "animal so released in the book of the pound.")
RESTATED = ("The owner of any animal kept in the pound is entitled by the terms of this ordinance to reclaim the "
            "animal at any time before the sale provided that he first pays the money that the town is owed, "
            "and the clerk shall then release the animal to the owner without further delay or notice, once the "
            "treasurer has recorded the payment in the ledger.")
CODE_REST = ("Licences for dogs are issued each spring at the town hall. A dog found without a licence tag may be "
             "held for ten days. The board may change the fees each year by resolution. No person shall keep "
             "more than four dogs on one lot without a kennel permit, which the board grants for two years.")
MINUTES = ("Residents gathered at the library on Tuesday evening to hear the council discuss the new parking "
           "plan. Several speakers asked for more spaces near the school, while others worried about traffic.")


def _judged_inside_minutes(clause: str, family_term: str | None, share: float = 1.0):
    """A clause inside a page of its own against the first town's code; ``family_term``: words
    of it that other sources hold too (``share``: how many, as :mod:`unspin.neighbours` counts
    them), else none."""
    from unspin.align import align
    from unspin.judge import judge

    later = MINUTES.replace("Tuesday", "Thursday").replace("library", "museum")
    suspect_text = f"{MINUTES} {later}\n\n{clause}\n\n{later} {MINUTES}"
    source_text = f"{CLAUSE} {CODE_REST}"
    suspect, source = tokenize(suspect_text), tokenize(source_text)
    shared = np.zeros(len(suspect))
    if family_term:
        start = len(tokenize(suspect_text[:suspect_text.index(family_term)]))
        shared[start:start + len(tokenize(family_term))] = share
    return judge(suspect_text, suspect, source, align(suspect, source), shared=shared).verdict


def test_a_clause_restated_in_its_familys_terms_is_no_copy():
    # Alone, its kept words add up to a reused passage; once another source holds its terms,
    # its rewrites are the family's way of saying one rule, and no stretch between them is long.
    assert _judged_inside_minutes(RESTATED, None) is Verdict.PARTIAL
    assert _judged_inside_minutes(RESTATED, "at any time before the") is Verdict.ORIGINAL


def test_a_stock_phrase_that_a_bystander_holds_leaves_a_reworded_passage_whole():
    # Held by an article that holds little else of the suspect (a twentieth of a source), the
    # phrase takes less than a word off the passage: its rewrites are an editor's, and it counts whole.
    assert _judged_inside_minutes(RESTATED, "at any time before the", share=0.05) is Verdict.PARTIAL


def test_a_clause_copied_with_swapped_words_is_a_partial_copy_though_its_family_holds_its_terms():
    spun = CLAUSE
    for word, other in {"owner": "proprietor", "reclaim": "recover", "release": "free", "notice": "warning"}.items():
        spun = spun.replace(word, other)
    assert _judged_inside_minutes(spun, "at any time before the sale") is Verdict.PARTIAL


def _pairs_of_every_kind() -> list[tuple[str, str]]:
    """Suspect and source texts: a copy, spun copies, another outlet's report, a clause reused
    inside a page of its own."""
    later = MINUTES.replace("Tuesday", "Thursday").replace("library", "museum")
    return [(FERRY, FERRY), (swap_words(FERRY, share=0.5, seed=1), FERRY), (LIBRARY_SPUN, LIBRARY),
            (FERRY_OTHER_OUTLET, FERRY), (LIBRARY_OTHER_OUTLET, LIBRARY),
            (f"{MINUTES} {later}\n\n{RESTATED}\n\n{later} {MINUTES}", f"{CLAUSE} {CODE_REST}")]


@pytest.mark.parametrize("pair", range(6))
def test_the_bounds_on_other_sources_shares_give_the_judgement_the_shares_give(pair):
    # Given the most any word's share can be, the judge settles what it can without the shares;
    # whatever they are (up to that most), the judgement is the one judged with them at hand.
    from unspin.align import align
    from unspin.judge import judge

    suspect_text, source_text = _pairs_of_every_kind()[pair]
    suspect, source = tokenize(suspect_text), tokenize(source_text)
    rng = np.random.default_rng(pair)
    for most in (1, 4, 12):
        for shares in (np.zeros(len(suspect)), np.full(len(suspect), float(most)),
                       rng.uniform(0, most, len(suspect)), rng.choice([0.0, 0.5, float(most)], len(suspect))):
            given = judge(suspect_text, suspect, source, align(suspect, source), shared=shares)
            bounded = judge(suspect_text, suspect, source, align(suspect, source), shared=lambda: shares,
                            most_shared=most)
            assert (bounded.verdict, bounded.score, bounded.coverage, bounded.spin_rate) == \
                (given.verdict, given.score, given.coverage, given.spin_rate)


def test_a_copy_is_judged_without_asking_what_other_sources_share_of_it():
    from unspin.align import align
    from unspin.judge import judge

    suspect_text = swap_words(FERRY, share=0.2, seed=1)
    suspect, source = tokenize(suspect_text), tokenize(FERRY)
    asked = []

    def shares() -> np.ndarray:
        asked.append(True)
        return np.zeros(len(suspect))

    judgement = judge(suspect_text, suspect, source, align(suspect, source), shared=shares, most_shared=1)
    assert judgement.verdict in (Verdict.COPY, Verdict.SPUN) and not asked


def _block_of_sentences(suspect, source) -> Passage:
    """A passage of sentences over both whole texts, its sentences reused as a block."""
    return Passage((0, 0), (0, 0), (0, len(suspect)), (0, len(source)), 0, 0, kind="sentences", shared=14,
                   seeds=4, block=True)


def test_a_block_of_sentences_that_shares_mostly_names_is_no_evidence():
    # Two reports of one round of fixtures: the same clubs, line by line, in other pairings.
    ours = tokenize("Everton v Chelsea. Arsenal v Fulham. Burnley v Leeds. Wigan v Hull. Derby v Stoke. "
                    "Reading v Bolton. Watford v Millwall.")
    theirs = tokenize("Chelsea v Arsenal. Fulham v Everton. Leeds v Wigan. Hull v Burnley. Stoke v Reading. "
                      "Bolton v Derby. Millwall v Watford.")
    assert not is_evidence(_block_of_sentences(ours, theirs), _RareProse(ours, theirs))


def test_a_block_of_sentences_that_shares_mostly_prose_is_evidence():
    ours = tokenize("The harbour ferry resumed crossings after storm repairs. Engineers replaced damaged "
                    "ramps and cables. Passengers welcomed quieter timetables, cheaper tickets and longer evenings.")
    theirs = tokenize("After storm repairs, crossings resumed on the harbour ferry. Damaged cables and ramps "
                      "were replaced by engineers. Cheaper tickets, longer evenings and quieter timetables pleased passengers.")
    assert is_evidence(_block_of_sentences(ours, theirs), _RareProse(ours, theirs))


def _reworded_sentences(words: int, matched: int, prose: int) -> Passage:
    """A passage of sentences of ``words`` words on each side, no block, few topic words
    matched one for one, whose diff keeps ``matched`` words in order (``prose`` of them prose)."""
    return Passage((0, 0), (0, 0), (0, words), (0, words), matched, prose, kind="sentences", shared=8, seeds=2)


def test_reworded_sentences_that_keep_a_partial_copys_words_in_order_densely_are_evidence():
    # Word alignment chains through short swaps only; a rewrite that swaps words about at every
    # step leaves pieces too short to count, where the diff of the whole stretch still follows it.
    passage = _reworded_sentences(40, 30, 26)
    assert is_evidence(passage)
    assert _RareProse().kept_in_order(passage) == 26


def test_reworded_sentences_that_keep_their_words_in_order_sparsely_are_no_evidence():
    assert not is_evidence(_reworded_sentences(80, 30, 26))  # 30 of 80 words: chance order of a shared vocabulary
    assert not is_evidence(_reworded_sentences(40, 30, 18))  # dense, but shorter than a partial copy's longest passage


def _condensed_sentences(suspect_words: int, source_words: int, matched: int, prose: int, block: bool) -> Passage:
    """A passage of sentences whose few topic words matched one for one (8) are no block's
    evidence, whose diff keeps ``matched`` words in order (``prose`` of them prose)."""
    return Passage((0, 0), (0, 0), (0, suspect_words), (0, source_words), matched, prose, kind="sentences",
                   shared=8, seeds=3, block=block)


def test_a_block_of_sentences_condensed_from_its_source_is_evidence():
    # 15 of the suspect side's 18 words kept in order from a source side of 60: the suspect
    # dropped most of its source's words, and what it kept is the source's, in its order.
    assert is_evidence(_condensed_sentences(18, 60, 15, 13, block=True))


def test_sentences_that_add_words_of_their_own_or_keep_too_few_in_order_are_no_condensed_copy():
    assert not is_evidence(_condensed_sentences(40, 60, 15, 13, block=True))  # 15 of 40: a text of its own
    assert not is_evidence(_condensed_sentences(18, 60, 15, 9, block=True))  # names and stop words, little prose
    assert not is_evidence(_condensed_sentences(18, 60, 15, 13, block=False))  # a block's bar, not alone


# FERRY's last paragraph condensed as PAN's random obfuscation does: about half the words of each
# sentence dropped, two neighbours swapped in each; no run of words kept in order is evidence.
FERRY_CONDENSED = "chartered a passenger that will Thursday, a vehicles. said The it the to to three tested."


def test_a_paragraph_condensed_inside_an_essay_is_a_partial_copy():
    from tests.test_seeds import ESSAY

    judgement = compare_texts(ESSAY + "\n\n" + FERRY_CONDENSED + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.kind == "sentences" and passage.shared < 12


def test_a_rewritten_passage_that_dropped_its_last_words_reports_its_source_sentence_whole():
    from tests.test_seeds import ESSAY

    reused = ("Islanders said the failure showed how fragile their link to the mainland had become. "
              "The island's school depends on teachers who travel each morning, and the village shop gets fresh "
              "produce only twice a week. Local councillor Morag Tulloch called the situation a crisis that had "
              "been building.")  # "for years" dropped
    judgement = compare_texts(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.source[1] == FERRY.index("for years") + len("for years")


def test_a_copy_kept_word_for_word_reports_its_source_side_as_copied():
    from tests.test_seeds import ESSAY

    copied = FERRY.split("\n\n")[3].split(" for years")[0]  # a verbatim copy that stops short of the end
    judgement = compare_texts(ESSAY + "\n\n" + copied + ".\n\n" + ESSAY, FERRY)
    [passage] = judgement.evidence
    assert passage.source[1] == FERRY.index(" for years")


# A sentence of FERRY's own prose, quoted by the suspect as if it were a statement.
FERRY_PROSE_QUOTED = ('"The island\'s school relies on teachers who commute each morning, and the general store gets '
                      'fresh produce only twice a week," a visitor wrote.')


def test_a_quotation_of_the_sources_own_prose_is_more_of_the_reuse_beside_copied_prose():
    copied = FERRY.split("\n\n")[2]  # the paragraph on the MV Selkie, word for word
    essay = "Gardening in a small yard asks for patience more than money. " * 6
    alone = compare_texts(essay + "\n\n" + FERRY_PROSE_QUOTED + "\n\n" + essay, FERRY)
    assert alone.verdict is Verdict.ORIGINAL  # a quote alone may be a statement two reports share
    both = essay + "\n\n" + FERRY_PROSE_QUOTED + "\n\n" + essay + "\n\n" + copied + "\n\n" + essay
    judgement = compare_texts(both, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    starts = [p.suspect[0] for p in judgement.evidence]
    assert any(abs(start - both.index(FERRY_PROSE_QUOTED)) <= 1 for start in starts)


def test_a_quotation_the_source_quotes_too_stays_a_shared_quote_beside_copied_prose():
    copied = FERRY.split("\n\n")[2]
    quote = FERRY.split("\n\n")[4].split("\n")[0]  # Tulloch's statement, quoted in the source
    essay = "Gardening in a small yard asks for patience more than money. " * 6
    both = essay + "\n\n" + quote + "\n\n" + essay + "\n\n" + copied + "\n\n" + essay
    judgement = compare_texts(both, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    assert all(p.suspect[0] > both.index(quote) + len(quote) for p in judgement.evidence)

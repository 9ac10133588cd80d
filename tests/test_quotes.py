"""Quotations (unspin.quotes): where a suspect's quotations run."""

from unspin.quotes import quotation_spans
from unspin.tokenize import tokenize


def test_quotations_pair_within_paragraphs():
    text = '"One," he said. "Two\nstill quoting." After.'
    first, second, third = quotation_spans(text.replace("\n", "\n\n"))
    text = text.replace("\n", "\n\n")
    assert text[first[0] : first[1] + 1] == '"One,"'
    # An opening mark with no closing one in its paragraph runs to the paragraph's end.
    assert text[second[0] : second[1]] == '"Two'
    assert text[third[0]] == '"' 


def test_a_quotation_cut_by_a_hard_wrapped_line_runs_on_to_its_closing_mark():
    text = 'The minister said "we will not\nabandon the island" on Monday.\n"A new paragraph\n"And its second.'
    first, second, third = quotation_spans(text)
    assert text[first[0] : first[1] + 1] == '"we will not\nabandon the island"'
    # A mark that opens its line starts a new quotation (a quote over several paragraphs).
    assert text[second[0] : second[1]] == '"A new paragraph'
    assert text[third[0] :] == '"And its second.' and third[1] == len(text)


def test_quotation_marks_read_off_the_tokenizers_character_classes_pair_as_in_the_text():
    texts = ['He said "we will sail" and left.\n"Again," she said, «non».',
             'A “long quote\n\nrunning on” over „paragraphs\n\nand open',
             'Wrapped "quote that\nruns on" here\n\nand "another',
             "No quotes at all."]
    for text in texts:
        assert quotation_spans(text, tokenize(text).character_classes) == quotation_spans(text)
    assert quotation_spans(texts[0]) == [(8, 21), (33, 40), (52, 56)]


def _spans_by_the_text(text):
    """quotation_spans as it read the text before its compiled pass: the marks and line breaks
    found by regular expressions, a wrapped quote's line tested with str.strip."""
    import re
    from bisect import bisect_right

    from unspin.quotes import WRAPPED_QUOTE
    from unspin.tokenize import QUOTATION_MARKS

    marks = [m.start() for m in re.finditer(f"[{QUOTATION_MARKS}]", text)]
    if not marks:
        return []
    lines = "\n\n" not in text
    ends = [m.start() for m in re.finditer(r"\n" if lines else r"\n[ \t]*\n", text)] + [len(text)]
    spans, paragraph, opened, start = [], 0, None, 0

    def unpaired(mark, end):
        # A mark alone inside its paragraph (a space on either side) is no quotation.
        alone = (bool(text[start:mark].strip()) and text[mark - 1].isspace()
                 and (mark + 1 == len(text) or text[mark + 1].isspace()))
        if not alone:
            spans.append((mark, end))

    for mark in marks:
        if mark >= ends[paragraph]:
            end, paragraph = ends[paragraph], bisect_right(ends, mark)
            wrapped = lines and mark - end <= WRAPPED_QUOTE and text[ends[paragraph - 1]:mark].strip()
            if opened is not None and not wrapped:
                unpaired(opened, end)
                opened = None
            if opened is None:
                start = ends[paragraph - 1]
        if opened is None:
            opened = mark
        else:
            spans.append((opened, mark))
            opened = None
    if opened is not None:
        unpaired(opened, ends[paragraph])
    return spans


def test_the_compiled_pairing_is_the_texts():
    import numpy as np

    rng = np.random.default_rng(3)
    pieces = ["word", "Two", " ", "\n", "\n\n", "\n \t\n", '"', "“", "”", "„", "«", "»", "'", ".", "\u00a0", "\u3000",
              "x" * 450]
    for _ in range(1500):
        text = "".join(rng.choice(pieces, size=rng.integers(0, 30)))
        assert quotation_spans(text) == _spans_by_the_text(text), text
        tokens = tokenize(text)
        if tokens.text == text:  # (a text of no words has the empty tokens)
            assert quotation_spans(text, tokens.character_classes) == _spans_by_the_text(text), text


def test_a_mark_alone_inside_its_paragraph_opens_no_quotation():
    # A mark with a space on either side, inside a paragraph, opens and closes no word: the
    # rest of the paragraph is the writer's own prose as much as what came before it.
    text = 'The club reopened in May. " Its new spa has six rooms and a pool.\n\n"A quote that runs on'
    assert quotation_spans(text) == [(text.index('"A'), len(text))]
    assert quotation_spans(text) == quotation_spans(text, tokenize(text).character_classes)
    # A mark that opens its paragraph, or a word, still runs to the paragraph's end.
    assert quotation_spans('Words. "Its new spa') == [(7, 19)]


def test_a_copy_after_a_mark_alone_is_no_shared_quote():
    from unspin.check import compare_texts
    from unspin.judge import Verdict

    copied = ("The renovated spa offers a wide range of treatments for men and women, with a quiet lounge, "
              "warm baths and broad views over the valley, and its trained staff help every guest choose "
              "the programme that suits them best during a relaxed stay.")
    source = "Opening times vary by season. " + copied + " Booking is required for groups."
    suspect = ("Our town has many places to visit on a weekend away from work and school. " + '" '
               + copied.replace("broad", "wide") + "\n\nWe also walked by the river every evening and ate well.")
    assert compare_texts(suspect, source).verdict is not Verdict.ORIGINAL

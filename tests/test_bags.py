"""Sentence bags' stems: the table of stems by word key that stored sources are read through."""

from __future__ import annotations

import numpy as np

from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, LIBRARY
from unspin import bags
from unspin.tokenize import Tokens, tokenize


def test_stems_by_word_key_learned_text_by_text_are_those_by_the_tokenizer_s_rows(monkeypatch):
    # Stored sources' tokens have no vocabulary rows: their stems come from a table by word key,
    # which each text adds its new words to (inserted in order, never sorted again).
    monkeypatch.setattr(bags, "_STEMS", bags._StemTable())
    for text in (FERRY, BAKERY, FERRY_OTHER_OUTLET, LIBRARY, FERRY):
        tokens = tokenize(text)
        stored = Tokens.stored(text, np.asarray(tokens.key_array), tokens.layout())
        assert stored is not None and "_rows" not in stored.__dict__
        assert bags._stems(stored).tolist() == bags._stems(tokens).tolist()
        table = bags._STEMS
        assert (np.diff(table.keys) > 0).all() and len(table.ids) == len(table.keys)

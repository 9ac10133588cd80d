"""A table of integer keys for lookups of whole arrays at once: a dictionary with a cuckoo hash table beside it.

The tokenizer's vocabulary (:class:`unspin.tokenize.Tokens`' spellings) is one: a text's
words are looked up in one compiled loop over their hashes, and only the spellings not met
before go through Python.
"""

from __future__ import annotations

import threading

import numpy as np

from unspin.jit import compiled


class KeyTable(dict):
    """Integer keys (never 0) -> integer values: a dictionary, and beside it a table of slots
    that finds the values of a whole array of keys in one compiled loop. A key sits in
    one of two slots picked by its hash (cuckoo hashing), or, in the rare case that no room
    is made for it, only in the dictionary, which a lookup then falls back on."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()  # the server tokenizes in several threads
        self.slots = _slots(_SLOT_BITS)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The values of ``keys`` (an array of uint64), -1 for each key not in the table."""
        with self.lock:  # a writer moves keys between slots
            table, values, shift = self.slots
            found = _find(keys, table, values, shift, *_SLOT_MULTIPLIERS)
            rest = np.flatnonzero(found < 0)  # new keys, or keys without a slot: each distinct one looked up once
            if len(rest):
                distinct, inverse = np.unique(keys[rest], return_inverse=True)
                found[rest] = np.fromiter((self.get(key, -1) for key in distinct.tolist()), dtype=np.intp,
                                          count=len(distinct))[inverse]
        return found

    def add(self, key: int, value: int) -> None:
        """Add a key (the caller holds :attr:`lock`)."""
        self[key] = value
        table, values, shift = self.slots
        if 2 * len(self) > len(table):  # half full: twice the slots, filled afresh
            self.slots = _slots(64 - shift + 1, self)
        else:
            _place(table, values, shift, key, value)


_SLOT_BITS = 14  # a new table has 2**14 slots
_SLOT_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
_MULTIPLIERS = tuple(int(m) for m in _SLOT_MULTIPLIERS)
_KICKS = 32  # keys moved to make room for a new one before it is left to the dictionary


@compiled
def _find(keys: np.ndarray, table: np.ndarray, values: np.ndarray, shift: int, first: int,
          second: int) -> np.ndarray:
    """The value of each key found in one of its two slots, else -1."""
    found = np.empty(len(keys), np.intp)
    for k in range(len(keys)):
        key = keys[k]
        slot = (key * np.uint64(first)) >> np.uint64(shift)
        if table[slot] != key:
            slot = (key * np.uint64(second)) >> np.uint64(shift)
        found[k] = values[slot] if table[slot] == key else -1
    return found


def _slots(bits: int, entries: dict[int, int] | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """A table of ``2**bits`` slots: keys (0: empty), their values, and the shift that takes
    a multiplied key to a slot."""
    keys, values = np.zeros(1 << bits, dtype=np.uint64), np.full(1 << bits, -1, dtype=np.intp)
    for key, value in (entries or {}).items():
        _place(keys, values, 64 - bits, key, value)
    return keys, values, 64 - bits


def _place(keys: np.ndarray, values: np.ndarray, shift: int, key: int, value: int) -> None:
    """Put a key in one of its two slots: a free one, else the first, moving the key that
    held it to its own other slot, and so on; a key left without a slot is still in the
    dictionary."""
    slot, other = _slot(key, 0, shift), _slot(key, 1, shift)
    if keys[slot] and not keys[other]:
        slot = other
    for _ in range(_KICKS):
        held, held_value = int(keys[slot]), int(values[slot])
        keys[slot], values[slot] = key, value
        if not held:
            return
        first = _slot(held, 0, shift)
        slot = _slot(held, 1, shift) if first == slot else first
        key, value = held, held_value


def _slot(key: int, choice: int, shift: int) -> int:
    return ((key * _MULTIPLIERS[choice]) % 2**64) >> shift

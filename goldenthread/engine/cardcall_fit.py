"""The models the card-call assistant (:class:`~goldenthread.engine.cardcall.CardCallAssistant`) fits as the
room decides: the choice model (:class:`ChoiceModel`, a conditional logit over the clusters on the wall and
"new cluster"), the lexical view (:class:`LexicalView`, character n-gram TF-IDF) and the optional softmax head
(:class:`SoftmaxHead`). The method is described in :mod:`goldenthread.engine.cardcall`.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from goldenthread.engine.placeholders import strip_placeholders
from goldenthread.engine.reference import REFERENCE_STATEMENTS

#: Newton steps per refit of the choice model (warm-started; it converges in 2-3).
_NEWTON_STEPS = 4


class SoftmaxHead:
    """A softmax (multinomial logistic) head on the placed cards' embeddings.

    It learns the directions that separate *this room's* clusters. Refitted
    after each decision, warm-started from the last fit (L-BFGS, at most 15
    iterations: it starts from the last fit), with L2 penalty ``1/C`` (``C=1``, the usual default).
    """

    C = 1.0
    MAX_ITER = 15

    def __init__(self) -> None:
        self.keys: list = []
        self.W: np.ndarray | None = None

    def fit(self, X: np.ndarray, y: list, keys: list) -> None:
        from scipy.optimize import minimize
        from scipy.special import logsumexp

        K = len(keys)
        if K < 2 or len(X) < 2:
            self.keys, self.W = list(keys), None
            return
        idx = {k: i for i, k in enumerate(keys)}
        yi = np.array([idx[c] for c in y])
        n, d = X.shape
        Xb = np.hstack([X, np.ones((n, 1))])
        W0 = np.zeros((d + 1, K))
        if self.W is not None:
            for j, k in enumerate(self.keys):
                if k in idx:
                    W0[:, idx[k]] = self.W[:, j]
        lam = 1.0 / self.C
        rows = np.arange(n)

        def f(w):
            W = w.reshape(d + 1, K)
            Z = Xb @ W
            lse = logsumexp(Z, axis=1)
            P = np.exp(Z - lse[:, None])
            P[rows, yi] -= 1.0
            G = Xb.T @ P
            G[:-1] += lam * W[:-1]
            loss = float((lse - Z[rows, yi]).sum() + 0.5 * lam * (W[:-1] ** 2).sum())
            return loss, G.ravel()

        r = minimize(f, W0.ravel(), jac=True, method="L-BFGS-B",
                     options={"maxiter": self.MAX_ITER})
        self.keys, self.W = list(keys), r.x.reshape(d + 1, K)

    def logp(self, x: np.ndarray, keys: list) -> np.ndarray:
        """Log-probability of each of ``keys`` (0 where the head has no view)."""
        if self.W is None or self.keys != keys:
            return np.zeros(len(keys))
        z = np.append(x, 1.0) @ self.W
        z = z - z.max()
        return z - np.log(np.exp(z).sum())


class LexicalView:
    """The words a card shares with each cluster: character n-gram TF-IDF.

    Sentence embeddings place "my tablets" and "my medication" together, but
    they blur the exact words a room groups by ("bus", "wifi", "Tuesday club").
    The lexical view complements them: each card is a vector of its character
    2-4-grams within word boundaries, the anonymiser's placeholders left out
    (:func:`~goldenthread.engine.placeholders.strip_placeholders`) (robust to spelling slips and plurals),
    counts damped by ``log(1 + tf)`` and weighted by inverse document
    frequency over the cards on the wall (words on every card say nothing).
    A cluster's lexical prototype is the sum of its cards' unit vectors (plus
    its name and last cycle's cards, as for the embedding prototype); a
    card's lexical fit is its cosine to that prototype. How much this counts
    is not set here: it is one more feature of the choice model, whose weight
    starts at zero and is learnt from the room's decisions.
    """

    N_FEATURES = 2 ** 18

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self._hv = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=self.N_FEATURES,
                                     alternate_sign=False, norm=None, lowercase=True)
        self._tf: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._ref_df: np.ndarray | None = None

    def _rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(column indices, damped counts, row of each entry) for ``texts``;
        each text's row is computed once and cached."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._tf]
        if missing:
            M = self._hv.transform([strip_placeholders(t) for t in missing]).tocsr()
            for i, t in enumerate(missing):
                lo, hi = M.indptr[i], M.indptr[i + 1]
                self._tf[t] = (M.indices[lo:hi].astype(np.int64), np.log1p(M.data[lo:hi]))
        parts = [self._tf[t] for t in texts]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
        idx = np.concatenate([p[0] for p in parts])
        val = np.concatenate([p[1] for p in parts])
        row = np.repeat(np.arange(len(parts)), [len(p[0]) for p in parts])
        return idx, val, row

    def prototypes(self, wall_texts: Sequence[str], groups: Sequence[Sequence[str]]):
        """(unit cluster prototypes, idf weights) for ``groups`` of texts, with
        document frequencies taken over ``wall_texts`` (the cards on the wall)."""
        import scipy.sparse as sp

        # Document frequencies over the wall and the built-in reference
        # statements: a background of everyday statements, so that "I", "my"
        # and "the" weigh little even on a wall of a few cards.
        # (A text's columns are distinct, so counting columns counts documents. The reference statements'
        # counts never change: worked out once.)
        if self._ref_df is None:
            self._ref_df = np.bincount(self._rows(list(REFERENCE_STATEMENTS))[0], minlength=self.N_FEATURES)
        widx, _, _ = self._rows(list(wall_texts))
        df = self._ref_df + np.bincount(widx, minlength=self.N_FEATURES)
        w = np.log((1.0 + len(wall_texts) + len(REFERENCE_STATEMENTS)) / (1.0 + df)) + 1.0
        texts = [t for g in groups for t in g]
        group_of = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        idx, val, row = self._rows(texts)
        val = val * w[idx]
        norm = np.sqrt(np.bincount(row, weights=val ** 2, minlength=len(texts)))
        val = val / np.maximum(norm[row], 1e-12)
        C = sp.csr_matrix((val, (group_of[row], idx)), shape=(len(groups), self.N_FEATURES))
        C.sum_duplicates()
        cn = np.sqrt(np.asarray(C.multiply(C).sum(axis=1)).ravel())
        C = sp.diags(1.0 / np.maximum(cn, 1e-12)) @ C
        return C.tocsr(), w

    def cosines(self, text: str, C, w) -> np.ndarray:
        """Cosine of ``text`` to each unit prototype in ``C`` (IDF ``w``)."""
        if C.shape[0] == 0:
            return np.zeros(0)
        idx, val, _ = self._rows([text])
        if not len(idx):
            return np.zeros(C.shape[0])
        q = val * w[idx]
        nq = float(np.sqrt((q ** 2).sum()))
        if nq == 0.0:
            return np.zeros(C.shape[0])
        # Only the query's columns matter: gather them from the prototypes.
        Cq = C[:, idx]
        return np.asarray(Cq @ q).ravel() / nq


class ChoiceModel:
    """The conditional-logit choice model: a few numbers learnt from decisions.

    Each decision is a matrix of features of the clusters on the wall (one row
    per cluster: cosine, log size, the head's log-probability) and the chosen
    row, or -1 for "new". Utility of a cluster is ``features @ theta[:-1]``,
    of "new" ``theta[-1]``. MAP fit with a Gaussian prior ``N(theta0, sd0**2)``.
    """

    def __init__(self, theta0: np.ndarray, sd0: np.ndarray) -> None:
        self.theta0 = theta0
        self.prec0 = 1.0 / sd0 ** 2
        self.theta = theta0.copy()
        self.feats: list[np.ndarray] = []
        self.chosen: list[int] = []

    def record(self, feats: np.ndarray, chosen: int, refit: bool = True) -> None:
        self.feats.append(np.asarray(feats, dtype=np.float64).reshape(-1, len(self.theta0) - 1))
        self.chosen.append(int(chosen))
        if refit:
            self.fit()

    def fit(self, steps: int = _NEWTON_STEPS) -> None:
        if not self.chosen:
            self.theta = self.theta0.copy()
            return
        m = len(self.theta0)
        sizes = [len(f) + 1 for f in self.feats]
        F = np.zeros((sum(sizes), m))
        seg = np.repeat(np.arange(len(sizes)), sizes)
        pos = 0
        chosen_rows = np.empty(len(sizes), dtype=int)
        for j, (fk, ch) in enumerate(zip(self.feats, self.chosen)):
            k = len(fk)
            F[pos:pos + k, :-1] = fk
            F[pos + k, -1] = 1.0
            chosen_rows[j] = pos + (k if ch < 0 else ch)
            pos += k + 1
        starts = np.cumsum([0] + sizes[:-1])
        f_chosen = F[chosen_rows].sum(axis=0)

        def log_posterior(th: np.ndarray) -> float:
            u = F @ th
            umax = np.maximum.reduceat(u, starts)
            lse = umax + np.log(np.add.reduceat(np.exp(u - umax[seg]), starts))
            return float(u[chosen_rows].sum() - lse.sum() - 0.5 * (self.prec0 * (th - self.theta0) ** 2).sum())

        th = self.theta.copy()
        current = log_posterior(th)
        for _ in range(steps):
            u = F @ th
            umax = np.maximum.reduceat(u, starts)
            e = np.exp(u - umax[seg])
            z = np.add.reduceat(e, starts)
            p = e / z[seg]
            ef = np.add.reduceat(p[:, None] * F, starts, axis=0)       # E[f] per decision
            grad = f_chosen - ef.sum(axis=0) - self.prec0 * (th - self.theta0)
            # Hessian of the log-posterior: minus the summed Cov_p[f], minus the prior.
            H = -(F.T @ (p[:, None] * F)) + ef.T @ ef - np.diag(self.prec0)
            step = np.linalg.solve(H, grad)
            # Damped Newton: halve the step until the posterior does not fall
            # (a full step can overshoot when features are nearly collinear).
            t = 1.0
            while t > 1e-4:
                trial = log_posterior(th - t * step)
                if trial >= current:
                    break
                t *= 0.5
            else:
                break
            th, current = th - t * step, trial
            if np.abs(t * step).max() < 1e-6:
                break
        self.theta = th

    def utilities(self, feats: np.ndarray) -> tuple[np.ndarray, float]:
        return feats @ self.theta[:-1], float(self.theta[-1])

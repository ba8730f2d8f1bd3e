"""Confidence of a suggestion: the evidence behind it mapped to the chance that it is right.

A logistic model over a handful of evidence features (the ranking score, its margin over the
next candidate, how many segments hold the term, word-alignment agreement, transliteration
likeness, glossary agreement, one-segment evidence).  Its coefficients were fitted with
``bench/eval_suggest.py --fit`` on the *tuning half* of the devset terms only (top-1 and top-2
suggestions, labelled right or wrong against the translators' renderings); the held-out half
and the shipped TM measure it.  Calibrated means: of the suggestions shown at 0.9, about nine in
ten were right on data the model was not fitted on (the bench prints the table).

Tied evidence (the next candidate within :data:`TIE` of the score, the glossary not deciding)
is capped at :data:`TIE_CAP`: whatever the model says, a coin toss is not confident; evidence
from a single segment is capped at :data:`ONE_CAP`.
"""

from __future__ import annotations

import math

FEATURES = ("score", "margin", "log_segments", "align", "translit", "glossary", "one_segment")
# fitted by `python bench/eval_suggest.py --fit` (tune half of the devset, top-1 and top-2, L2 0.5)
COEF: dict[str, float] = {
    "bias": -3.072, "score": 1.331, "margin": 3.613, "log_segments": 0.078, "align": 1.061,
    "translit": 1.602, "glossary": 2.257, "one_segment": 0.057,
}
# Platt recalibration of the log-odds on the top-1 suggestions of the tune half: p = σ(a·z + b)
PLATT: tuple[float, float] = (1.599, 1.494)
TIE = 0.01  # a margin below this is a tie
TIE_CAP = 0.5  # the highest confidence a tied suggestion gets
ONE_CAP = 0.8  # the highest confidence one segment's evidence gets (the once band's accuracy on the tune half)
LOW = 0.6  # below this the CLI calls the evidence thin


def features(score: float, margin: float, segments: int, align: float, translit: float, glossary: bool) -> dict[str, float]:
    """The model's inputs for one suggestion (``margin``: its score minus the best other one's)."""
    return {
        "score": round(score, 4),
        "margin": round(margin, 4),
        "log_segments": round(math.log1p(segments), 4),
        "align": round(align, 4),
        "translit": round(translit, 4),
        "glossary": 1.0 if glossary else 0.0,
        "one_segment": 1.0 if segments <= 1 else 0.0,
    }


def logit(feats: dict[str, float], coef: dict[str, float]) -> float:
    """The model's log-odds before recalibration."""
    return coef.get("bias", 0.0) + sum(coef.get(k, 0.0) * v for k, v in feats.items())


def confidence(feats: dict[str, float], *, tied: bool = False, coef: dict[str, float] | None = None) -> float:
    """Probability in 0..1 that the suggestion is the translators' rendering.

    Example:
        >>> strong = features(0.95, 0.4, 9, 0.9, 0.0, True)
        >>> thin = features(0.6, 0.02, 1, 0.3, 0.0, False)
        >>> confidence(strong) > 0.9 > confidence(thin), confidence(strong, tied=True)
        (True, 0.5)
    """
    a, b = PLATT if coef is None else (1.0, 0.0)
    z = a * logit(feats, COEF if coef is None else coef) + b
    p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
    if tied:
        p = min(p, TIE_CAP)
    if feats.get("one_segment"):
        p = min(p, ONE_CAP)
    return round(p, 3)


def fit(rows: list[tuple[dict[str, float], int]], *, l2: float = 0.5, iterations: int = 200) -> dict[str, float]:
    """Logistic regression by Newton's method (numpy), L2 on everything but the bias."""
    import numpy as np

    X = np.array([[1.0] + [f[k] for k in FEATURES] for f, _ in rows])
    y = np.array([float(lab) for _, lab in rows])
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) + reg * w
        H = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg) + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(H, g)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return {"bias": round(float(w[0]), 3), **{k: round(float(v), 3) for k, v in zip(FEATURES, w[1:])}}


def fit_platt(rows: list[tuple[dict[str, float], int]], coef: dict[str, float], *, l2: float = 0.1) -> tuple[float, float]:
    """(a, b) of p = σ(a·z + b) over the model's log-odds ``z`` (Newton's method, light L2 on ``a``)."""
    import numpy as np

    z = np.array([logit(f, coef) for f, _ in rows])
    y = np.array([float(lab) for _, lab in rows])
    X = np.stack([z, np.ones_like(z)], axis=1)
    w = np.array([1.0, 0.0])
    reg = np.array([l2, 0.0])
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) + reg * (w - np.array([1.0, 0.0]))
        H = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg) + 1e-9 * np.eye(2)
        step = np.linalg.solve(H, g)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return (round(float(w[0]), 3), round(float(w[1]), 3))

"""Fit the summarizer's two weight tables (``briefing/summary_weights.py``).

Run with ``python -m bench.fit_summary`` (``--write`` rewrites the table). Needs the
bench extra (numpy, rouge-score) and ``../shared/data``.

Labels: a BBC sentence is positive when it is one of the reference summary's (they are
extractive); a CNN/DailyMail sentence when the greedy oracle picks it (adding, while it
helps, the sentence that most raises ROUGE-1 + ROUGE-2 F1 against the highlights, up to
the budget). Only the tuning halves are read (``Article.tuning``); the other halves stay
for ``bench.quality``'s check. Each regime (``in_lead_regime``: the budget under
``LEAD_SHARE`` of the story's sentences, or not) gets an L2-regularised logistic
regression fitted by Newton's method on its articles of both sets pooled, each article
weighing the same. The L2 strength of each regime is chosen by 5-fold cross-validation
over those articles (folds of whole articles, interleaved), from ``L2_GRID``: the one with
the lowest held-out log loss; ties go to the stronger penalty (the simpler model).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.rouge_table import Article, RougeMeter, load_articles, load_bbc_articles
from bench.shared_data import shared_data_dir
from briefing.summarize import FEATURES, in_lead_regime, sentence_features, story_sentences
from briefing.summary_weights import LEAD_SHARE

# The lead regime leaves TextRank at 0 (it is not computed there).
LEAD_FEATURES = tuple(name for name in FEATURES if name != "textrank")
# The body regime reads few features: its articles are fewer and the rest overfit.
BODY_FEATURES = (
    "bias",
    "relpos",
    "logpos",
    "loglen",
    "rellen",
    "short",
    "textrank",
    "overlap_degree",
    "question",
)
L2_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
_NEWTON_ROUNDS = 50

# A tuning article's feature rows, 0/1 labels and whether it is in the lead regime.
Sample = tuple[list[list[float]], list[float], bool]


def oracle(sentences: Sequence[str], reference: str, budget: int, meter: RougeMeter) -> set[int]:
    """Greedy extractive oracle: indexes that raise ROUGE-1 + ROUGE-2 F1, up to ``budget``."""
    chosen: list[int] = []
    best = 0.0
    for _ in range(budget):
        pick = None
        for i in range(len(sentences)):
            if i in chosen:
                continue
            r1, r2, _rl = meter.f1([sentences[j] for j in sorted([*chosen, i])], reference)
            if r1 + r2 > best:
                best, pick = r1 + r2, i
        if pick is None:
            break
        chosen.append(pick)
    return set(chosen)


def samples(articles: Sequence[Article], extractive: bool, meter: RougeMeter) -> list[Sample]:
    """Feature rows and 0/1 labels of each tuning article longer than its budget."""
    out: list[Sample] = []
    for article in articles:
        if not article.tuning:
            continue
        sentences = story_sentences(article.text)
        if len(sentences) <= article.budget:
            continue
        rows = sentence_features(sentences, article.budget)
        candidates = sentences[: len(rows)]
        if extractive:
            reference = set(article.highlights.splitlines())
            labels = [float(s in reference) for s in candidates]
        else:
            picked = oracle(candidates, article.highlights, article.budget, meter)
            labels = [float(i in picked) for i in range(len(candidates))]
        out.append((rows, labels, in_lead_regime(article.budget, len(sentences))))
    return out


def fit(data: Sequence[Sample], features: Sequence[str], l2: float) -> list[float]:
    """Logistic weights over all ``FEATURES`` (0 for those not in ``features``)."""
    import numpy as np

    used = [FEATURES.index(name) for name in features]
    x_rows, y_rows, w_rows = [], [], []
    for rows, labels, _lead in data:
        for row, label in zip(rows, labels, strict=True):
            x_rows.append([row[k] for k in used])
            y_rows.append(label)
            w_rows.append(1.0 / len(rows))
    x, y, weight = np.array(x_rows), np.array(y_rows), np.array(w_rows)
    weight = weight / weight.mean()
    beta = np.zeros(len(used))
    for _ in range(_NEWTON_ROUNDS):
        p = 1 / (1 + np.exp(-x @ beta))
        gradient = x.T @ (weight * (p - y)) + l2 * beta
        hessian = (x.T * (weight * p * (1 - p))) @ x + l2 * np.eye(len(used))
        beta -= np.linalg.solve(hessian, gradient)
    full = [0.0] * len(FEATURES)
    for k, value in zip(used, beta, strict=True):
        full[k] = round(float(value), 4)
    return full


def _log_loss(data: Sequence[Sample], weights: Sequence[float]) -> float:
    """Mean per-article log loss of the labels, each article weighing the same."""
    total = 0.0
    for rows, labels, _lead in data:
        loss = 0.0
        for row, label in zip(rows, labels, strict=True):
            z = sum(w * x for w, x in zip(weights, row, strict=True))
            p = min(max(1 / (1 + math.exp(-z)), 1e-9), 1 - 1e-9)
            loss -= label * math.log(p) + (1 - label) * math.log(1 - p)
        total += loss / len(rows)
    return total / max(1, len(data))


def cross_validated_l2(data: Sequence[Sample], features: Sequence[str]) -> float:
    """The L2 strength of ``L2_GRID`` with the lowest held-out log loss over the folds."""
    best_l2, best_loss = L2_GRID[-1], math.inf
    for l2 in sorted(L2_GRID, reverse=True):  # ties keep the stronger penalty
        loss = 0.0
        for fold in range(FOLDS):
            train = [s for k, s in enumerate(data) if k % FOLDS != fold]
            held = [s for k, s in enumerate(data) if k % FOLDS == fold]
            loss += _log_loss(held, fit(train, features, l2))
        if loss < best_loss - 1e-9:
            best_l2, best_loss = l2, loss
    return best_l2


def table_source(lead: Sequence[float], body: Sequence[float]) -> str:
    """The Python source of ``briefing/summary_weights.py``."""
    lines = [
        '"""The summarizer\'s fitted weights, one per feature of ``summarize.FEATURES``.',
        "",
        "Written by ``python -m bench.fit_summary --write``; do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "# Budgets under this share of the story's sentences use the lead weights.",
        f"LEAD_SHARE = {LEAD_SHARE}",
        "",
    ]
    for name, weights in (("LEAD_WEIGHTS", lead), ("BODY_WEIGHTS", body)):
        lines.append(f"{name} = (")
        lines += [f"    {w!r},  # {f}" for w, f in zip(weights, FEATURES, strict=True)]
        lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    """Fit and print the table (or write it with ``--write``); 2 without shared data."""
    data = shared_data_dir()
    if data is None:
        print("../shared/data is absent: nothing to fit", file=sys.stderr)
        return 2
    meter = RougeMeter()
    cnn = samples(load_articles(data / "cnn-dailymail-dev-100.jsonl"), False, meter)
    bbc_path = data / "bbc-news-summary-dev-200.jsonl"
    bbc = samples(load_bbc_articles(bbc_path), True, meter)
    lead = [s for s in cnn + bbc if s[2]]
    body = [s for s in cnn + bbc if not s[2]]
    lead_l2 = cross_validated_l2(lead, LEAD_FEATURES)
    body_l2 = cross_validated_l2(body, BODY_FEATURES)
    print(f"cross-validated L2: lead {lead_l2:g}, body {body_l2:g}", file=sys.stderr)
    source = table_source(fit(lead, LEAD_FEATURES, lead_l2), fit(body, BODY_FEATURES, body_l2))
    if "--write" in argv:
        target = Path(__file__).resolve().parents[1] / "briefing" / "summary_weights.py"
        target.write_text(source, encoding="utf-8")
        print(f"wrote {target} ({len(lead)} lead articles, {len(body)} body articles)")
    else:
        print(source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

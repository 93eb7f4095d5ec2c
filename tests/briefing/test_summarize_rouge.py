"""The summarizer against its strongest baselines on the shared development sets.

CNN/DailyMail (3 sentences): ahead of Lead-3 on the cleaned sentences on every metric.
BBC News (min(reference sentences, 5)): ahead of sumy's TextRank with its defaults, the
best baseline there, on every metric and on the half the weights were not fitted on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.rouge_table import (
    RougeMeter,
    Scores,
    lead_clean,
    load_articles,
    load_bbc_articles,
    mean_scores,
    ours,
    sumy_methods,
)


def _beats(own: Scores, other: Scores) -> None:
    assert own.rouge1 > other.rouge1
    assert own.rouge2 > other.rouge2
    assert own.rouge_l > other.rouge_l


def test_ours_beats_lead3_clean_on_cnn_dailymail(shared_data: Path) -> None:
    pytest.importorskip("rouge_score", reason="rouge-score comes with the bench extra")
    articles = load_articles(shared_data / "cnn-dailymail-dev-100.jsonl")
    references = [article.highlights for article in articles]
    meter = RougeMeter()

    own = meter.mean([ours(a.text, a.budget) for a in articles], references)
    lead = meter.mean([lead_clean(a.text, a.budget) for a in articles], references)

    assert len(articles) == 100
    _beats(own, lead)


def test_ours_beats_textrank_on_bbc_news_and_its_untouched_half(shared_data: Path) -> None:
    pytest.importorskip("rouge_score", reason="rouge-score comes with the bench extra")
    pytest.importorskip("sumy", reason="sumy comes with the bench extra")
    articles = load_bbc_articles(shared_data / "bbc-news-summary-dev-200.jsonl")
    textrank = dict(sumy_methods())["TextRank"]
    meter = RougeMeter()
    own = [meter.f1(ours(a.text, a.budget), a.highlights) for a in articles]
    theirs = [meter.f1(textrank(a.text, a.budget), a.highlights) for a in articles]
    untouched = [i for i, a in enumerate(articles) if not a.tuning]

    assert len(articles) == 200
    assert len(untouched) == 100
    assert {a.budget for a in articles} <= {1, 2, 3, 4, 5}
    _beats(mean_scores(own), mean_scores(theirs))
    _beats(mean_scores([own[i] for i in untouched]), mean_scores([theirs[i] for i in untouched]))

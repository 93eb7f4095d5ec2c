"""The summarizer against Lead-3 on the cleaned sentences, on the shared CNN/DailyMail sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.rouge_table import RougeMeter, lead3_clean, load_articles, ours


def test_ours_beats_lead3_clean_on_rouge1(shared_data: Path) -> None:
    pytest.importorskip("rouge_score", reason="rouge-score comes with the bench extra")
    articles = load_articles(shared_data / "cnn-dailymail-dev-100.jsonl")
    references = [article.highlights for article in articles]
    meter = RougeMeter()

    own = meter.mean([ours(a.text) for a in articles], references)
    lead = meter.mean([lead3_clean(a.text) for a in articles], references)

    assert len(articles) == 100
    assert own.rouge1 > lead.rouge1

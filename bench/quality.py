"""Quality benchmark: summaries (ROUGE) and comment highlights (NDCG) on ../shared/data.

Run with ``python -m bench.quality``. Each table is measured in one run, against the
baselines it names, because these machines are noisy and data sets small.
"""

from __future__ import annotations

import sys

from bench.ndcg_table import print_ndcg_table
from bench.rouge_table import load_bbc_articles, print_rouge_table
from bench.shared_data import shared_data_dir


def main() -> int:
    """Print both tables; exit 2 when ../shared/data is not beside the checkout."""
    data = shared_data_dir()
    if data is None:
        print("../shared/data is absent: nothing to measure", file=sys.stderr)
        return 2
    print_rouge_table(data / "cnn-dailymail-dev-100.jsonl")
    print()
    bbc = data / "bbc-news-summary-dev-200.jsonl"
    print_rouge_table(bbc, load_bbc_articles(bbc))
    print()
    print_ndcg_table([data / "reddit-dev.jsonl", data / "reddit-dev-more.jsonl"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

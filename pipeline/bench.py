"""Benchmark: the whole pipeline against underthesea on the same documents, in the same run.

Prints throughput and the ratio to underthesea's own `ner()` (the naive alternative) and to its
`word_tokenize` alone (the floor: our segmentation calls it once per sentence).
"""
from __future__ import annotations

import resource
import time

import pandas as pd


def bench(documents: pd.DataFrame, repeat: int = 1) -> dict:
    """Seconds for each system over `documents` (models warmed up first), and their ratios."""
    from underthesea import ner, sent_tokenize, word_tokenize

    from .runner import run_documents
    from .segment import paragraph_spans

    paragraphs = [text[s:e] for text in documents.text for s, e in paragraph_spans(text)]
    sentences = [s for paragraph in paragraphs for s in sent_tokenize(paragraph)]
    run_documents(documents.head(1))  # warm up: load models once
    ner(sentences[0])

    def timed(func) -> float:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - started)
        return best

    seconds = {
        "pipeline": timed(lambda: run_documents(documents)),
        "underthesea.ner": timed(lambda: [ner(s) for s in sentences]),
        "underthesea.word_tokenize": timed(lambda: [word_tokenize(s) for s in sentences]),
    }
    chars = int(documents.text.str.len().sum())
    return {
        "documents": len(documents), "sentences": len(sentences), "chars": chars, "seconds": seconds,
        "chars_per_second": {k: chars / v for k, v in seconds.items()},
        "ratio_to_ner": seconds["pipeline"] / seconds["underthesea.ner"],
        "ratio_to_word_tokenize": seconds["pipeline"] / seconds["underthesea.word_tokenize"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def format_bench(result: dict) -> str:
    lines = [f"{result['documents']} documents, {result['sentences']} sentences, {result['chars']} chars"]
    for name, seconds in result["seconds"].items():
        lines.append(f"  {name:<28} {seconds:7.2f} s  {result['chars_per_second'][name]:>9.0f} chars/s")
    lines.append(f"  pipeline / underthesea.ner            = {result['ratio_to_ner']:.2f}×")
    lines.append(f"  pipeline / underthesea.word_tokenize  = {result['ratio_to_word_tokenize']:.2f}×")
    lines.append(f"  peak RSS {result['peak_rss_mb']:.0f} MB")
    return "\n".join(lines)

"""Benchmark (`make bench`): the whole pipeline as a process, 1 worker and all workers, against
underthesea's `ner()` and bare `word_tokenize` on the same text, in the same run; then the incremental
re-runs (no change, 10 articles added) and a Dask LocalCluster beside the process pool.

The corpus is N articles recombined from the paragraphs of real ones; throughput is in syllables
(whitespace-separated words of the text) per second.
"""
from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path


def recombine(paragraphs: list[str], n: int, per_article: int = 8, seed: int = 9) -> list[str]:
    """N articles of `per_article` paragraphs drawn from real ones, the same for the same seed.

    >>> recombine(["Hà Nội mưa.", "Lào nắng.", "Huế gió."], 2, per_article=2)
    ['Lào nắng.\\nHuế gió.', 'Lào nắng.\\nHà Nội mưa.']
    """
    rng = random.Random(seed)
    k = min(per_article, len(paragraphs))
    return ["\n".join(rng.sample(paragraphs, k)) for _ in range(n)]


def syllables(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def run_process(args: list[str]) -> tuple[float, float]:
    """Wall seconds of a command and the peak RSS (MB) of its whole process tree, sampled every 50 ms."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-500:]}")
    return seconds, peak / 2**20


def bench(corpus_dirs: dict[int, Path], out: Path, workers: int, ner_sample: int = 200,
          extra_dir: Path | None = None, repeat: int = 3) -> dict:
    """Time `python -m pipeline run` on the corpus of N (1 worker, all workers), re-run it unchanged, on a Dask
    LocalCluster of as many workers, with the articles of `extra_dir` (10) added, and on 2N (all workers); then
    underthesea on the same text (`ner()` on a sample of sentences).

    The 1-worker and all-workers runs, whose ratio is a target, are each timed `repeat` times, alternating, and
    the fastest is kept: other jobs on a shared machine only ever add time, to one run or the other. Every time
    is in the JSON (`all_seconds`), and the peak RSS is the largest of the repeats."""
    import shutil

    from underthesea import ner, sent_tokenize, word_tokenize

    n = min(corpus_dirs)
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dirs[n].glob("*.txt"))]
    total = syllables(texts)
    result: dict = {"articles": n, "syllables": total, "workers": workers, "runs": {}}
    many = f"pipeline_{workers}_workers"

    def timed(name: str, folder: Path, target: str, *extra: str, count: int | None = total) -> None:
        if name in result["runs"]:  # a repeat starts from no snapshot, as the first run did
            shutil.rmtree(out / target)
        cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(folder), "--out", str(out / target),
               "--no-progress", *extra]
        seconds, rss = run_process(cmd)
        runs = result["runs"].get(name, {}).get("all_seconds", []) + [seconds]
        rss = max(rss, result["runs"].get(name, {}).get("peak_rss_mb", 0))
        result["runs"][name] = {"seconds": min(runs), "syllables_per_s": count / min(runs) if count else None,
                                "peak_rss_mb": rss, "all_seconds": runs}

    # Untimed, first: builds the model cache (`io.cached`) and brings the code into the page cache, as any run after
    # a machine's first finds them, so the first timed run pays no more than the others.
    run_process([sys.executable, "-m", "pipeline", "run", "--raw", str(extra_dir or corpus_dirs[n]),
                 "--out", str(out / "warm-up"), "--no-progress", "--workers", "1"])
    for _ in range(max(1, repeat)):
        timed("pipeline_1_worker", corpus_dirs[n], "pipeline_1_worker", "--workers", "1")
        timed(many, corpus_dirs[n], many, "--workers", str(workers))
    timed("incremental_no_change", corpus_dirs[n], many, "--workers", str(workers), count=None)
    timed(f"dask_local_{workers}_workers", corpus_dirs[n], "dask", "--scheduler", "local", "--workers", str(workers))
    if extra_dir is not None:
        added = sorted(extra_dir.glob("*.txt"))
        for path in added:
            shutil.copy(path, corpus_dirs[n])
        timed(f"incremental_plus_{len(added)}", corpus_dirs[n], many, "--workers", str(workers),
              count=syllables([p.read_text(encoding="utf-8") for p in added]))
        for path in added:
            (corpus_dirs[n] / path.name).unlink()
    timed(f"{many}_2N", corpus_dirs[2 * n], f"{many}_2N", "--workers", str(workers), count=2 * total)
    sentences = [s for t in texts for line in t.splitlines() if line.strip() for s in sent_tokenize(line)]
    ner(sentences[0])
    word_tokenize(sentences[0])
    for name, func, items in (("underthesea_ner", ner, sentences[:ner_sample]), ("word_tokenize", word_tokenize, sentences)):
        started = time.perf_counter()
        for s in items:
            func(s)
        seconds = time.perf_counter() - started
        result["runs"][name] = {"seconds": seconds, "syllables_per_s": syllables(items) / seconds,
                                "sentences": len(items)}
    runs = result["runs"]
    speed = {k: v["syllables_per_s"] for k, v in runs.items()}
    one, pool = runs["pipeline_1_worker"], runs[many]
    result["ratios"] = {
        "1_worker_vs_ner": speed["pipeline_1_worker"] / speed["underthesea_ner"],
        "1_worker_vs_word_tokenize": speed["pipeline_1_worker"] / speed["word_tokenize"],
        f"{workers}_workers_vs_1": one["seconds"] / pool["seconds"],
        "time_2N_vs_N": runs[f"{many}_2N"]["seconds"] / pool["seconds"],
        "no_change_vs_full": runs["incremental_no_change"]["seconds"] / pool["seconds"],
        f"dask_{workers}_workers_vs_pool": runs[f"dask_local_{workers}_workers"]["seconds"] / pool["seconds"],
    }
    for name in [k for k in runs if k.startswith("incremental_plus_")]:
        result["ratios"][f"{name.removeprefix('incremental_')}_vs_full"] = runs[name]["seconds"] / pool["seconds"]
    result["peak_rss_mb"] = max(v.get("peak_rss_mb", 0) for v in result["runs"].values())
    return result


def format_bench(result: dict) -> str:
    lines = [f"{result['articles']} articles, {result['syllables']} syllables"]
    for name, run in result["runs"].items():
        rss = f"  peak RSS {run['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in run else ""
        speed = f"{run['syllables_per_s']:>9.0f} syllables/s" if run.get("syllables_per_s") else f"{'':>21}"
        times = run.get("all_seconds", [])
        spread = f"  (best of {', '.join(f'{t:.2f}' for t in times)} s)" if len(times) > 1 else ""
        lines.append(f"  {name:<28} {run['seconds']:8.2f} s  {speed}{rss}{spread}")
    lines += [f"  {name:<28} {value:8.2f}×" for name, value in result["ratios"].items()]
    return "\n".join(lines)

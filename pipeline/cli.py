"""Command line: `python -m pipeline run [--raw DIR] [--out DIR]`, one subcommand per stage, `evaluate`.

A user error prints one line to stderr and exits 2; it never shows a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from . import config, io


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C does
    try:
        return args.func(args) or 0
    except io.UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing published, the previous tables are kept", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def entry() -> None:
    """`python -m pipeline` and the `vnews` command: `main`, then exit at once. Everything is written, published and
    closed by then; freeing the models' millions of objects one by one would cost about 0.4 s after every command
    (a multiprocessing worker exits the same way)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str, raw: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if raw:
            p.add_argument("--raw", type=Path, default=config.RAW_DIR, help="input folder (default: %(default)s)")
            p.add_argument("--recursive", action="store_true", help="also read the files of its subfolders")
        if name not in ("evaluate", "bench"):
            p.add_argument("--out", type=Path, default=config.PROCESSED_DIR,
                           help="output folder of the tables (default: %(default)s)")
        if name not in ("evaluate", "bench", "status"):
            p.add_argument("--wait", action="store_true",
                           help="wait for a run already writing --out instead of failing")
        if name in ("run", "ingest"):
            p.add_argument("--allow-empty", action="store_true",
                           help="publish empty tables when the input has no documents (default: refuse)")
        p.set_defaults(func=func)
        return p

    run = command("run", _run, "all stages, streaming batches of files into Parquet tables", raw=True)
    run.add_argument("--batch-size", type=int, default=config.BATCH_SIZE, help="documents per batch")
    run.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.add_argument("--full", action="store_true",
                     help="compute every document again (default: only new or changed ones, reusing the rest)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="run the batches as tasks on a Dask cluster: tcp://HOST:8786, or 'local' for a "
                          "LocalCluster on this machine (--workers processes); --out must be shared storage")
    status = command("status", _status, "what a run would do: new, changed and removed files since the published "
                     "snapshot, and whether the code changed", raw=True)
    status.add_argument("--stamp", type=Path, metavar="FILE",
                        help="write the raw folder's listing (files, hashes, code fingerprint) to FILE, only when "
                             "it changed: a Makefile target that depends on FILE re-runs exactly then")
    from .stages import STAGES

    for stage in STAGES:  # one subcommand per declared stage, in the graph's order
        command(stage.name, _ingest if stage.name == "ingest" else _stage_command(stage), stage.help,
                raw=stage.name == "ingest")
    ev = command("evaluate", _evaluate, "score the pipeline on gold files (JSONL, VLSP-2018 .muc, CoNLL)")
    ev.add_argument("--gold", type=Path, action="append",
                    help="gold JSONL file, or folder of .muc / CoNLL files (repeatable; "
                         "--format vlsp2018 defaults to config.VLSP_DIR or $VLSP_DIR)")
    ev.add_argument("--format", choices=["jsonl", "vlsp2018", "conll"], default="jsonl",
                    help="gold format (default: %(default)s)")
    ev.add_argument("--split", choices=["tune", "check", "all"],
                    help="documents by a hash of their file name: 2/3 tune, 1/3 check (default: all; "
                         "vlsp2018 reports tune and check side by side)")
    ev.add_argument("--sample", type=int, help="score a random sample of N documents")
    ev.add_argument("--seed", type=int, default=0, help="seed of --sample (default: %(default)s)")
    ev.add_argument("--json", type=Path, help="also write the full report as JSON here")
    ev.add_argument("--baseline", choices=["underthesea"], help="score underthesea's ner() side by side")
    ev.add_argument("--errors", action="store_true", help="list false positives and misses per label")
    bench = command("bench", _bench, "time the pipeline (1 and all workers, N and 2N articles, incremental re-runs, "
                    "Dask) against underthesea",
                    raw=True)
    bench.add_argument("--gold", type=Path, action="append", default=[],
                       help="more articles to draw paragraphs from: a folder of .txt or a gold JSONL file")
    bench.add_argument("-n", "--articles", type=int, default=2000, help="articles in the corpus (default: %(default)s)")
    bench.add_argument("--json", type=Path, default=config.PROCESSED_DIR / "bench.json", help="(default: %(default)s)")
    bench.add_argument("--repeat", type=int, default=3,
                       help="times each of the 1-worker and all-workers runs, alternating; the fastest is kept "
                            "(default: %(default)s)")
    _analysis_commands(command)
    return parser


# --- analysis: sql, show, report (issue 10) -------------------------------------------------------------

def _analysis_commands(command) -> None:
    sql = command("sql", _sql, "run a DuckDB query over the tables (each a view: SELECT * FROM mentions)")
    sql.add_argument("query", help="the SQL query")
    sql.add_argument("--csv", nargs="?", const="-", metavar="FILE", help="write CSV (to FILE, or stdout)")
    sql.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write JSON records (to FILE, or stdout)")
    sql.add_argument("--max-rows", type=int, default=50, help="rows printed as a table (default: %(default)s)")
    show = command("show", _show, "print one article with its entities marked, its amounts, times and relations")
    show.add_argument("doc_id", help="the document's doc_id")
    show.add_argument("--html", type=Path, metavar="FILE", help="also write the displaCy view to this HTML file")
    show.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                      help="colour the entities (auto: when stdout is a terminal and NO_COLOR is unset)")
    report = command("report", _report, "write the static HTML report of the tables (works offline from file://)")
    report.add_argument("--report", type=Path, default=None, help="report folder (default: OUT/report)")
    shots = command("report-screenshot", _report_screenshot,
                    "PNG screenshots of the report's overview and one article (headless Chromium)")
    shots.add_argument("--report", type=Path, default=None, help="report folder (default: OUT/report)")
    shots.add_argument("--to", type=Path, default=None, help="folder of the PNGs (default: REPORT/screenshots)")


def _sql(args) -> None:
    from .display import format_table

    result = io.sql_query(args.query, args.out)
    if args.csv is None and args.json is None:
        print(format_table(result, max_rows=args.max_rows))
    if args.csv is not None:
        _emit(args.csv, result.to_csv(index=False))
    if args.json is not None:
        _emit(args.json, result.to_json(orient="records", force_ascii=False, date_format="iso", indent=1) + "\n")


def _emit(target: str, text: str) -> None:
    if target == "-":
        sys.stdout.write(text)
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def _show(args) -> None:
    import os

    from . import display

    by_doc = [("doc_id", "=", args.doc_id)]
    documents = io.read_table("documents", args.out, filters=by_doc)
    if documents.empty:
        known = io.read_table("documents", args.out, columns=["doc_id"]).doc_id.head(3).tolist()
        raise io.UserError(f"no document {args.doc_id!r} in {args.out}; doc_ids look like: {', '.join(known)}")
    doc = documents.iloc[0]
    mentions = io.read_table("mentions", args.out, filters=by_doc)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    date = doc.date if doc.date is not None and str(doc.date) != "NaT" else "no date"
    print(f"{doc.doc_id} ({date}, {doc.source}): {len(mentions)} mentions")
    print()
    print(display.marked_text(doc.text, mentions, color=color))
    texts = mentions.set_index("mention_id").text
    amounts = io.read_table("amounts", args.out, filters=by_doc)
    times = io.read_table("times", args.out, filters=by_doc)
    relations = io.read_table("relations", args.out, filters=by_doc)
    names = io.read_table("entities", args.out, columns=["entity_id", "canonical"]).set_index("entity_id").canonical
    sections = {
        "amounts": amounts.assign(text=amounts.mention_id.map(texts))[["text", "value", "value_max", "currency", "qualifier"]],
        "times": times.assign(text=times.mention_id.map(texts))[["text", "label", "year_start", "year_end", "date", "granularity"]],
        "relations": relations.assign(subject=relations.subject_id.map(names).fillna(relations.subject_id.map(texts)))[
            ["sent_id", "subject", "relation", "object_text"]],
    }
    for title, frame in sections.items():
        print(f"\n{title} ({len(frame)})")
        if len(frame):
            print(display.format_table(frame, max_rows=1000))
    if args.html:
        href = None  # a standalone page: entity pages only exist inside the report
        page = display.article_page(display.displacy_data(doc.doc_id, doc.text, mentions, href), doc.doc_id)
        _emit(str(args.html), page)


def _report(args) -> None:
    from . import report
    from .schemas import TABLES

    started = time.perf_counter()
    tables = {name: io.read_table(name, args.out, analysis_types=True) for name in TABLES if name != "tokens"}
    target = args.report or args.out / "report"
    count = io.write_site(report.build_report(tables), target)
    print(f"wrote {count} files to {target} in {time.perf_counter() - started:.1f}s; open {target / 'index.html'}")


def _report_screenshot(args) -> None:
    from . import browser

    report = args.report or args.out / "report"
    index = report / "index.html"
    if not index.exists():
        raise io.UserError(f"{index} not found: run `make report` first")
    shots = browser.screenshots(index)
    folder = args.to or report / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, png in shots.items():
        (folder / f"{name}.png").write_bytes(png)
        print(f"wrote {folder / f'{name}.png'}")


def _run(args) -> None:
    from .runner import run

    if args.batch_size < 1 or (args.workers is not None and args.workers < 1):
        raise io.UserError("--batch-size and --workers must be at least 1")
    started = time.perf_counter()
    summary = run(args.raw, args.out, batch_size=args.batch_size, workers=args.workers,
                  progress=not args.no_progress, recursive=args.recursive, allow_empty=args.allow_empty,
                  wait=args.wait, full=args.full, scheduler=args.scheduler, freeze=True)
    print(f"{summary} in {time.perf_counter() - started:.1f}s")


def _status(args) -> None:
    from .runner import status

    report = status(args.raw, args.out, recursive=args.recursive)
    print(report.text)
    if args.stamp:
        io.write_if_changed(args.stamp, report.listing)


# Each stage publishes a whole new snapshot: the tables it computes, those of earlier stages carried
# over, and none of later stages (they described the documents before this stage ran).
def _ingest(args) -> None:
    import pandas as pd

    from .ingest import ingest

    with io.output_lock(args.out, wait=args.wait) as out:
        listing = io.list_raw(args.raw, recursive=args.recursive)
        documents, rejected = ingest(io.read_raw(listing.files))
        rejected = pd.concat([listing.skipped, rejected], ignore_index=True)
        if documents.empty and not args.allow_empty:
            raise io.UserError(f"no documents in {args.raw} ({len(rejected)} rejected); the tables in {out} "
                               "are kept (pass --allow-empty to publish empty tables)")
        _publish(out, documents=_with_zero_counts(documents), rejected=rejected)


def _stage_command(stage):
    """`python -m pipeline <stage>`: read the tables the stage requires from the current snapshot, run it,
    publish its tables with every earlier stage's carried over (`documents` gets its counts again)."""
    def command(args) -> None:
        from .runner import with_counts
        from .stages import STAGES

        earlier = [t for s in STAGES[:STAGES.index(stage)] for t in s.provides]
        with io.output_lock(args.out, wait=args.wait) as out:
            tables = {t: io.read_table(t, out) for t in dict.fromkeys(["documents", *stage.requires, *earlier])
                      if t in ("documents", "sentences", "tokens", "mentions")}
            made = {k: v for k, v in stage(**tables).items() if k != "entity_parts"}  # in-memory only
            tables.update(made)
            counted = (tables[t] if t in tables else _no_mentions() for t in ("sentences", "tokens", "mentions"))
            made["documents"] = with_counts(tables["documents"], *counted)
            keep = tuple(t for t in dict.fromkeys(earlier) if t not in made and t != "entity_parts")
            _publish(out, keep=keep, **made)
    return command


def _evaluate(args) -> None:
    from . import evaluate

    if args.errors and args.split == "check":
        raise io.UserError("--errors is refused on the check split: its errors are never read "
                           "(only its scores); use --split tune")
    if args.sample is not None and args.sample < 1:
        raise io.UserError("--sample must be at least 1")
    gold = []
    for path in args.gold or _default_gold(args.format):
        gold += _read_gold(path, args.format)
    if not gold:
        raise io.UserError(f"no gold documents in {', '.join(map(str, args.gold or []))}")
    # VLSP-2018 is the corpus whose check split must stay unread: report both sides every time.
    split = args.split or ("both" if args.format == "vlsp2018" else "all")
    if split != "both":
        gold = evaluate.select_split(gold, split)
    gold = evaluate.sample_documents(gold, args.sample, seed=args.seed)
    if not gold:
        raise io.UserError(f"no gold document falls in the {split} split")
    try:
        report = evaluate.evaluate(
            gold, baseline=args.baseline,
            labels=evaluate.LABELS if args.format == "jsonl" else evaluate.VLSP_SCORED_LABELS,
            splits=("tune", "check", "all") if split == "both" else (split,),
            withhold_check_errors=args.format == "vlsp2018" or split == "check")
    except ValueError as err:  # e.g. the same doc_id in two gold files
        raise io.UserError(str(err)) from err
    print(evaluate.format_report(report, errors=args.errors))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def _default_gold(gold_format: str) -> list[Path]:
    if gold_format != "vlsp2018":
        raise io.UserError("--gold is required (a gold JSONL file, or a folder for --format conll)")
    return [config.VLSP_DIR]


def _read_gold(path: Path, gold_format: str) -> list[dict]:
    """Gold documents of one --gold argument; a missing or unreadable file is a user error."""
    from . import evaluate

    if gold_format == "jsonl":
        if not path.exists():
            raise io.UserError(f"gold file not found: {path}")
        try:
            docs = evaluate.load_gold(path.read_text(encoding="utf-8").splitlines())
        except (ValueError, KeyError) as err:
            raise io.UserError(f"{path}: {err}") from err
        for doc in docs:
            doc.setdefault("domain", path.stem)  # several files are reported side by side
        return docs
    if not path.exists():
        if gold_format == "vlsp2018":
            raise io.UserError(
                f"VLSP-2018 folder not found: {path}; extract it with `git -C <clone of "
                "github.com/undertheseanlp/ner> archive aa1ebcb data/vlsp2018/raw/VLSP2018-NER-train-Jan14 "
                f"| tar -x` and move the folder there, or pass --gold DIR / make VLSP=DIR")
        raise io.UserError(f"gold folder not found: {path}")
    files = _gold_files(path, ".muc" if gold_format == "vlsp2018" else None)
    if not files:
        raise io.UserError(f"no {'.muc' if gold_format == 'vlsp2018' else 'CoNLL'} files in {path}")
    try:
        if gold_format == "vlsp2018":
            return evaluate.load_vlsp2018(files)
        return evaluate.load_conll(files)
    except ValueError as err:
        raise io.UserError(str(err)) from err


def _gold_files(path: Path, suffix: str | None) -> list[tuple[str, str]]:
    """(path relative to the gold folder, decoded text) of every gold file, recursively.

    A file directly in the folder keeps the folder's name in front, so its domain is that folder.
    """
    if path.is_file():
        candidates, root = [path], path.parent.parent
    else:
        candidates, root = sorted(path.rglob("*")), path
    out = []
    for file in candidates:
        if not file.is_file() or file.name.startswith(".") or (suffix and file.suffix.lower() != suffix):
            continue
        relative = file.relative_to(root)
        if len(relative.parts) == 1:
            relative = Path(root.name) / relative
        try:
            out.append((relative.as_posix(), file.read_bytes().decode("utf-8")))
        except UnicodeDecodeError as err:
            raise io.UserError(f"{file}: not UTF-8 ({err.reason} at byte {err.start})") from err
    return out


def _bench(args) -> None:
    import json as json_module
    import os
    import tempfile

    from . import evaluate
    from .bench import bench, format_bench, recombine
    from .ingest import ingest

    if args.articles < 1 or args.repeat < 1:
        raise io.UserError("-n and --repeat must be at least 1")
    texts = list(ingest(io.read_raw(io.list_raw(args.raw, recursive=args.recursive).files))[0].text)
    for path in args.gold:
        if not path.exists():
            raise io.UserError(f"gold file not found: {path}")
        if path.is_dir():
            texts += list(ingest(io.read_raw(io.list_raw(path).files))[0].text)
        else:
            texts += [d["text"] for d in evaluate.load_gold(path.read_text(encoding="utf-8").splitlines())]
    paragraphs = sorted({line.strip() for t in texts for line in t.splitlines() if len(line.strip()) > 40})
    if not paragraphs:
        raise io.UserError(f"no paragraphs to build articles from in {args.raw}")
    with tempfile.TemporaryDirectory(prefix="vnews-bench-") as tmp:
        corpora = {}
        for n in (args.articles, 2 * args.articles):
            folder = Path(tmp, f"raw{n}")
            folder.mkdir()
            for i, article in enumerate(recombine(paragraphs, n)):
                (folder / f"b{i:06d}.txt").write_text(article, encoding="utf-8")
            corpora[n] = folder
        extra = Path(tmp, "added")  # the articles of the incremental re-run: new ones, drawn with another seed
        extra.mkdir()
        for i, article in enumerate(recombine(paragraphs, 10, seed=11)):
            (extra / f"z{i:06d}.txt").write_text(article, encoding="utf-8")
        result = bench(corpora, Path(tmp), workers=os.cpu_count() or 1, extra_dir=extra, repeat=args.repeat)
    print(format_bench(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json_module.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")


def _with_zero_counts(documents):
    out = documents.copy()
    for column in ("n_paragraphs", "n_sentences", "n_tokens", "n_mentions"):
        out[column] = 0
    return out


def _no_mentions():
    import pandas as pd

    return pd.DataFrame({"doc_id": []})


def _publish(out_dir: Path, keep: tuple[str, ...] = (), **tables) -> None:
    io.publish(out_dir, tables, keep=keep)
    for name, frame in tables.items():
        print(f"published {len(frame):>6} rows to {io.table_path(name, out_dir)}")


if __name__ == "__main__":
    sys.exit(main())

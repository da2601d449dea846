"""Command line: `python -m pipeline run [--raw DIR] [--out DIR]`, one subcommand per stage, `evaluate`.

A user error prints one line to stderr and exits 2; it never shows a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import config, io


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except io.UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no table was half-written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str, raw: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if raw:
            p.add_argument("--raw", type=Path, default=config.RAW_DIR, help="input folder (default: %(default)s)")
        if name not in ("evaluate", "bench"):
            p.add_argument("--out", type=Path, default=config.PROCESSED_DIR,
                           help="output folder of the tables (default: %(default)s)")
        p.set_defaults(func=func)
        return p

    run = command("run", _run, "all stages, streaming batches of files into Parquet tables", raw=True)
    run.add_argument("--batch-size", type=int, default=config.BATCH_SIZE, help="documents per batch")
    run.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    command("ingest", _ingest, "stage 1: raw files → documents, rejected", raw=True)
    command("segment", _segment, "stage 2: documents → sentences, tokens")
    command("tag", _tag, "stage 3: sentences, tokens → mentions")
    command("link", _link, "stage 4: mentions → entities, amounts, times, relations (and counts)")
    ev = command("evaluate", _evaluate, "score the pipeline on a gold JSONL file")
    ev.add_argument("--gold", type=Path, required=True, action="append", help="gold JSONL (repeatable)")
    ev.add_argument("--json", type=Path, help="also write the full report as JSON here")
    ev.add_argument("--baseline", choices=["underthesea"], help="score underthesea's ner() side by side")
    ev.add_argument("--errors", action="store_true", help="list false positives and misses per label")
    bench = command("bench", _bench, "time the pipeline against underthesea on the same documents", raw=True)
    bench.add_argument("--gold", type=Path, action="append", default=[], help="also bench these gold texts")
    bench.add_argument("--repeat", type=int, default=1, help="best of N runs")
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
                  progress=not args.no_progress)
    print(f"{summary} in {time.perf_counter() - started:.1f}s")


def _ingest(args) -> None:
    from .ingest import ingest

    documents, rejected = ingest(io.read_raw(io.list_raw_files(args.raw)))
    _write(args.out, documents=_with_zero_counts(documents), rejected=rejected)


def _segment(args) -> None:
    from .segment import segment

    sentences, tokens = segment(io.read_table("documents", args.out))
    _write(args.out, sentences=sentences, tokens=tokens)


def _tag(args) -> None:
    from .tag import tag

    mentions = tag(*(io.read_table(t, args.out) for t in ("documents", "sentences", "tokens")))
    _write(args.out, mentions=mentions)


def _link(args) -> None:
    from .link import link
    from .runner import with_counts

    documents, sentences = io.read_table("documents", args.out), io.read_table("sentences", args.out)
    tables = link(documents, io.read_table("mentions", args.out), sentences)
    documents = with_counts(documents, sentences, io.read_table("tokens", args.out), tables["mentions"])
    _write(args.out, documents=documents, **tables)


def _evaluate(args) -> None:
    from . import evaluate

    gold = []
    for path in args.gold:
        if not path.exists():
            raise io.UserError(f"gold file not found: {path}")
        gold += evaluate.load_gold(path.read_text(encoding="utf-8").splitlines())
    report = evaluate.evaluate(gold, baseline=args.baseline)
    print(evaluate.format_report(report, errors=args.errors))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def _bench(args) -> None:
    import pandas as pd

    from . import evaluate
    from .bench import bench, format_bench
    from .ingest import ingest

    documents, _ = ingest(io.read_raw(io.list_raw_files(args.raw)))
    for path in args.gold:
        if path.exists():
            gold = evaluate.load_gold(path.read_text(encoding="utf-8").splitlines())
            documents = pd.concat([documents, evaluate.documents_frame(gold)], ignore_index=True)
    print(format_bench(bench(documents, repeat=args.repeat)))


def _with_zero_counts(documents):
    out = documents.copy()
    for column in ("n_paragraphs", "n_sentences", "n_tokens", "n_mentions"):
        out[column] = 0
    return out


def _write(out_dir: Path, **tables) -> None:
    for name, frame in tables.items():
        path = io.write_table(name, frame, out_dir)
        print(f"wrote {len(frame):>6} rows to {path}")


if __name__ == "__main__":
    sys.exit(main())

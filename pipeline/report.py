"""The static HTML report: `build_report(tables)` yields `(relative path, content)` pages; the CLI writes them.

Pure: tables in, strings and bytes out. Every value from an article is escaped (`html.escape`, or displaCy's
own escaping for article text). Long lists are split into pages of a fixed size, so no file grows with the
corpus; charts are SVG files drawn with matplotlib (glyphs as paths: no font or network needed).

    >>> pages = dict(build_report(_example_tables()))
    >>> sorted(p for p in pages if not p.startswith(("assets/", "charts/")))[:4]
    ['articles/d1.html', 'articles/index.html', 'entities/index.html', 'entities/lea_1.html']
    >>> '<a class="entity-link" href="../entities/lea_1.html">Tô Lâm</a>' in pages["articles/d1.html"]
    True
"""
from __future__ import annotations

import hashlib
import html
import io as _bytes_io
import re
from collections.abc import Iterator
from importlib import resources

import numpy as np
import pandas as pd

from . import analysis, display
from .schemas import LABELS

ROWS_PER_PAGE = 500          # entities, articles, rejected inputs per list page
MENTIONS_PER_PAGE = 200      # mentions in context per entity page
TOP_N = 10                   # entities per label on the overview
HEATMAP_SIZE = 12            # leaders × places in the co-occurrence heat map
CONTEXT_CHARS = 160          # characters of sentence on each side of a mention, at most

_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def esc(value) -> str:
    """Any value as escaped HTML text; missing values are empty.

    >>> esc("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return html.escape(str(_join(value)), quote=True)


def article_file(doc_id: str) -> str:
    """The file name of an article page: the doc_id when it is a safe file name, else a slug and a hash.

    >>> article_file("000_dbd9b23d20324659"), article_file("tin/1 <x>")
    ('000_dbd9b23d20324659.html', 'tin-1-x-12ccad9c71.html')
    """
    if _SAFE_NAME.fullmatch(doc_id) and not doc_id.startswith("."):
        return f"{doc_id}.html"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", doc_id).strip("-")[:40] or "doc"
    return f"{slug}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:10]}.html"


def entity_file(entity_id: str, page: int = 1) -> str:
    """The file of an entity's page (`entity_id` is a label prefix and hex: always a safe name)."""
    return f"{entity_id}.html" if page == 1 else f"{entity_id}-{page}.html"


def _paged(name: str, page: int) -> str:
    return f"{name}.html" if page == 1 else f"{name}-{page}.html"


def _pager(name: str, page: int, n_pages: int, window: int = 5) -> str:
    """Links to the first, last and nearby pages only, so the pager stays small however many pages there are.

    >>> _pager("index", 1, 2)
    '<div class="pager">Pages: <span class="current">1</span> <a href="index-2.html">2</a></div>'
    """
    if n_pages <= 1:
        return ""
    shown = sorted({1, n_pages, *range(max(1, page - window), min(n_pages, page + window) + 1)})
    links, previous = [], 0
    for p in shown:
        if p > previous + 1:
            links.append("…")
        links.append(f'<span class="current">{p}</span>' if p == page else f'<a href="{_paged(name, p)}">{p}</a>')
        previous = p
    return f'<div class="pager">Pages: {" ".join(links)}</div>'


def _chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i:i + size] for i in range(0, len(frame), size)] or [frame.iloc[0:0]]


def page(title: str, body: str, root: str = "", n_rejected: int | None = None) -> str:
    """One report page: shared navigation, the shipped stylesheet and script, no external resource."""
    rejected = "Rejected" if n_rejected is None else f"Rejected ({n_rejected})"
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>"
        '<link rel="icon" href="data:,">'  # no favicon request, so no console error from file://
        f'<link rel="stylesheet" href="{root}assets/report.css"><script src="{root}assets/report.js" defer></script>'
        f'</head><body><nav><a href="{root}index.html">Overview</a><a href="{root}entities/index.html">Entities</a>'
        f'<a href="{root}articles/index.html">Articles</a><a href="{root}rejected.html">{rejected}</a></nav>'
        f"<main><h1>{esc(title)}</h1>{body}</main></body></html>\n"
    )


def html_table(frame: pd.DataFrame, cells: dict | None = None, css_class: str = "") -> str:
    """A frame as an HTML table; `cells[column](row) -> html` renders a column itself (already escaped).

    >>> html_table(pd.DataFrame({"n": [3], "name": ["<b>"]}))
    '<table><thead><tr><th>n</th><th>name</th></tr></thead><tbody><tr><td class="num">3</td><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    cells = cells or {}
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and c not in cells}
    rows = []
    for row in frame.itertuples(index=False):
        values = row._asdict()
        tds = []
        for column, value in zip(frame.columns, row):
            if column in cells:
                tds.append(f"<td>{cells[column](values)}</td>")
            elif column in numeric:
                tds.append(f'<td class="num">{_number(value, grouped="year" not in str(column))}</td>')
            else:
                tds.append(f"<td>{esc(_join(value))}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    attr = f' class="{css_class}"' if css_class else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _join(value):
    """A list cell (aliases, titles) as "a; b"; anything else unchanged."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, list(value)))
    return value


def _number(value, grouped: bool = True) -> str:
    """A number for a table cell: thousands grouped, except years ("2030", not "2,030")."""
    if pd.isna(value):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if grouped else str(int(value))
    return f"{float(value):,.4g}" if abs(value) < 1e6 else f"{float(value):.3g}"


def legend() -> str:
    marks = "".join(f'<mark style="background:{display.LABEL_COLORS[label]}">{label}</mark>' for label in LABELS)
    return f'<p class="legend">{marks}</p>'


# --- charts: SVG strings ------------------------------------------------------------------------------

def _svg(figure) -> bytes:
    buffer = _bytes_io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no global state, no display needed

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def chart_label_counts(counts: pd.DataFrame) -> bytes:
    figure = _figure(6, 3)
    axes = figure.subplots()
    axes.bar(counts.index, counts.n_mentions, color=[display.LABEL_COLORS[label] for label in counts.index],
             edgecolor="#555")
    axes.set_ylabel("mentions")
    axes.set_title("Mentions per label")
    return _svg(figure)


def chart_top_entities(top: pd.DataFrame) -> bytes:
    labels = [label for label in analysis.NAMED_LABELS if (top.label == label).any()] or ["LEADER"]
    figure = _figure(6.5, 2.2 * len(labels))
    for axes, label in zip(figure.subplots(len(labels), 1, squeeze=False)[:, 0], labels):
        rows = top[top.label == label].iloc[::-1]
        axes.barh([_short(name) for name in rows.canonical], rows.n_mentions, color=display.LABEL_COLORS[label],
                  edgecolor="#555")
        axes.set_title(f"Top {label}", loc="left", fontsize=10)
        axes.tick_params(labelsize=8)
    return _svg(figure)


def chart_heatmap(pairs: pd.DataFrame) -> bytes:
    figure = _figure(8, 6)
    axes = figure.subplots()
    if pairs.empty:
        axes.text(0.5, 0.5, "no leader and place in the same sentence", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    leaders = pairs.groupby("left").n.sum().nlargest(HEATMAP_SIZE).index
    places = pairs.groupby("right").n.sum().nlargest(HEATMAP_SIZE).index
    grid = pairs.pivot_table(index="left", columns="right", values="n", aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=leaders, columns=places, fill_value=0)
    image = axes.imshow(grid.values, cmap="OrRd", aspect="auto")
    axes.set_xticks(range(len(places)), [_short(p, 22) for p in places], rotation=45, ha="right", fontsize=8)
    axes.set_yticks(range(len(leaders)), [_short(name, 26) for name in leaders], fontsize=8)
    for (i, j), value in pd.DataFrame(grid.values).stack().items():
        if value:
            axes.text(j, i, str(int(value)), ha="center", va="center", fontsize=7)
    figure.colorbar(image, ax=axes, label="sentences naming both")
    axes.set_title("Leaders × places in the same sentence")
    return _svg(figure)


def chart_timeline(timeline: pd.DataFrame) -> bytes:
    figure = _figure(8, 3)
    axes = figure.subplots()
    if timeline.empty:
        axes.text(0.5, 0.5, "no year or date mentioned", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    axes.bar(timeline.year, timeline.YEAR, color=display.LABEL_COLORS["YEAR"], edgecolor="#555", label="YEAR")
    axes.bar(timeline.year, timeline.DATE, bottom=timeline.YEAR, color=display.LABEL_COLORS["DATE"],
             edgecolor="#555", label="DATE")
    axes.set_ylabel("mentions")
    axes.set_title("Years and dates mentioned (a period counts for its first year)")
    axes.legend()
    return _svg(figure)


def chart_money(by_year: pd.DataFrame) -> bytes:
    figure = _figure(6, 3)
    axes = figure.subplots()
    if by_year.empty:
        axes.text(0.5, 0.5, "no amount with a known rate", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    axes.bar(by_year.year.astype(str), by_year.total_usd / 1e9, color=display.LABEL_COLORS["AMOUNT"], edgecolor="#555")
    axes.set_ylabel("billion USD (approximate)")
    axes.set_title("Amounts named, by article year")
    return _svg(figure)


def _short(text: str, width: int = 34) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure_block(image: str, alt: str, table_html: str) -> str:
    return (f'<div class="figure"><img src="{image}" alt="{esc(alt)}">'
            f'<div class="data">{table_html}</div></div>')


# --- pages ---------------------------------------------------------------------------------------------

def build_report(tables) -> Iterator[tuple[str, str | bytes]]:
    """Every file of the report as `(path relative to the report folder, content)`.

    `tables` maps table names to frames (`pipeline.load()`). Paths: `index.html`, `charts/*.svg`,
    `entities/index.html` (+ `index-2.html`…), `entities/<entity_id>.html` (+ `-2`…), `articles/index.html`,
    `articles/<doc>.html`, `rejected.html`, `assets/report.css`, `assets/report.js`.
    """
    documents, mentions, entities = tables["documents"], tables["mentions"], tables["entities"]
    sentences, rejected = tables["sentences"], tables["rejected"]
    n_rejected = len(rejected)
    files = {doc_id: article_file(doc_id) for doc_id in documents.doc_id}

    shipped = resources.files("pipeline.resources")
    yield "assets/report.css", shipped.joinpath("report.css").read_text(encoding="utf-8") + display.ENTITY_CSS
    yield "assets/report.js", shipped.joinpath("report.js").read_text(encoding="utf-8")
    yield from _overview(tables, n_rejected)
    yield from _entity_pages(entities, mentions, sentences, files, n_rejected)
    yield from _article_pages(documents, mentions, tables["amounts"], tables["times"], n_rejected)
    yield from _rejected_pages(rejected)


def _overview(tables, n_rejected: int) -> Iterator[tuple[str, str | bytes]]:
    documents, mentions, entities = tables["documents"], tables["mentions"], tables["entities"]
    counts = analysis.label_counts(mentions)
    top = analysis.top_entities(entities, n=TOP_N)
    top = top[top.label.isin(analysis.NAMED_LABELS)]
    pairs = analysis.cooccurrence(mentions, entities, "LEADER", "PLACE")
    timeline = analysis.timeline(tables["times"])
    money = analysis.money_in_usd(tables["amounts"], mentions, documents, tables["relations"])
    by_year = analysis.money_by_year(money)
    yield "charts/labels.svg", chart_label_counts(counts)
    yield "charts/top_entities.svg", chart_top_entities(top)
    yield "charts/cooccurrence.svg", chart_heatmap(pairs)
    yield "charts/timeline.svg", chart_timeline(timeline)
    yield "charts/money.svg", chart_money(by_year)

    dates = pd.to_datetime(documents.date).dropna()
    span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    body = (
        f"<p>{len(documents):,} articles ({span}), {len(mentions):,} mentions, {len(entities):,} entities, "
        f'<a href="rejected.html">{n_rejected:,} rejected inputs</a>.</p>{legend()}'
        "<h2>Mentions per label</h2>"
        + _figure_block("charts/labels.svg", "mentions per label", html_table(counts.reset_index()))
        + "<h2>Top entities</h2>"
        + _figure_block("charts/top_entities.svg", "top entities per label",
                        html_table(top, {"canonical": lambda r: _entity_link(r, entities)}))
        + "<h2>Leaders and places named together</h2>"
        + _figure_block("charts/cooccurrence.svg", "leader × place co-occurrence heat map",
                        html_table(pairs.head(30)[["left", "right", "n"]].rename(
                            columns={"left": "leader", "right": "place", "n": "sentences"})))
        + "<h2>Timeline</h2>"
        + _figure_block("charts/timeline.svg", "years and dates mentioned", html_table(timeline))
        + "<h2>Money, in US dollars (approximate)</h2>"
        + '<p class="muted">Converted at the yearly average rate of the article\'s year '
          "(<code>pipeline/resources/usd_rates.tsv</code>, World Bank / IMF, rounded): approximate.</p>"
        + _figure_block("charts/money.svg", "amounts by year in USD", html_table(
            money.sort_values("value_usd", ascending=False).head(30)[
                ["doc_id", "year", "text", "currency", "value_usd", "target_of"]]))
    )
    yield "index.html", page("Vietnamese news: overview", body, n_rejected=n_rejected)


def _entity_link(row: dict, entities: pd.DataFrame) -> str:
    match = entities[(entities.canonical == row["canonical"]) & (entities.label == row["label"])]
    if match.empty:
        return esc(row["canonical"])
    return f'<a href="entities/{entity_file(match.entity_id.iloc[0])}">{esc(row["canonical"])}</a>'


def _entity_pages(entities, mentions, sentences, files, n_rejected) -> Iterator[tuple[str, str]]:
    ranked = entities.assign(_order=entities.label.astype(str).map({l: i for i, l in enumerate(LABELS)})).sort_values(
        ["_order", "n_mentions", "canonical"], ascending=[True, False, True])
    columns = ["canonical", "label", "aliases", "titles", "kind", "country", "n_mentions", "n_docs"]
    chunks = _chunks(ranked, ROWS_PER_PAGE)
    link = {"canonical": lambda r: f'<a href="{entity_file(r["entity_id"])}">{esc(r["canonical"])}</a>'}
    for number, chunk in enumerate(chunks, 1):
        body = ('<input id="filter" type="search" placeholder="Filter this page (name, alias, title…)">'
                + _pager("index", number, len(chunks))
                + html_table(chunk[["entity_id", *columns]], link, css_class="filterable")
                + _pager("index", number, len(chunks)))
        yield f"entities/{_paged('index', number)}", page(f"Entities ({len(entities):,})", body, "../", n_rejected)

    named = mentions[mentions.entity_id.notna()]
    contexts = named.merge(sentences[["doc_id", "sent_id", "start", "text"]].rename(
        columns={"start": "sentence_start", "text": "sentence"}), on=["doc_id", "sent_id"], how="left")
    contexts = contexts.sort_values(["doc_id", "start"])
    by_id = entities.drop_duplicates("entity_id").set_index("entity_id", drop=False)
    for entity_id, group in contexts.groupby("entity_id", sort=False):
        if entity_id in by_id.index:
            yield from _entity_page(by_id.loc[entity_id], group, files, n_rejected)


def _entity_page(entity, group: pd.DataFrame, files, n_rejected) -> Iterator[tuple[str, str]]:
    facts = pd.DataFrame({"field": ["label", "aliases", "titles", "kind", "country", "mentions", "articles"],
                          "value": [entity.label, "; ".join(entity.aliases), "; ".join(entity.titles),
                                    entity.kind, entity.country, entity.n_mentions, entity.n_docs]})
    facts["value"] = facts.value.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    chunks = _chunks(group, MENTIONS_PER_PAGE)
    color = display.LABEL_COLORS.get(str(entity.label), "#ddd")
    for number, chunk in enumerate(chunks, 1):
        rows = []
        for m in chunk.itertuples():
            href = f"../articles/{files.get(m.doc_id, article_file(m.doc_id))}#{display.mention_anchor(m.start, m.end)}"
            rows.append(f'<tr><td><a class="mention-link" href="{esc(href)}">{esc(m.doc_id)}</a></td>'
                        f'<td class="context">{_context(m, color)}</td></tr>')
        pager = _pager(entity.entity_id, number, len(chunks))
        body = (html_table(facts) + f"<h2>Mentions in context ({len(group):,})</h2>" + pager
                + '<table class="mentions"><thead><tr><th>article</th><th>context</th></tr></thead><tbody>'
                + "".join(rows) + "</tbody></table>" + pager)
        yield f"entities/{entity_file(entity.entity_id, number)}", page(str(entity.canonical), body, "../", n_rejected)


def _context(m, color: str) -> str:
    if not isinstance(m.sentence, str):
        return f'<mark style="background:{color}">{esc(m.text)}</mark>'
    begin, end = m.start - m.sentence_start, m.end - m.sentence_start
    before, after = m.sentence[max(0, begin - CONTEXT_CHARS):begin], m.sentence[end:end + CONTEXT_CHARS]
    return (("…" if begin > CONTEXT_CHARS else "") + esc(before) + f'<mark style="background:{color}">'
            f"{esc(m.sentence[begin:end])}</mark>" + esc(after) + ("…" if len(m.sentence) - end > CONTEXT_CHARS else ""))


def _article_pages(documents, mentions, amounts, times, n_rejected) -> Iterator[tuple[str, str]]:
    ordered = documents.sort_values(["date", "doc_id"], na_position="last")
    chunks = _chunks(ordered, ROWS_PER_PAGE)
    for number, chunk in enumerate(chunks, 1):
        listing = pd.DataFrame({"doc_id": chunk.doc_id, "date": pd.to_datetime(chunk.date).dt.strftime("%Y-%m-%d"),
                                "mentions": chunk.n_mentions, "beginning": chunk.text.str.slice(0, 140)})
        link = {"doc_id": lambda r: f'<a class="article-link" href="{esc(article_file(r["doc_id"]))}">{esc(r["doc_id"])}</a>'}
        body = ('<input id="filter" type="search" placeholder="Filter this page">' + _pager("index", number, len(chunks))
                + html_table(listing, link, css_class="filterable") + _pager("index", number, len(chunks)))
        yield f"articles/{_paged('index', number)}", page(f"Articles ({len(documents):,})", body, "../", n_rejected)

    by_doc = {doc_id: group for doc_id, group in mentions.groupby("doc_id", sort=False)}
    money = amounts.merge(mentions[["mention_id", "text"]], on="mention_id", how="left")
    money_by_doc = {doc_id: group for doc_id, group in money.groupby("doc_id", sort=False)}
    when = times.merge(mentions[["mention_id", "text"]], on="mention_id", how="left")
    when_by_doc = {doc_id: group for doc_id, group in when.groupby("doc_id", sort=False)}
    empty = mentions.iloc[0:0]
    for doc in documents.itertuples():
        doc_mentions = by_doc.get(doc.doc_id, empty)
        data = display.displacy_data(doc.doc_id, doc.text, doc_mentions, lambda eid: f"../entities/{entity_file(eid)}")
        date = pd.to_datetime(doc.date)
        body = (f'<p class="muted">{esc(f"{date:%Y-%m-%d}" if pd.notna(date) else "no date")} · '
                f"source {esc(doc.source)} · {len(doc_mentions)} mentions</p>{legend()}"
                f'<div class="article">{display.render_article(data)}</div>')
        doc_money = money_by_doc.get(doc.doc_id)
        if doc_money is not None:
            body += "<h2>Amounts</h2>" + html_table(doc_money[["text", "value", "value_max", "currency", "qualifier"]])
        doc_times = when_by_doc.get(doc.doc_id)
        if doc_times is not None:
            body += "<h2>Years and dates</h2>" + html_table(
                doc_times[["text", "label", "year_start", "year_end", "date", "granularity"]])
        yield f"articles/{article_file(doc.doc_id)}", page(str(doc.doc_id), body, "../", n_rejected)


def _rejected_pages(rejected: pd.DataFrame) -> Iterator[tuple[str, str]]:
    chunks = _chunks(rejected, ROWS_PER_PAGE)
    for number, chunk in enumerate(chunks, 1):
        intro = ("<p>Every input that could not become a document, with the reason. Nothing is dropped silently.</p>"
                 if len(rejected) else "<p>No input was rejected.</p>")
        body = intro + _pager("rejected", number, len(chunks)) + (html_table(chunk) if len(chunk) else "")
        yield _paged("rejected", number), page(f"Rejected inputs ({len(rejected):,})", body, n_rejected=len(rejected))


def _example_tables() -> dict[str, pd.DataFrame]:
    """Two mentions of one tiny article, for the module's docstring."""
    text = "Tổng Bí thư Tô Lâm thăm Lào."
    frame = pd.DataFrame
    return {
        "documents": frame({"doc_id": ["d1"], "source": ["d1.txt"], "date": [pd.Timestamp("2026-02-05")],
                            "text": [text], "n_mentions": [2]}),
        "sentences": frame({"doc_id": ["d1"], "sent_id": [0], "start": [0], "text": [text]}),
        "mentions": frame({"mention_id": ["d1:12-18", "d1:24-27"], "doc_id": ["d1", "d1"], "sent_id": [0, 0],
                           "start": [12, 24], "end": [18, 27], "text": ["Tô Lâm", "Lào"], "label": ["LEADER", "PLACE"],
                           "entity_id": ["lea_1", "pla_1"]}),
        "entities": frame({"entity_id": ["lea_1", "pla_1"], "label": ["LEADER", "PLACE"], "canonical": ["Tô Lâm", "Lào"],
                           "aliases": [["Tô Lâm"], ["Lào"]], "n_mentions": [1, 1], "n_docs": [1, 1],
                           "titles": [["Tổng Bí thư"], []], "country": [None, "Lào"], "kind": [None, None]}),
        "amounts": frame(columns=["mention_id", "doc_id", "value", "value_max", "currency", "qualifier"]),
        "times": frame(columns=["mention_id", "doc_id", "label", "year_start", "year_end", "date", "granularity"]),
        "relations": frame(columns=["doc_id", "sent_id", "subject_id", "relation", "object_id", "object_text"]),
        "rejected": frame(columns=["source", "record", "reason", "sha256"]),
    }

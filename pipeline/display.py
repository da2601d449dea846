"""How tables and articles look to people: text tables, marked articles for the terminal, displaCy data.

Pure: strings in, strings out. The CLI prints them; `pipeline.report` builds pages from them.
"""
from __future__ import annotations

import html

import pandas as pd

from .schemas import LABELS

# One colour per label, shared by displaCy, the report, the notebook and the terminal legend.
LABEL_COLORS = {
    "LEADER": "#ffb3ba", "PLACE": "#a8d8ff", "ORG": "#b9f2a1", "PROJECT": "#ffd59e",
    "AMOUNT": "#dcc6ff", "YEAR": "#fff3a0", "DATE": "#a0efe4",
}
# ANSI background colours close to the above, for a terminal that supports them.
_ANSI = {"LEADER": "48;5;217", "PLACE": "48;5;153", "ORG": "48;5;157", "PROJECT": "48;5;223",
         "AMOUNT": "48;5;189", "YEAR": "48;5;229", "DATE": "48;5;159"}
assert set(LABEL_COLORS) == set(_ANSI) == set(LABELS)


def format_table(frame: pd.DataFrame, max_rows: int = 50, max_colwidth: int = 60) -> str:
    """A result as a plain text table (long cells cut, at most `max_rows` rows and a line saying how many more).

    >>> print(format_table(pd.DataFrame({"canonical": ["Tô Lâm", "Lào"], "n": [16, 31]}), max_rows=1))
    canonical  n
       Tô Lâm 16
    (2 rows, 1 shown)
    """
    if frame.empty:
        return " ".join(map(str, frame.columns)) + "\n(0 rows)"
    shown = frame.head(max_rows)
    text = shown.to_string(index=False, max_colwidth=max_colwidth)
    if len(frame) > len(shown):
        text += f"\n({len(frame)} rows, {len(shown)} shown)"
    return text


def marked_text(text: str, mentions: pd.DataFrame, color: bool = False) -> str:
    """The article with each mention marked: `[Tô Lâm|LEADER]`, or coloured with the label after it.

    >>> m = pd.DataFrame({"start": [12, 24], "end": [18, 27], "label": ["LEADER", "PLACE"]})
    >>> marked_text("Tổng Bí thư Tô Lâm thăm Lào.", m)
    'Tổng Bí thư [Tô Lâm|LEADER] thăm [Lào|PLACE].'
    """
    out, offset = [], 0
    for row in mentions.sort_values("start").itertuples():
        if row.start < offset:  # overlapping spans are not produced; never print text twice
            continue
        out.append(text[offset:row.start])
        span = text[row.start:row.end]
        if color:
            out.append(f"\x1b[{_ANSI.get(str(row.label), '7')};30m{span}\x1b[0m\x1b[2m{row.label}\x1b[0m")
        else:
            out.append(f"[{span}|{row.label}]")
        offset = row.end
    out.append(text[offset:])
    return "".join(out)


def mention_anchor(start: int, end: int) -> str:
    """The HTML id of a mention inside its article page: `m-12-18`."""
    return f"m-{int(start)}-{int(end)}"


# displaCy's entity markup, with an id (the mention's anchor) and an optional link to the entity page.
# Only the colour is inline; the rest of the look is ENTITY_CSS, written once per page (20,000 articles).
_ENT_TEMPLATE = ('<mark class="entity" id="{anchor}" data-label="{label}" style="background: {bg}">'
                 '{link_open}{text}{link_close}<span class="entity-label">{label}</span></mark>')
ENTITY_CSS = ("mark.entity { padding: 0.3em 0.5em; margin: 0 0.2em; line-height: 1; border-radius: 0.35em; }\n"
              "mark.entity .entity-label { font-size: 0.7em; font-weight: bold; line-height: 1;"
              " vertical-align: middle; margin-left: 0.4rem; }\n")


def displacy_data(doc_id: str, text: str, mentions: pd.DataFrame, entity_href=None) -> dict:
    """displaCy's manual format for an article from its `mentions` rows (offsets into `text`).
    `entity_href(entity_id) -> str | None` links each named mention to its entity page.

    >>> m = pd.DataFrame({"start": [12], "end": [18], "label": ["LEADER"], "entity_id": ["lea_1"]})
    >>> displacy_data("d", "Tổng Bí thư Tô Lâm.", m)["ents"][0]["label"]
    'LEADER'
    """
    ents = []
    ordered = mentions.sort_values("start")
    entity_ids = ordered.entity_id.astype(object).tolist() if "entity_id" in ordered else [None] * len(ordered)
    # Plain lists: iterating Arrow-backed columns row by row is slow on 20,000 articles.
    for start, end, label, entity_id in zip(ordered.start.tolist(), ordered.end.tolist(),
                                            ordered.label.astype(str).tolist(), entity_ids):
        href = entity_href(entity_id) if entity_href and isinstance(entity_id, str) else None
        link_open = f'<a class="entity-link" href="{html.escape(href, quote=True)}">' if href else ""
        ents.append({"start": int(start), "end": int(end), "label": label,
                     "params": {"anchor": mention_anchor(start, end), "link_open": link_open,
                                "link_close": "</a>" if href else ""}})
    return {"text": text, "title": None, "ents": ents, "doc_id": doc_id}


def render_article(data: dict) -> str:
    """displaCy's HTML (manual mode, our colours) for `displacy_data(...)`; all text is escaped by displaCy.

    >>> m = pd.DataFrame({"start": [5], "end": [8], "label": ["PLACE"]})
    >>> html_ = render_article(displacy_data("d", "<b>  Lào", m))
    >>> "&lt;b&gt;" in html_ and 'data-label="PLACE"' in html_ and "<b>" not in html_
    True
    """
    from spacy import displacy

    options = {"colors": LABEL_COLORS, "template": _ENT_TEMPLATE}
    return displacy.render({"text": data["text"], "ents": data["ents"], "title": None}, style="ent",
                           manual=True, options=options, jupyter=False)


def article_page(data: dict, title: str) -> str:
    """A standalone HTML page with one highlighted article (for `show --html`), with no external resource."""
    legend = "".join(f'<mark style="background:{LABEL_COLORS[label]};padding:0.2em 0.4em;margin-right:0.3em">'
                     f"{label}</mark>" for label in LABELS)
    return ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{ENTITY_CSS}</style></head>"
            "<body style=\"font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.6\">"
            f"<h1>{html.escape(title)}</h1><p>{legend}</p>{render_article(data)}</body></html>\n")

"""Typical questions over the tables, each a few lines of pandas: pass the frames `pipeline.load()` gives.

    from pipeline import analysis, load
    tables = load()
    analysis.top_entities(tables.entities, n=5)
    analysis.cooccurrence(tables.mentions, tables.entities, "LEADER", "PLACE")
    analysis.money_in_usd(tables.amounts, tables.mentions, tables.documents, tables.relations)

The functions are pure (frames in, a new frame out), so they work as well on a filtered `load(...)`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from .lexicons import table
from .schemas import LABELS

__all__ = ["top_entities", "leaders", "cooccurrence", "usd_rates", "money_in_usd", "money_by_year",
           "goals", "projects", "label_counts", "timeline"]

NAMED_LABELS = ("LEADER", "PLACE", "ORG", "PROJECT")


def _frame(**columns) -> pd.DataFrame:
    """A small frame for docstring examples."""
    return pd.DataFrame(columns)


def label_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions and documents per label, every label present (0 when none), in `LABELS` order.

    >>> m = _frame(doc_id=["a", "a", "b"], label=["LEADER", "PLACE", "LEADER"])
    >>> label_counts(m).loc["LEADER"].tolist()
    [2, 2]
    """
    grouped = mentions.groupby(mentions.label.astype(str), observed=True)
    counts = pd.DataFrame({"n_mentions": grouped.size(), "n_docs": grouped.doc_id.nunique()})
    return counts.reindex(list(LABELS), fill_value=0).rename_axis("label")


def top_entities(entities: pd.DataFrame, label: str | None = None, n: int = 10) -> pd.DataFrame:
    """The `n` most mentioned entities of each label (or of one `label`), most mentioned first.

    >>> e = _frame(label=["PLACE", "PLACE", "LEADER"], canonical=["Lào", "Hà Nội", "Tô Lâm"],
    ...            n_mentions=[12, 3, 16], n_docs=[2, 1, 2])
    >>> top_entities(e, n=1)[["label", "canonical"]].values.tolist()
    [['LEADER', 'Tô Lâm'], ['PLACE', 'Lào']]
    """
    chosen = entities if label is None else entities[entities.label == label]
    ranked = chosen.assign(label=chosen.label.astype(str)).sort_values(
        ["label", "n_mentions", "n_docs", "canonical"], ascending=[True, False, False, True],
        key=lambda column: column.map({lab: i for i, lab in enumerate(LABELS)}) if column.name == "label" else column)
    return ranked.groupby("label", sort=False).head(n)[["label", "canonical", "n_mentions", "n_docs"]].reset_index(drop=True)


def leaders(entities: pd.DataFrame) -> pd.DataFrame:
    """Leaders with their titles (joined by "; ") and country of office, most mentioned first.

    >>> e = _frame(entity_id=["lea_1"], label=["LEADER"], canonical=["Thongloun Sisoulith"],
    ...            titles=[["Chủ tịch nước", "Tổng Bí thư"]], country=["Lào"], n_mentions=[8], n_docs=[1])
    >>> leaders(e).to_dict("records")
    [{'leader': 'Thongloun Sisoulith', 'titles': 'Chủ tịch nước; Tổng Bí thư', 'country': 'Lào', 'n_mentions': 8, 'n_docs': 1}]
    """
    chosen = entities[entities.label == "LEADER"].sort_values(["n_mentions", "canonical"], ascending=[False, True])
    return pd.DataFrame({"leader": chosen.canonical, "titles": chosen.titles.map(lambda t: "; ".join(t)),
                         "country": chosen.country, "n_mentions": chosen.n_mentions,
                         "n_docs": chosen.n_docs}).reset_index(drop=True)


def cooccurrence(mentions: pd.DataFrame, entities: pd.DataFrame, left: str = "LEADER", right: str = "PLACE",
                 within: str = "sentence") -> pd.DataFrame:
    """Pairs of entities (`left` label × `right` label) named in the same sentence or document, with the
    number `n` of sentences (documents) that name both; most frequent first. With `left == right` each
    pair appears once.

    >>> m = _frame(doc_id=["a"] * 3, sent_id=[0, 0, 1], label=["LEADER", "PLACE", "PLACE"],
    ...            entity_id=["lea_1", "pla_1", "pla_2"])
    >>> e = _frame(entity_id=["lea_1", "pla_1", "pla_2"], canonical=["Tô Lâm", "Lào", "Hà Nội"])
    >>> cooccurrence(m, e)[["left", "right", "n"]].values.tolist()
    [['Tô Lâm', 'Lào', 1]]
    >>> cooccurrence(m, e, within="document")[["left", "right", "n"]].values.tolist()
    [['Tô Lâm', 'Hà Nội', 1], ['Tô Lâm', 'Lào', 1]]
    """
    if within not in ("sentence", "document"):
        raise ValueError(f"within must be 'sentence' or 'document', not {within!r}")
    unit = ["doc_id", "sent_id"] if within == "sentence" else ["doc_id"]
    named = mentions[mentions.entity_id.notna()][[*unit, "label", "entity_id"]].drop_duplicates()
    a = named[named.label == left].drop(columns="label")
    b = named[named.label == right].drop(columns="label")
    pairs = a.merge(b, on=unit, suffixes=("_left", "_right"))
    pairs = pairs[pairs.entity_id_left < pairs.entity_id_right] if left == right else pairs
    counts = pairs.drop_duplicates().groupby(["entity_id_left", "entity_id_right"]).size().rename("n").reset_index()
    names = entities.set_index("entity_id").canonical
    counts.insert(0, "left", counts.entity_id_left.map(names))
    counts.insert(1, "right", counts.entity_id_right.map(names))
    return counts.sort_values(["n", "left", "right"], ascending=[False, True, True]).reset_index(drop=True)


@cache
def usd_rates() -> pd.DataFrame:
    """Yearly average exchange rates, units per US dollar (`resources/usd_rates.tsv`, with its source).
    Approximate: rounded yearly averages, for comparing orders of magnitude.

    >>> usd_rates().query("currency == 'VND' and year == 2023").per_usd.item()
    23787.0
    """
    rows = pd.DataFrame(table("usd_rates.tsv"))
    return rows.astype({"year": "int64", "per_usd": "float64"})


def _rate_for(currency, year) -> tuple[float, int | None]:
    """Units per USD for `currency` in `year` (nearest year in the table), and the year used."""
    if currency == "USD":
        return 1.0, None
    rates = usd_rates()
    rows = rates[rates.currency == currency]
    if rows.empty or pd.isna(year):
        return float("nan"), None
    nearest = rows.iloc[(rows.year - int(year)).abs().argsort().iloc[0]]
    return float(nearest.per_usd), int(nearest.year)


def money_in_usd(amounts: pd.DataFrame, mentions: pd.DataFrame, documents: pd.DataFrame,
                 relations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every amount with its article's year and its value in US dollars at that year's average rate
    (`usd_rates()`: APPROXIMATE; `rate_year` says which year's rate was used, null for USD), and, when the
    relations say so, what it is the figure of (`trade`, `investment`).

    >>> a = _frame(mention_id=["d:0-10", "d:20-30"], doc_id=["d", "d"], value=[5e9, 2.3787e13],
    ...            value_max=[None, None], currency=["USD", "VND"])
    >>> m = _frame(mention_id=["d:0-10", "d:20-30"], text=["5 tỷ USD", "23.787 tỷ đồng"])
    >>> docs = _frame(doc_id=["d"], date=[pd.Timestamp("2023-05-01")])
    >>> money_in_usd(a, m, docs)[["text", "year", "value_usd"]].values.tolist()
    [['5 tỷ USD', 2023, 5000000000.0], ['23.787 tỷ đồng', 2023, 1000000000.0]]
    """
    years = pd.to_datetime(documents.set_index("doc_id").date).dt.year
    out = amounts.merge(mentions[["mention_id", "text"]], on="mention_id", how="left")
    out["year"] = out.doc_id.map(years).astype("Int64")
    rates = [_rate_for(str(c) if pd.notna(c) else None, y) for c, y in zip(out.currency, out.year)]
    out["per_usd"] = [rate for rate, _ in rates]
    out["rate_year"] = pd.array([year for _, year in rates], dtype="Int64")
    out["value_usd"] = out.value.astype("float64") / out.per_usd
    out["value_max_usd"] = out.value_max.astype("float64") / out.per_usd
    if relations is not None:
        targets = relations[relations.relation == "target_of"].drop_duplicates("subject_id")
        out["target_of"] = out.mention_id.map(targets.set_index("subject_id").object_text)
    return out


def money_by_year(money: pd.DataFrame) -> pd.DataFrame:
    """`money_in_usd(...)` summed per article year: number of amounts and their total in USD (approximate).

    >>> money_by_year(_frame(year=[2025, 2025, 2026], value_usd=[1e9, 2e9, 5e9])).to_dict("records")
    [{'year': 2025, 'n_amounts': 2, 'total_usd': 3000000000.0}, {'year': 2026, 'n_amounts': 1, 'total_usd': 5000000000.0}]
    """
    known = money[money.year.notna() & money.value_usd.notna()]
    return (known.groupby("year").value_usd.agg(n_amounts="size", total_usd="sum").reset_index()
            .astype({"year": "int64", "n_amounts": "int64", "total_usd": "float64"}))


def timeline(times: pd.DataFrame) -> pd.DataFrame:
    """How many mentions name each year, per label (YEAR, DATE); a period counts for its first year.

    >>> timeline(_frame(label=["YEAR", "YEAR", "DATE"], year_start=[2030, 2030, 2026])).values.tolist()
    [[2026, 0, 1], [2030, 2, 0]]
    """
    known = times[times.year_start.notna()]
    counts = pd.crosstab(known.year_start.astype("int64"), known.label.astype(str))
    counts = counts.reindex(columns=["YEAR", "DATE"], fill_value=0)
    return counts.rename_axis(index="year", columns=None).reset_index()


@cache
def _goal_cue_re() -> re.Pattern:
    # Matched on the text itself (not its fold) so the match offsets point into the clause.
    cues = sorted((row["cue"] for row in table("goal_cues.tsv")), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, cues)) + r")(?!\w)", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[,;:.!?()]")


def goals(mentions: pd.DataFrame, times: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Years and periods named as goals: a YEAR whose clause has a goal cue (`resources/goal_cues.tsv`:
    "đến năm", "phấn đấu", "giai đoạn"…), with `goal`, what it is the goal for: the clause after the year,
    or the clause before it when the year ends its clause.

    >>> s = _frame(doc_id=["d"], sent_id=[0], start=[0], text=["Phấn đấu đến năm 2030 Lào trở thành nước thu nhập cao."])
    >>> m = _frame(mention_id=["d:9-21"], doc_id=["d"], sent_id=[0], start=[9], end=[21], text=["đến năm 2030"])
    >>> t = _frame(mention_id=["d:9-21"], label=["YEAR"], year_start=[2030], year_end=[2030])
    >>> goals(m, t, s)[["year_start", "cue", "goal"]].values.tolist()
    [[2030, 'phấn đấu', 'Lào trở thành nước thu nhập cao']]
    """
    years = times[times.label == "YEAR"][["mention_id", "year_start", "year_end"]]
    rows = years.merge(mentions[["mention_id", "doc_id", "sent_id", "start", "end", "text"]], on="mention_id")
    rows = rows.merge(sentences[["doc_id", "sent_id", "start", "text"]].rename(
        columns={"start": "sentence_start", "text": "sentence"}), on=["doc_id", "sent_id"])
    found = []
    for row in rows.itertuples():
        begin, end = row.start - row.sentence_start, row.end - row.sentence_start
        before, after = row.sentence[:begin], row.sentence[end:]
        clause_before = _CLAUSE_END.split(before)[-1]
        cue = _goal_cue_re().search(unicodedata.normalize("NFC", clause_before + row.text))
        if cue is None:
            continue
        goal = _CLAUSE_END.split(after)[0].strip()
        if len(goal.split()) < 2:  # the year ends its clause: the goal is what leads up to it
            goal = clause_before[cue.start():].strip() if cue.start() < len(clause_before) else clause_before.strip()
        found.append({"doc_id": row.doc_id, "sent_id": row.sent_id, "text": row.text,
                      "year_start": row.year_start, "year_end": row.year_end, "cue": cue.group(1).lower(),
                      "goal": goal, "sentence": row.sentence})
    columns = ["doc_id", "sent_id", "text", "year_start", "year_end", "cue", "goal", "sentence"]
    return pd.DataFrame(found, columns=columns)


def projects(entities: pd.DataFrame, mentions: pd.DataFrame, relations: pd.DataFrame,
             amounts: pd.DataFrame) -> pd.DataFrame:
    """Projects with their kind, the places they connect (relations) and the amounts named in the same
    sentences as them (joined by "; "), most mentioned first.

    >>> e = _frame(entity_id=["pro_1", "pla_1"], label=["PROJECT", "PLACE"], kind=["railway", None],
    ...            canonical=["đường sắt Viêng Chăn – Vũng Áng", "Viêng Chăn"], n_mentions=[2, 5], n_docs=[1, 1])
    >>> m = _frame(mention_id=["d:0-30", "d:40-48"], doc_id=["d", "d"], sent_id=[0, 0], label=["PROJECT", "AMOUNT"],
    ...            entity_id=["pro_1", None], text=["đường sắt Viêng Chăn – Vũng Áng", "5 tỷ USD"])
    >>> r = _frame(subject_id=["pro_1"], relation=["connects"], object_id=["pla_1"], object_text=["Viêng Chăn"])
    >>> projects(e, m, r, _frame(mention_id=["d:40-48"]))[["project", "kind", "places", "amounts"]].values.tolist()
    [['đường sắt Viêng Chăn – Vũng Áng', 'railway', 'Viêng Chăn', '5 tỷ USD']]
    """
    chosen = entities[entities.label == "PROJECT"].set_index("entity_id")
    names = entities.set_index("entity_id").canonical
    connects = relations[(relations.relation == "connects") & relations.subject_id.isin(chosen.index)]
    place_names = connects.object_id.map(names).fillna(connects.object_text)
    places = place_names.groupby(connects.subject_id).agg(lambda s: "; ".join(dict.fromkeys(s)))
    in_project_sentences = mentions[mentions.entity_id.isin(chosen.index)][["doc_id", "sent_id", "entity_id"]]
    money = mentions[mentions.mention_id.isin(amounts.mention_id)][["doc_id", "sent_id", "text"]]
    near = in_project_sentences.drop_duplicates().merge(money, on=["doc_id", "sent_id"])
    money_near = near.groupby("entity_id").text.agg(lambda s: "; ".join(dict.fromkeys(s)))
    out = pd.DataFrame({"project": chosen.canonical, "kind": chosen.kind, "places": places.reindex(chosen.index),
                        "amounts": money_near.reindex(chosen.index), "n_mentions": chosen.n_mentions,
                        "n_docs": chosen.n_docs})
    return out.sort_values(["n_mentions", "project"], ascending=[False, True]).rename_axis("entity_id").reset_index()

"""Evaluation against the hand-annotated gold files (`/work/shared/gold/*.jsonl`).

Pure scoring functions (no printing, no disk I/O) plus `evaluate()`, which runs the pipeline and an
optional underthesea baseline on the gold texts and returns one JSON-serializable report, and
`format_report()`, which renders it as text. The CLI reads the gold file and calls `load_gold()`.

Predictions are what `pipeline.runner.run_documents` returns: a dict of tables, of which the scorers
use "mentions" (spans), "amounts"/"times" (values) and "entities" (canonicals). `score_spans` also
accepts a bare mentions frame or a mapping doc_id -> [{"start", "end", "label"}, ...].
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from .text import DASH_CLASS

LABELS = ("LEADER", "PLACE", "ORG", "PROJECT", "AMOUNT", "YEAR", "DATE")
VALUE_LABELS = ("AMOUNT", "YEAR", "DATE")
LINK_LABELS = ("LEADER", "PLACE", "ORG", "PROJECT")
BASELINE_LABELS = ("LEADER", "PLACE", "ORG")  # the only labels underthesea's NER can produce
CONTEXT_CHARS = 20  # per side: error lists show ~40 characters around each span
_UNDERTHESEA_TYPES = {"PER": "LEADER", "LOC": "PLACE", "ORG": "ORG"}  # MISC has no counterpart

Span = tuple[str, int, int, str]  # (doc_id, start, end, label)


# --------------------------------------------------------------------------------------- gold input

def load_gold(lines: Iterable[str | bytes] | str | bytes) -> list[dict]:
    """Parse gold JSONL lines (or a whole file's text) and check every offset.

    >>> load_gold(['{"doc_id": "d", "date": null, "text": "Tô Lâm", '
    ...            '"entities": [{"start": 0, "end": 6, "label": "LEADER", "text": "Tô Lâm"}]}'])[0]["doc_id"]
    'd'
    """
    if isinstance(lines, (str, bytes)):
        lines = lines.splitlines()
    docs, seen = [], set()
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            line = line.decode("utf-8-sig")
        if not line.strip():
            continue
        doc = json.loads(line)
        doc_id, text = doc.get("doc_id"), doc.get("text")
        if not isinstance(doc_id, str) or not isinstance(text, str):
            raise ValueError(f"gold line {lineno}: needs string 'doc_id' and 'text'")
        if doc_id in seen:
            raise ValueError(f"gold line {lineno}: duplicate doc_id {doc_id!r}")
        seen.add(doc_id)
        for ent in doc.setdefault("entities", []):
            # A wrong offset would silently turn into one FP plus one FN: refuse it instead.
            if text[ent["start"]:ent["end"]] != ent.get("text", text[ent["start"]:ent["end"]]):
                raise ValueError(f"gold line {lineno}: {doc_id} [{ent['start']}:{ent['end']}] is "
                                 f"{text[ent['start']:ent['end']]!r}, not {ent['text']!r}")
            if ent["label"] not in LABELS:
                raise ValueError(f"gold line {lineno}: unknown label {ent['label']!r}")
        docs.append(doc)
    return docs


# ------------------------------------------------------------------------- VLSP and CoNLL gold input

# What the VLSP corpora annotate, in our labels. MISCELLANEOUS (nationalities, events, products...)
# has no counterpart: it is kept as ambiguous gold so that it and the predictions overlapping it
# are left out of the score (see `score_spans`).
VLSP_SCORED_LABELS = ("LEADER", "PLACE", "ORG")
VLSP_TYPES = {"PERSON": "LEADER", "LOCATION": "PLACE", "ORGANIZATION": "ORG", "MISCELLANEOUS": "MISC",
              "PER": "LEADER", "LOC": "PLACE", "ORG": "ORG", "MISC": "MISC"}  # .muc and CoNLL names

# Type words that VLSP keeps inside a LOCATION ("tỉnh Hà Tĩnh") and ANNOTATION.md keeps outside
# ("tỉnh **Hà Tĩnh**"; dev.jsonl: "Thủ đô **New Delhi**", "TP **Đà Nẵng**"), in either case of their
# first letter. Longest first, so "thị xã" is tried before "xã". Regions ("miền Trung", "châu Á",
# "xứ Nghệ") are whole names in both specs and are not listed.
LOCATION_TYPE_WORDS = (
    "thành phố", "thủ đô", "thủ phủ", "thị xã", "thị trấn", "tiểu bang", "đặc khu",
    "tỉnh", "huyện", "quận", "phường", "xã", "thôn", "ấp", "bản", "xóm", "làng", "bang",
    "TP.", "TP", "Tp.", "TX.", "TX", "Q.", "P.",  # "Q.3", "P.12", "Q.Bình Thạnh": quận, phường in addresses
)
# Type words of streets and natural places that ANNOTATION.md also keeps outside a PLACE ("đường Bắc Sơn",
# "đèo Hải Vân", "hồ Gươm"), cut only when written in lowercase: capitalized they start names ("Hồ Chí Minh",
# "Núi Thành", "Sông Cầu").
LOWERCASE_LOCATION_TYPE_WORDS = (
    "đường", "phố", "đại lộ", "đèo", "hồ", "sông", "quần đảo", "bán đảo", "đảo", "núi", "vịnh", "xứ",
    "cửa khẩu", "vùng", "khu vực",
)

# Bodies that VLSP leaves unannotated when written bare (no name of their own), which ANNOTATION.md
# tags ORG ("Thủ tướng **Chính phủ**", a bare "**Đảng**" for one party). Each such occurrence outside a gold
# entity is ambiguous gold. With a country right after it, VLSP tags only the country ("Chính phủ
# <LOCATION>Đức</LOCATION>"); ANNOTATION.md tags the body with its country ("**Chính phủ Lào**").
GENERIC_BODIES = (
    "Trung ương Đảng", "Ban Thường vụ", "Ban Tổ chức", "Ban tổ chức", "BTC", "Chính phủ", "Chính quyền",
    "Quốc hội", "Quân đội", "Hải quân", "Không quân", "Thành ủy", "Tỉnh ủy", "Huyện ủy", "Đảng ủy", "Đảng bộ",
    "Đảng", "UBND", "HĐND",
)
BODIES_BEFORE_A_COUNTRY = ("Chính phủ", "Chính quyền", "Quân đội", "Hải quân", "Không quân")
_GENERIC_BODY = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, GENERIC_BODIES)) + r")(?!\w)")
# VLSP never annotates a web address (0 of 92 in the train split: "Theo vnexpress.net"); ANNOTATION.md tags
# an outlet named by its address in a credit as ORG ("Chinhphu.vn"). Outside a gold entity it is ambiguous.
_WEB_ADDRESS = re.compile(r"(?<![\w.])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|info|edu)(?![\w])")

_ENAMEX = re.compile(r'<ENAMEX\s+TYPE\s*=\s*"([^"]*)"\s*>|</ENAMEX\s*>')
CHECK_SHARE = 3  # one file in CHECK_SHARE goes to the "check" split, the rest to "tune"
SPLITS = ("tune", "check")


def strip_location_type_word(text: str, start: int, end: int) -> tuple[int, bool]:
    """(new start, numbered?) of a LOCATION span once a leading type word ("tỉnh ", "TP.") is cut off.

    The word is cut only when a capitalized name follows. "TP.HCM" and "TP HCM" stay whole, like
    "TPHCM": the acronym stands for the whole name. A numbered unit ("quận 3", "thôn 6") stays whole
    and is reported as numbered: ANNOTATION.md does not say where its name starts.

    >>> text = "về tỉnh Quảng Trị và TP.Huế, quận 3, sông Nile, Hồ Tây"
    >>> [text[strip_location_type_word(text, a, b)[0]:b] for a, b in [(3, 17), (21, 27), (29, 35), (37, 46), (48, 54)]]
    ['Quảng Trị', 'Huế', 'quận 3', 'Nile', 'Hồ Tây']
    """
    span = text[start:end]
    for word in LOCATION_TYPE_WORDS + LOWERCASE_LOCATION_TYPE_WORDS:
        capitalized = word in LOCATION_TYPE_WORDS and span.startswith(word[0].upper() + word[1:])
        if not (span.startswith(word) or capitalized):
            continue
        rest = span[len(word):]
        cut = len(word) + (len(rest) - len(rest.lstrip(" ")))
        if cut == len(word) and not word.endswith("."):
            continue  # "TPHCM", "Bangkok": a prefix of a longer word, not a type word
        name = span[cut:]
        first_word = name.split(" ", 1)[0]
        if name[:1].isdigit():
            return start, True
        abbreviation_of_acronym = (word.rstrip(".").lower() in ("tp", "tx")
                                   and len(first_word) > 1 and first_word.isupper())
        if name[:1].isupper() and not abbreviation_of_acronym:
            return start + cut, False
    return start, False


def _vlsp_entity(text: str, start: int, end: int, vlsp_type: str, where: str) -> dict | None:
    """One gold entity in our labels, trimmed of spaces (and of a type word for a LOCATION)."""
    label = VLSP_TYPES.get(vlsp_type.strip().upper())
    if label is None:
        raise ValueError(f"{where}: unknown entity type {vlsp_type!r}")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    numbered = False
    if label == "PLACE":
        start, numbered = strip_location_type_word(text, start, end)
    if start >= end:
        return None
    entity = {"start": start, "end": end, "label": label, "text": text[start:end]}
    if label == "MISC" or numbered:
        entity["ambiguous"] = True
    return entity


def _normalized_text(raw: str) -> str:
    """NFC, no BOM, Unix line ends: the text the pipeline is given, so offsets index it directly."""
    return unicodedata.normalize("NFC", raw.lstrip("\ufeff")).replace("\r\n", "\n").replace("\r", "\n")


def parse_muc(raw: str, doc_id: str, domain: str | None = None, file: str | None = None) -> dict:
    """One VLSP-2018 `.muc` file (text with inline ENAMEX tags) → a gold document.

    Tags are removed; the outermost span wins over the ones nested in it (ANNOTATION.md: nested spans
    are not annotated). The text is made NFC before the tags are stripped (tags are ASCII, so this
    cannot move them), hence every offset indexes the NFC text.

    >>> doc = parse_muc('Ông <ENAMEX TYPE="PERSON">Lê Văn An</ENAMEX> về <ENAMEX TYPE="LOCATION">'
    ...                 'tỉnh Hà Giang</ENAMEX> làm việc với <ENAMEX TYPE="ORGANIZATION">Sở Y tế '
    ...                 '<ENAMEX TYPE="LOCATION">Hà Giang</ENAMEX></ENAMEX>.', "a")
    >>> doc["text"]
    'Ông Lê Văn An về tỉnh Hà Giang làm việc với Sở Y tế Hà Giang.'
    >>> [(e["text"], e["label"]) for e in doc["entities"]]
    [('Lê Văn An', 'LEADER'), ('Hà Giang', 'PLACE'), ('Sở Y tế Hà Giang', 'ORG')]
    """
    raw = _normalized_text(raw)
    pieces, length, open_tags, outermost = [], 0, [], []
    position = 0
    for tag in _ENAMEX.finditer(raw):
        pieces.append(raw[position:tag.start()])
        length += tag.start() - position
        position = tag.end()
        if tag.group(1) is not None:
            open_tags.append((length, tag.group(1)))
        elif not open_tags:
            raise ValueError(f"{doc_id}: </ENAMEX> without an opening tag at character {tag.start()}")
        else:
            start, vlsp_type = open_tags.pop()
            if not open_tags:  # closing the outermost tag: the only span kept
                outermost.append((start, length, vlsp_type))
    if open_tags:
        raise ValueError(f"{doc_id}: {len(open_tags)} <ENAMEX> tag(s) never closed")
    pieces.append(raw[position:])
    text = "".join(pieces)
    if not unicodedata.is_normalized("NFC", text):  # a tag between a letter and its combining mark
        raise ValueError(f"{doc_id}: a tag splits a character; the text without tags is not NFC")
    entities = [e for start, end, vlsp_type in outermost
                if (e := _vlsp_entity(text, start, end, vlsp_type, doc_id)) is not None]
    return _gold_document(doc_id, text, entities, domain, file)


def parse_conll(lines: Iterable[str], doc_id: str, domain: str | None = None,
                file: str | None = None) -> list[dict]:
    r"""A VLSP-2016 style CoNLL file (word, POS, chunk, NER[, nested NER]) → gold documents.

    Columns are tab-separated (a word may then hold spaces) or, without tabs, space-separated; the NER
    tag is the fourth column (the last one when there are fewer). A word's "_" joins its syllables:
    the text rebuilds words with spaces, one sentence per line (a blank line ends a sentence). One
    file is one document; a `-DOCSTART-` line starts another (doc ids get `#2`, `#3`...). Markup lines
    such as `<s>` or `</title>` are skipped. B-/I- tags of PER, LOC, ORG, MISC map as for `.muc`.

    >>> rows = ["Bà\tNc\tB-NP\tO", "Trần_Thị_Mai\tNp\tB-NP\tB-PER", "đến\tV\tB-VP\tO",
    ...         "huyện\tN\tB-NP\tB-LOC", "Mê_Linh\tNp\tI-NP\tI-LOC", "", "Bà\tNc\tB-NP\tO"]
    >>> doc = parse_conll(rows, "c")[0]
    >>> doc["text"], [(e["text"], e["label"]) for e in doc["entities"]]
    ('Bà Trần Thị Mai đến huyện Mê Linh\nBà', [('Trần Thị Mai', 'LEADER'), ('Mê Linh', 'PLACE')])
    """
    documents, sentences, sentence = [], [], []

    def end_sentence():
        if sentence:
            sentences.append(list(sentence))
            sentence.clear()

    def end_document():
        end_sentence()
        if sentences:
            name = doc_id if not documents else f"{doc_id}#{len(documents) + 1}"
            documents.append(_conll_document(sentences, name, domain, file))
            sentences.clear()

    for lineno, line in enumerate(lines, 1):
        line = _normalized_text(line).rstrip("\n")
        if not line.strip():
            end_sentence()
            continue
        if line.startswith("-DOCSTART-"):
            end_document()
            continue
        if re.fullmatch(r"\s*</?[A-Za-z][^<>]*>\s*", line):
            continue  # <s>, </s>, <title>...: structure markup, not words
        columns = line.split("\t") if "\t" in line else line.split()
        if len(columns) < 2:
            raise ValueError(f"{doc_id} line {lineno}: expected word and tag columns, got {line!r}")
        word = columns[0].replace("_", " ").strip()
        tag = (columns[3] if len(columns) >= 4 else columns[-1]).strip()
        if word:
            sentence.append((word, tag, lineno))
    end_document()
    return documents


def _conll_document(sentences: list[list[tuple[str, str, int]]], doc_id: str, domain, file) -> dict:
    lines, spans, offset = [], [], 0
    for words in sentences:
        current = None  # [start, end, type]
        position = offset
        for i, (word, tag, lineno) in enumerate(words):
            start = position + (1 if i else 0)
            end = start + len(word)
            position = end
            prefix, _, kind = tag.partition("-")
            if prefix not in ("B", "I") or not kind:
                if tag not in ("O", ""):
                    raise ValueError(f"{doc_id} line {lineno}: tag {tag!r} is not O, B-X or I-X")
                current = None
                continue
            if prefix == "I" and current is not None and current[2] == kind:
                current[1] = end
            else:  # B-, or an I- that continues nothing: starts an entity rather than losing it
                current = [start, end, kind]
                spans.append((current, f"{doc_id} line {lineno}"))
        lines.append(" ".join(word for word, _, _ in words))
        offset = position + 1  # the "\n" between sentences
    text = "\n".join(lines)
    entities = [e for (start, end, kind), where in spans
                if (e := _vlsp_entity(text, start, end, kind, where)) is not None]
    return _gold_document(doc_id, text, entities, domain, file)


def align_unannotated_bodies(text: str, entities: list[dict]) -> list[dict]:
    """VLSP's bare bodies to ANNOTATION.md (`GENERIC_BODIES`): a body before a gold country becomes one ORG
    with it; any other bare one becomes ambiguous gold (neither rewarded nor punished).

    Web addresses outside gold entities are ambiguous gold too (`_WEB_ADDRESS`).

    >>> text = "Chính phủ Đức và Quốc hội họp; Bộ Quốc phòng Nga (theo Zing.vn)"
    >>> ents = [{"start": 10, "end": 13, "label": "PLACE", "text": "Đức"},
    ...         {"start": 31, "end": 48, "label": "ORG", "text": "Bộ Quốc phòng Nga"}]
    >>> [(e["text"], e["label"], e.get("ambiguous", False)) for e in align_unannotated_bodies(text, ents)]
    [('Chính phủ Đức', 'ORG', False), ('Quốc hội', 'ORG', True), ('Bộ Quốc phòng Nga', 'ORG', False), ('Zing.vn', 'ORG', True)]
    """
    by_start = {e["start"]: e for e in entities}
    out = list(entities)
    for match in _WEB_ADDRESS.finditer(text):
        start, end = match.span()
        if not any(start < e["end"] and e["start"] < end for e in out):
            out.append({"start": start, "end": end, "label": "ORG", "text": match.group(), "ambiguous": True})
    for match in _GENERIC_BODY.finditer(text):
        start, end = match.span()
        if any(start < e["end"] and e["start"] < end for e in out):
            continue
        country = by_start.get(end + 1)
        if match.group() in BODIES_BEFORE_A_COUNTRY and text[end:end + 1] == " " and country is not None \
                and country["label"] == "PLACE" and not country.get("ambiguous"):
            out[out.index(country)] = {"start": start, "end": country["end"], "label": "ORG",
                                       "text": text[start:country["end"]]}
        else:
            out.append({"start": start, "end": end, "label": "ORG", "text": match.group(), "ambiguous": True})
    return sorted(out, key=lambda e: (e["start"], e["end"]))


def _gold_document(doc_id: str, text: str, entities: list[dict], domain, file) -> dict:
    entities = align_unannotated_bodies(text, entities)
    for e in entities:  # cheap insurance: an offset bug would turn into one FP plus one FN each
        assert text[e["start"]:e["end"]] == e["text"], (doc_id, e)
    return {"doc_id": doc_id, "date": None, "text": text, "entities": entities,
            "domain": domain, "file": file or doc_id}


def load_vlsp2018(files: Iterable[tuple[str, str]]) -> list[dict]:
    """(relative path, content) of each `.muc` file → gold documents, in path order.

    The domain is the file's parent folder ("The thao/23352816.muc" → "The thao"), the doc id the
    path without suffix, and the file name alone decides the split (`split_of`).
    """
    docs = []
    for path, content in sorted(files):
        parts = path.replace("\\", "/").split("/")
        domain = parts[-2] if len(parts) > 1 else None
        doc_id = path.replace("\\", "/").rsplit(".", 1)[0]
        docs.append(parse_muc(content, doc_id, domain=domain, file=parts[-1]))
    return docs


def load_conll(files: Iterable[tuple[str, str]]) -> list[dict]:
    """(relative path, content) of each CoNLL file → gold documents (domain: the parent folder)."""
    docs = []
    for path, content in sorted(files):
        parts = path.replace("\\", "/").split("/")
        domain = parts[-2] if len(parts) > 1 else None
        doc_id = path.replace("\\", "/").rsplit(".", 1)[0]
        docs += parse_conll(content.splitlines(), doc_id, domain=domain, file=parts[-1])
    return docs


def split_of(doc: dict) -> str:
    """"tune" or "check", from the sha1 of the file name alone (not the path): stable across machines,
    folders and Python versions, and the same article never changes side.

    >>> split_of({"file": "23352816.muc"}) == split_of({"file": "23352816.muc", "doc_id": "x/y"})
    True
    """
    name = doc.get("file") or doc["doc_id"]
    digest = int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16)
    return "check" if digest % CHECK_SHARE == 0 else "tune"


def select_split(gold_docs: list[dict], split: str) -> list[dict]:
    """The documents of one split ("tune", "check"), or all of them for "all"."""
    if split == "all":
        return list(gold_docs)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; splits are tune, check, all")
    return [d for d in gold_docs if split_of(d) == split]


def sample_documents(gold_docs: list[dict], n: int | None, seed: int = 0) -> list[dict]:
    """A random sample of `n` documents, the same for the same seed and input; kept in input order.

    >>> docs = [{"doc_id": f"bai{i}"} for i in range(6)]
    >>> [d["doc_id"] for d in sample_documents(docs, 2, seed=7)]
    ['bai1', 'bai2']
    """
    if n is None or n >= len(gold_docs):
        return list(gold_docs)
    # Sample over sorted ids, so the choice does not depend on the order the files were listed in.
    chosen = set(random.Random(seed).sample(sorted(d["doc_id"] for d in gold_docs), n))
    return [d for d in gold_docs if d["doc_id"] in chosen]


# ---------------------------------------------------------------------------------------- helpers

def _clean(value):
    """Scalar from a frame → plain JSON value (numpy numbers → Python, NaN/NA → None)."""
    if value is None or isinstance(value, (list, tuple, dict)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _prf(tp: int, fp: int, fn: int) -> dict:
    """P/R/F1 with None where undefined (no predictions / no gold), so '0.0' always means 'all wrong'."""
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "support": tp + fn, "predicted": tp + fp}


def _context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """'…left [span] right…' on one line."""
    left = ("…" if start > width else "") + text[max(0, start - width):start]
    right = text[end:end + width] + ("…" if end + width < len(text) else "")
    return re.sub(r"\s+", " ", f"{left}[{text[start:end]}]{right}")


_DASHES = re.compile(rf"\s*{DASH_CLASS}\s*")


def normalize_canonical(name: str | None) -> str:
    """Compare canonicals modulo dash style and spacing.

    >>> normalize_canonical("Viêng Chăn – Vũng Áng") == normalize_canonical("Viêng Chăn-Vũng  Áng")
    True
    """
    if name is None:
        return ""
    name = unicodedata.normalize("NFC", str(name))
    return re.sub(r"\s+", " ", _DASHES.sub("-", name)).strip()


def _gold_index(gold_docs: list[dict], drop_ambiguous: bool,
                labels: Iterable[str] = LABELS) -> dict[Span, dict]:
    labels = set(labels)
    return {(d["doc_id"], e["start"], e["end"], e["label"]): e
            for d in gold_docs for e in d["entities"]
            if e["label"] in labels and not (drop_ambiguous and e.get("ambiguous"))}


def _mentions_frame(predictions) -> pd.DataFrame:
    """Accept the runner's tables dict, a mentions frame, or {doc_id: [span dicts or tuples]}."""
    if isinstance(predictions, pd.DataFrame):
        return predictions
    if isinstance(predictions, Mapping) and isinstance(predictions.get("mentions"), pd.DataFrame):
        return predictions["mentions"]
    if isinstance(predictions, Mapping):
        rows = []
        for doc_id, spans in predictions.items():
            for span in spans:
                if isinstance(span, Mapping):
                    rows.append({"doc_id": doc_id, **span})
                else:
                    start, end, label = span[:3]
                    rows.append({"doc_id": doc_id, "start": start, "end": end, "label": label})
        return pd.DataFrame(rows, columns=None if rows else ["doc_id", "start", "end", "label"])
    raise TypeError(f"cannot read predictions from {type(predictions).__name__}")


def _matched_mentions(gold_docs: list[dict], predictions, labels: Iterable[str],
                      drop_ambiguous: bool) -> list[tuple[dict, dict, dict]]:
    """(doc, gold entity, predicted mention row) for each prediction matching a gold span exactly."""
    gold = _gold_index(gold_docs, drop_ambiguous)
    docs = {d["doc_id"]: d for d in gold_docs}
    labels, seen, out = set(labels), set(), []
    for row in _mentions_frame(predictions).to_dict("records"):
        key = (row["doc_id"], int(row["start"]), int(row["end"]), row["label"])
        if key[3] in labels and key in gold and key not in seen:
            seen.add(key)  # a duplicated prediction is scored once
            out.append((docs[key[0]], gold[key], row))
    return out


def _where(doc: dict, ent: dict) -> dict:
    return {"doc_id": doc["doc_id"], "start": ent["start"], "end": ent["end"], "label": ent["label"],
            "text": doc["text"][ent["start"]:ent["end"]]}


# ------------------------------------------------------------------------------------------ spans

def _outside_projects(gold: dict[Span, dict], mentions: pd.DataFrame) -> dict[Span, dict]:
    """A gold set without PROJECT (VLSP) tags the places inside a road or an airport ("cao tốc [Pháp Vân] –
    [Cầu Giẽ]", "[quốc lộ 1A]"); ANNOTATION.md makes the whole a PROJECT with no place inside it. Gold
    spans inside a predicted PROJECT are left out of the score, as those overlapping MISCELLANEOUS are."""
    projects = defaultdict(list)
    for doc_id, start, end, label in zip(mentions.doc_id, mentions.start, mentions.end, mentions.label):
        if label == "PROJECT":
            projects[doc_id].append((int(start), int(end)))
    return {key: e for key, e in gold.items()
            if not any(start <= key[1] and key[2] <= end for start, end in projects.get(key[0], ()))}


def score_spans(gold_docs: list[dict], predicted_by_doc, drop_ambiguous: bool = True,
                labels: Iterable[str] = LABELS) -> dict:
    """Strict span scores: a hit needs the exact start, end AND label.

    Only `labels` are scored: a gold set that annotates fewer labels (VLSP: LEADER, PLACE, ORG)
    passes them, so that predictions with the other labels are ignored instead of counted as FP.

    >>> gold = [{"doc_id": "d", "text": "Tô Lâm đến Lào", "entities": [
    ...     {"start": 0, "end": 6, "label": "LEADER"}, {"start": 11, "end": 14, "label": "PLACE"}]}]
    >>> s = score_spans(gold, {"d": [(0, 6, "LEADER"), (11, 14, "ORG")]})
    >>> s["micro"]["precision"], s["micro"]["recall"], s["confusion"]
    (0.5, 0.5, {'PLACE': {'ORG': 1}})
    """
    docs = {d["doc_id"]: d for d in gold_docs}
    ambiguous = defaultdict(list)
    if drop_ambiguous:
        for d in gold_docs:
            ambiguous[d["doc_id"]] += [(e["start"], e["end"]) for e in d["entities"] if e.get("ambiguous")]
    labels = tuple(label for label in LABELS if label in set(labels))
    gold = _gold_index(gold_docs, drop_ambiguous, labels)

    mentions = _mentions_frame(predicted_by_doc)
    if "PROJECT" not in labels and len(mentions):
        gold = _outside_projects(gold, mentions)
    predicted: dict[Span, dict] = {}
    unknown_docs, other_labels = Counter(), Counter()
    dropped_pred = duplicates = text_mismatch = 0
    for row in mentions.to_dict("records"):
        doc_id, start, end, label = row["doc_id"], int(row["start"]), int(row["end"]), row["label"]
        if doc_id not in docs:
            unknown_docs[doc_id] += 1
            continue
        if label not in labels:
            other_labels[label] += 1
            continue
        if any(start < a_end and a_start < end for a_start, a_end in ambiguous[doc_id]):
            dropped_pred += 1  # a judgement call: neither reward nor punish what overlaps it
            continue
        if isinstance(row.get("text"), str) and row["text"] != docs[doc_id]["text"][start:end]:
            text_mismatch += 1  # offsets that do not index the document text: a pipeline bug
        key = (doc_id, start, end, label)
        if key in predicted:
            duplicates += 1
            continue
        predicted[key] = row

    # Indexes for error classification: exact spans, and spans per doc for overlap tests.
    gold_by_span = defaultdict(list)
    pred_by_span = defaultdict(list)
    gold_in_doc, pred_in_doc = defaultdict(list), defaultdict(list)
    for key in gold:
        gold_by_span[key[:3]].append(key[3])
        gold_in_doc[key[0]].append(key)
    for key in predicted:
        pred_by_span[key[:3]].append(key[3])
        pred_in_doc[key[0]].append(key)

    def overlaps_same_label(key: Span, others: dict[str, list[Span]]) -> bool:
        return any(o[3] == key[3] and o[1] < key[2] and key[1] < o[2] and o[1:3] != key[1:3]
                   for o in others[key[0]])

    counts = {label: Counter() for label in labels}
    confusion: dict[str, Counter] = defaultdict(Counter)
    boundary = Counter()
    false_positives, misses = [], []
    for key in predicted:
        if key in gold:
            counts[key[3]]["tp"] += 1
            continue
        counts[key[3]]["fp"] += 1
        wrong_label = [g for g in gold_by_span[key[:3]] if g != key[3]]
        if wrong_label:
            kind = "label"
            confusion[wrong_label[0]][key[3]] += 1
        elif overlaps_same_label(key, gold_in_doc):
            kind = "boundary"
            boundary[key[3]] += 1
        else:
            kind = "spurious"
        source = predicted[key].get("source")
        false_positives.append(_error(docs[key[0]], key, kind, gold_label=wrong_label[0] if wrong_label else None,
                                      rule=source if isinstance(source, str) else None))
    for key in gold:
        if key in predicted:
            continue
        counts[key[3]]["fn"] += 1
        wrong_label = [p for p in pred_by_span[key[:3]] if p != key[3]]
        kind = ("label" if wrong_label else
                "boundary" if overlaps_same_label(key, pred_in_doc) else "missed")
        misses.append(_error(docs[key[0]], key, kind, pred_label=wrong_label[0] if wrong_label else None))

    per_label = {label: _prf(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()}
    total = sum(counts.values(), Counter())
    order = lambda e: (e["label"], e["doc_id"], e["start"])  # noqa: E731
    return {
        "per_label": per_label,
        "micro": _prf(total["tp"], total["fp"], total["fn"]),
        "tp": total["tp"], "fp": total["fp"], "fn": total["fn"],
        "confusion": {g: dict(sorted(c.items())) for g, c in sorted(confusion.items())},
        "boundary_errors": {label: boundary[label] for label in labels if boundary[label]},
        "false_positives": sorted(false_positives, key=order),
        "misses": sorted(misses, key=order),
        "drop_ambiguous": drop_ambiguous,
        "n_ambiguous_gold_dropped": sum(len(v) for v in ambiguous.values()),
        "n_predictions_dropped": dropped_pred,
        "n_duplicate_predictions": duplicates,
        "n_text_mismatch": text_mismatch,
        "unknown_docs": dict(unknown_docs),
        "other_labels": dict(other_labels),
    }


def _error(doc: dict, key: Span, kind: str, **extra) -> dict:
    _, start, end, label = key
    out = {"doc_id": doc["doc_id"], "start": start, "end": end, "label": label,
           "text": doc["text"][start:end], "context": _context(doc["text"], start, end), "error": kind}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def micro_over(spans: dict, labels: Iterable[str]) -> dict:
    """Micro P/R/F1 of a `score_spans` result restricted to some labels (e.g. the baseline's three)."""
    tp = sum(spans["per_label"][label]["tp"] for label in labels)
    fp = sum(spans["per_label"][label]["fp"] for label in labels)
    fn = sum(spans["per_label"][label]["fn"] for label in labels)
    return _prf(tp, fp, fn)


# ----------------------------------------------------------------------------------------- values

def score_values(gold_docs: list[dict], predictions, drop_ambiguous: bool = False) -> dict:
    """Accuracy of normalized values on exactly matched AMOUNT/YEAR/DATE spans.

    A matched mention without a row in "amounts"/"times" counts as wrong. Ambiguous gold spans are
    kept by default: the judgement call is about the span, and an exact match has a definite value.

    >>> gold = [{"doc_id": "d", "text": "5 tỷ USD", "entities": [{"start": 0, "end": 8,
    ...          "label": "AMOUNT", "value": 5e9, "currency": "USD"}]}]
    >>> mention = dict(mention_id="m", doc_id="d", start=0, end=8, label="AMOUNT")
    >>> tables = {"mentions": pd.DataFrame([mention]),
    ...           "amounts": pd.DataFrame([dict(mention_id="m", value=5e9, currency="USD", value_max=None)])}
    >>> score_values(gold, tables)["overall"]["accuracy"]
    1.0
    """
    values = {}
    for table in ("amounts", "times"):
        frame = predictions.get(table) if isinstance(predictions, Mapping) else None
        if isinstance(frame, pd.DataFrame) and len(frame):
            for row in frame.to_dict("records"):
                values.setdefault(row["mention_id"], {k: _clean(v) for k, v in row.items()})
    counts = {label: Counter() for label in VALUE_LABELS}
    wrong = []
    for doc, ent, row in _matched_mentions(gold_docs, predictions, VALUE_LABELS, drop_ambiguous):
        pred = values.get(row.get("mention_id"), {})
        gold_value, pred_value, ok = _compare_value(ent, pred)
        counts[ent["label"]]["n"] += 1
        counts[ent["label"]]["correct"] += ok
        if not ok:
            wrong.append({**_where(doc, ent), "gold": gold_value, "pred": pred_value})
    total = sum(counts.values(), Counter())
    acc = lambda c: {"n": c["n"], "correct": c["correct"],  # noqa: E731
                     "accuracy": c["correct"] / c["n"] if c["n"] else None}
    return {"per_label": {label: acc(c) for label, c in counts.items()}, "overall": acc(total),
            "wrong": sorted(wrong, key=lambda e: (e["label"], e["doc_id"], e["start"]))}


def _close(gold: float, pred) -> bool:
    try:
        return pred is not None and math.isclose(float(gold), float(pred), rel_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _compare_value(ent: dict, pred: dict) -> tuple[dict, dict, bool]:
    """(gold fields, predicted fields, equal?) for one matched value mention."""
    label = ent["label"]
    if label == "AMOUNT":
        gold = {"value": ent.get("value"), "currency": ent.get("currency")}
        got = {"value": pred.get("value"), "currency": pred.get("currency")}
        ok = _close(gold["value"], got["value"]) and gold["currency"] == got["currency"]
        if ent.get("value_max") is not None:  # only ranges are checked for their high end
            gold["value_max"], got["value_max"] = ent["value_max"], pred.get("value_max")
            ok = ok and _close(gold["value_max"], got["value_max"])
    elif label == "YEAR":
        gold = {"year_start": ent.get("year_start"), "year_end": ent.get("year_end")}
        got = {"year_start": _int_or_none(pred.get("year_start")),
               "year_end": _int_or_none(pred.get("year_end"))}
        ok = gold == got
    else:
        gold, got = {"date": ent.get("date")}, {"date": pred.get("date")}
        ok = isinstance(got["date"], str) and got["date"].strip() == gold["date"]
    return gold, got, bool(ok)


# ---------------------------------------------------------------------------------------- linking

def score_linking(gold_docs: list[dict], predictions, drop_ambiguous: bool = False) -> dict:
    """Pairwise linking P/R/F1 and canonical accuracy over exactly matched LEADER/PLACE/ORG/PROJECT.

    Pairs are taken corpus-wide: gold-linked = same label and same (normalized) gold canonical;
    predicted-linked = same `entity_id` (a missing entity_id links to nothing).

    >>> gold = [{"doc_id": "d", "text": "Viêng Chăn, Vientiane", "entities": [
    ...     {"start": 0, "end": 10, "label": "PLACE", "canonical": "Viêng Chăn"},
    ...     {"start": 12, "end": 21, "label": "PLACE", "canonical": "Viêng Chăn"}]}]
    >>> m = pd.DataFrame([dict(mention_id="a", doc_id="d", start=0, end=10, label="PLACE", entity_id="e1"),
    ...                   dict(mention_id="b", doc_id="d", start=12, end=21, label="PLACE", entity_id="e2")])
    >>> score_linking(gold, {"mentions": m})["pairwise"]["recall"]
    0.0
    """
    canonicals = {}
    entities = predictions.get("entities") if isinstance(predictions, Mapping) else None
    if isinstance(entities, pd.DataFrame) and len(entities):
        canonicals = dict(zip(entities["entity_id"], entities["canonical"]))
    items = []  # (label, gold key, predicted key)
    canon = {label: Counter() for label in LINK_LABELS}
    wrong = []
    matched = _matched_mentions(gold_docs, predictions, LINK_LABELS, drop_ambiguous)
    for i, (doc, ent, row) in enumerate(matched):
        gold_canonical = ent.get("canonical") or ent.get("text") or doc["text"][ent["start"]:ent["end"]]
        entity_id = _clean(row.get("entity_id"))
        # An unlinked mention is its own singleton cluster: a unique key can never pair up.
        items.append((ent["label"], (ent["label"], normalize_canonical(gold_canonical)),
                      entity_id if entity_id is not None else ("unlinked", i)))
        pred_canonical = _clean(canonicals.get(entity_id)) if entity_id is not None else None
        ok = (pred_canonical is not None
              and normalize_canonical(pred_canonical) == normalize_canonical(gold_canonical))
        canon[ent["label"]]["n"] += 1
        canon[ent["label"]]["correct"] += ok
        if not ok:
            wrong.append({**_where(doc, ent), "gold_canonical": gold_canonical,
                          "pred_canonical": pred_canonical, "entity_id": entity_id})
    total = sum(canon.values(), Counter())
    acc = lambda c: {"n": c["n"], "correct": c["correct"],  # noqa: E731
                     "accuracy": c["correct"] / c["n"] if c["n"] else None}
    return {
        "n_mentions": len(items),
        "pairwise": _pairwise(items),
        "pairwise_per_label": {label: _pairwise([it for it in items if it[0] == label])
                               for label in LINK_LABELS},
        "canonical": {"per_label": {label: acc(c) for label, c in canon.items()}, "overall": acc(total),
                      "wrong": sorted(wrong, key=lambda e: (e["label"], e["doc_id"], e["start"]))},
    }


def _pairwise(items: list[tuple]) -> dict:
    """Count linked pairs from cluster sizes instead of enumerating all n² pairs."""
    pairs = lambda counter: sum(n * (n - 1) // 2 for n in counter.values())  # noqa: E731
    gold_pairs = pairs(Counter(g for _, g, _ in items))
    pred_pairs = pairs(Counter(p for _, _, p in items))
    both = pairs(Counter((g, p) for _, g, p in items))
    out = _prf(both, pred_pairs - both, gold_pairs - both)
    return {"precision": out["precision"], "recall": out["recall"], "f1": out["f1"],
            "gold_pairs": gold_pairs, "pred_pairs": pred_pairs, "correct_pairs": both}


# --------------------------------------------------------------------------------------- baseline

def baseline_underthesea(gold_docs: list[dict]) -> dict[str, pd.DataFrame]:
    """underthesea's own `ner()` per sentence, as a {"mentions": frame} scorable like the pipeline.

    PER → LEADER, LOC → PLACE, ORG → ORG; MISC is dropped. Tokens are aligned back to the document
    text by base letters, because underthesea rewrites some tokens ("Hoà" → "Hòa").
    """
    from underthesea import ner, sent_tokenize

    from .segment import align

    rows = []
    for doc in gold_docs:
        text = doc["text"]
        for line in re.finditer(r"[^\r\n]+", text):
            if not line.group().strip():
                continue
            for s_start, s_end in align(line.group(), sent_tokenize(line.group())):
                s_start, s_end = line.start() + s_start, line.start() + s_end
                sentence = text[s_start:s_end]
                if not sentence.strip():
                    continue
                for start, end, label in _bio_spans(sentence, ner(sentence)):
                    rows.append({"mention_id": f"base:{doc['doc_id']}:{s_start + start}",
                                 "doc_id": doc["doc_id"], "start": s_start + start, "end": s_start + end,
                                 "text": text[s_start + start:s_start + end], "label": label,
                                 "source": "underthesea"})
    columns = ["mention_id", "doc_id", "start", "end", "text", "label", "source"]
    return {"mentions": pd.DataFrame(rows, columns=columns)}


def _bio_spans(sentence: str, tagged: list[tuple]) -> list[tuple[int, int, str]]:
    """BIO-tagged underthesea tokens → (start, end, label) spans within `sentence`."""
    from .segment import align

    spans, current = [], None  # current = [start, end, label]
    for (start, end), token in zip(align(sentence, [t[0] for t in tagged]), tagged):
        tag = token[-1]
        prefix, _, kind = tag.partition("-")
        label = _UNDERTHESEA_TYPES.get(kind)
        if end <= start or label is None:  # unaligned token or O/MISC closes the entity
            current = None
            continue
        # A stray I- after O or another type starts an entity rather than being lost.
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = end
        else:
            current = [start, end, label]
            spans.append(current)
    return [tuple(s) for s in spans]


# ------------------------------------------------------------------------------------ orchestration

def run_pipeline(documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The default `predict`: `pipeline.runner.run_documents`, imported only when evaluation runs."""
    from .runner import run_documents

    return run_documents(documents)


def documents_frame(gold_docs: list[dict]) -> pd.DataFrame:
    """The gold texts as the runner's `documents` input (offsets stay those of the gold file)."""
    rows = [{"doc_id": d["doc_id"], "text": d["text"],
             "date": dt.date.fromisoformat(d["date"][:10]) if d.get("date") else None,
             "source": "gold:" + d["doc_id"], "format": "jsonl",
             "sha256": hashlib.sha256(d["text"].encode("utf-8")).hexdigest(), "n_chars": len(d["text"])}
            for d in gold_docs]
    return pd.DataFrame(rows, columns=["doc_id", "text", "date", "source", "format", "sha256", "n_chars"])


def evaluate(gold_docs: list[dict], predict: Callable[[pd.DataFrame], Mapping] = run_pipeline,
             baseline: str | None = None, drop_ambiguous: bool = True, labels: Iterable[str] = LABELS,
             splits: Iterable[str] = ("all",), withhold_check_errors: bool = False) -> dict:
    """Run `predict` (and optionally a baseline) on the gold texts; return one JSON-serializable report.

    `labels` are the labels the gold annotates (the others' predictions are ignored). `splits` names
    the groups scored side by side in `report["by_split"]` ("tune", "check" or "all"), each also per
    domain. With `withhold_check_errors`, the error lists keep only the documents outside the check
    split, so that neither the printed report nor its JSON shows a check error.

    >>> gold = [{"doc_id": "d", "date": None, "text": "Lào",
    ...          "entities": [{"start": 0, "end": 3, "label": "PLACE"}]}]
    >>> fake = lambda docs: {"mentions": pd.DataFrame([dict(doc_id="d", start=0, end=3, label="PLACE")])}
    >>> evaluate(gold, predict=fake)["pipeline"]["spans"]["micro"]["f1"]
    1.0
    """
    if baseline not in (None, "underthesea"):
        raise ValueError(f"unknown baseline {baseline!r}; the only one is 'underthesea'")
    repeated = [k for k, n in Counter(d["doc_id"] for d in gold_docs).items() if n > 1]
    if repeated:  # several gold files are concatenated: a shared doc_id would merge two documents
        raise ValueError(f"duplicate gold doc_id(s): {', '.join(map(repr, repeated[:5]))}")
    labels = tuple(label for label in LABELS if label in set(labels))
    started = time.perf_counter()
    tables = predict(documents_frame(gold_docs))
    elapsed = time.perf_counter() - started
    spans = score_spans(gold_docs, tables, drop_ambiguous=drop_ambiguous, labels=labels)
    has_canonicals = any("canonical" in e for d in gold_docs for e in d["entities"])
    report = {
        "n_docs": len(gold_docs),
        "labels": list(labels),
        "n_gold_entities": sum(len(d["entities"]) for d in gold_docs),
        "gold_per_label": dict(Counter(e["label"] for d in gold_docs for e in d["entities"])),
        "drop_ambiguous": drop_ambiguous,
        "pipeline": {
            "elapsed_s": elapsed,
            "n_mentions": len(_mentions_frame(tables)),
            "spans": spans,
            "values": score_values(gold_docs, tables),
            # Linking needs gold canonicals; VLSP has none (its canonical would be the span text).
            "linking": score_linking(gold_docs, tables) if has_canonicals else None,
        },
        "baseline": None,
    }
    base_tables = None
    if baseline == "underthesea":
        started = time.perf_counter()
        base_tables = baseline_underthesea(gold_docs)
        base_elapsed = time.perf_counter() - started
        base_spans = score_spans(gold_docs, base_tables, drop_ambiguous=drop_ambiguous, labels=labels)
        report["baseline"] = {
            "name": baseline, "labels": list(BASELINE_LABELS), "elapsed_s": base_elapsed,
            "n_mentions": len(base_tables["mentions"]), "spans": base_spans,
            # The baseline cannot produce 4 of the 7 labels: compare on the shared three as well.
            "micro_shared": micro_over(base_spans, BASELINE_LABELS),
        }
        report["pipeline"]["micro_shared"] = micro_over(spans, BASELINE_LABELS)
    report["by_split"] = {
        split: summarize(select_split(gold_docs, split), tables, base_tables, labels, drop_ambiguous)
        for split in splits}
    if withhold_check_errors:
        report["n_check_docs_errors_withheld"] = _withhold_errors(report, select_split(gold_docs, "check"))
    return json.loads(json.dumps(report, default=_clean))  # proves serializability; plain types out


def summarize(gold_docs: list[dict], tables: Mapping, base_tables: Mapping | None,
              labels: Iterable[str], drop_ambiguous: bool = True) -> dict:
    """Scores only (no error lists) of some documents, overall and per domain, pipeline and baseline.

    >>> gold = [{"doc_id": "a", "domain": "The thao", "text": "Huế", "entities": [
    ...     {"start": 0, "end": 3, "label": "PLACE"}]}]
    >>> s = summarize(gold, {"a": [(0, 3, "PLACE")]}, None, ["PLACE"])
    >>> s["pipeline"]["by_domain"]["The thao"]["micro"]["f1"], s["baseline"]
    (1.0, None)
    """
    by_domain = defaultdict(list)
    for doc in gold_docs:
        by_domain[doc.get("domain") or ""].append(doc)

    def scores(predictions) -> dict:
        mentions = _mentions_frame(predictions)
        ids = {d["doc_id"] for d in gold_docs}
        mentions = mentions[mentions["doc_id"].isin(ids)] if len(mentions) else mentions

        def brief(docs):
            s = score_spans(docs, mentions, drop_ambiguous=drop_ambiguous, labels=labels)
            return {"n_docs": len(docs), "micro": s["micro"], "per_label": s["per_label"]}

        out = brief(gold_docs)
        out["by_domain"] = {domain: brief(docs) for domain, docs in sorted(by_domain.items())}
        return out

    return {"n_docs": len(gold_docs), "pipeline": scores(tables),
            "baseline": scores(base_tables) if base_tables is not None else None}


def _withhold_errors(report: dict, check_docs: list[dict]) -> int:
    """Drop every error of the check documents from the report; return how many documents that is."""
    withheld = {d["doc_id"] for d in check_docs}
    keep = lambda errors: [e for e in errors if e["doc_id"] not in withheld]  # noqa: E731
    for system in (report["pipeline"], report.get("baseline")):
        if not system:
            continue
        system["spans"]["false_positives"] = keep(system["spans"]["false_positives"])
        system["spans"]["misses"] = keep(system["spans"]["misses"])
        if "values" in system:
            system["values"]["wrong"] = keep(system["values"]["wrong"])
        if system.get("linking"):
            system["linking"]["canonical"]["wrong"] = keep(system["linking"]["canonical"]["wrong"])
    return len(withheld)


# ----------------------------------------------------------------------------------------- report

def _f(x) -> str:
    return "    -" if x is None else f"{x:5.3f}"


def format_report(report: dict, errors: bool = False) -> str:
    """The report as plain-text tables; `errors=True` appends every FP, miss and wrong value."""
    pipe, base = report["pipeline"], report.get("baseline")
    spans = pipe["spans"]
    out = []
    dropped = (f"; {spans['n_ambiguous_gold_dropped']} ambiguous gold dropped with "
               f"{spans['n_predictions_dropped']} overlapping predictions" if spans["drop_ambiguous"] else "")
    out.append(f"Spans, strict (exact start, end and label) — {report['n_docs']} docs{dropped}")
    head = f"{'label':<9} {'gold':>5} {'pred':>5}  {'P':>5}  {'R':>5}  {'F1':>5}"
    if base:
        head += f"  | {'base P':>6} {'base R':>6} {'base F1':>7} {'pred':>5}"
    out.append(head)
    out.append("-" * len(head))

    def row(name: str, m: dict, b: dict | None) -> str:
        line = (f"{name:<9} {m['support']:>5} {m['predicted']:>5}  "
                f"{_f(m['precision'])}  {_f(m['recall'])}  {_f(m['f1'])}")
        if base:
            line += (f"  |  {_f(b['precision'])}  {_f(b['recall'])}   {_f(b['f1'])} {b['predicted']:>5}"
                     if b else "  |")
        return line

    scored = list(spans["per_label"])
    for label in scored:
        out.append(row(label, spans["per_label"][label], base["spans"]["per_label"][label] if base else None))
    out.append("-" * len(head))
    if base and scored != list(BASELINE_LABELS):
        out.append(row("micro3", pipe["micro_shared"], base["micro_shared"]) + "   (LEADER+PLACE+ORG)")
    out.append(row("micro", spans["micro"], base["spans"]["micro"] if base else None))
    timing = f"pipeline {pipe['elapsed_s']:.1f} s"
    if base:
        timing += f", baseline ({base['name']}) {base['elapsed_s']:.1f} s"
    out.append(f"TP {spans['tp']}  FP {spans['fp']}  FN {spans['fn']}   {timing}")
    notes = []
    if spans["n_text_mismatch"]:
        notes.append(f"{spans['n_text_mismatch']} predicted mentions whose text != document slice")
    if spans["n_duplicate_predictions"]:
        notes.append(f"{spans['n_duplicate_predictions']} duplicate predictions ignored")
    if spans["other_labels"]:
        notes.append("predictions with labels this gold does not annotate, ignored: "
                     + ", ".join(f"{k} {v}" for k, v in spans["other_labels"].items()))
    if spans["unknown_docs"]:
        notes.append(f"{sum(spans['unknown_docs'].values())} predictions in docs not in gold")
    out += [f"note: {n}" for n in notes]

    values = pipe["values"]
    if set(VALUE_LABELS) & set(scored):
        out.append("")
        out.append("Values (exactly matched spans whose normalized value is right)")
        for label in VALUE_LABELS + ("overall",):
            v = values["overall"] if label == "overall" else values["per_label"][label]
            out.append(f"  {label:<8} {v['correct']:>4}/{v['n']:<4} {_f(v['accuracy'])}")

    link = pipe["linking"]
    if link:
        out += _linking_lines(link)
    out += _split_lines(report)

    out.append("")
    out.append("Label confusion (exact span, wrong label): rows gold, columns predicted")
    if spans["confusion"]:
        cols = [label for label in scored if any(label in r for r in spans["confusion"].values())]
        out.append(f"  {'':<9}" + "".join(f"{c:>9}" for c in cols))
        for g in scored:
            if g in spans["confusion"]:
                cells = (spans["confusion"][g].get(c, 0) or "." for c in cols)
                out.append(f"  {g:<9}" + "".join(f"{cell:>9}" for cell in cells))
    else:
        out.append("  (none)")
    be = spans["boundary_errors"]
    out.append("Boundary errors (same label, overlapping, different span): "
               + (", ".join(f"{k} {v}" for k, v in be.items()) if be else "none"))

    if errors:
        out.append("")
        out.append("Errors (FP = predicted, not in gold; FN = gold, not predicted)")
        if report.get("n_check_docs_errors_withheld"):
            withheld = report["n_check_docs_errors_withheld"]
            out.append(f"  (only the tune split's: the errors of the {withheld} check documents are "
                       "withheld, never to be read)")
        if not spans["false_positives"] and not spans["misses"]:
            out.append("  (none)")
        by_rule = Counter((e["label"], e.get("rule", "?")) for e in spans["false_positives"])
        if by_rule:
            out.append("False positives by rule (mentions.source): "
                       + ", ".join(f"{label} {rule} {n}" for (label, rule), n in by_rule.most_common()))
        for label in scored:
            fps = [e for e in spans["false_positives"] if e["label"] == label]
            fns = [e for e in spans["misses"] if e["label"] == label]
            if not fps and not fns:
                continue
            out.append(f"== {label}: {len(fps)} FP, {len(fns)} FN")
            for tag, items in (("FP", fps), ("FN", fns)):
                for e in items:
                    why = e["error"] + (f" gold {e['gold_label']}" if "gold_label" in e else "") \
                        + (f" as {e['pred_label']}" if "pred_label" in e else "")
                    rule = f" [{e['rule']}]" if "rule" in e else ""
                    out.append(f"  {tag} {e['doc_id']} [{e['start']}:{e['end']}] \"{e['text']}\" ({why}){rule}"
                               f"   {e['context']}")
        if values["wrong"]:
            out.append("== wrong values")
            for e in values["wrong"]:
                out.append(f"  {e['label']} {e['doc_id']} [{e['start']}:{e['end']}] \"{e['text']}\"  "
                           f"gold {_kv(e['gold'])}  pred {_kv(e['pred'])}")
        if link and link["canonical"]["wrong"]:
            out.append("== wrong canonicals")
            for e in link["canonical"]["wrong"]:
                pred = "none" if e["pred_canonical"] is None else f"\"{e['pred_canonical']}\""
                out.append(f"  {e['label']} {e['doc_id']} [{e['start']}:{e['end']}] \"{e['text']}\"  "
                           f"gold \"{e['gold_canonical']}\"  pred {pred}")

    # Repeat the headline last so `tail` always shows it, even after long error lists.
    m = spans["micro"]
    final = f"micro P {_f(m['precision'])} R {_f(m['recall'])} F1 {_f(m['f1'])}"
    if base:
        final += f"   | baseline F1 {_f(base['spans']['micro']['f1'])} (on LEADER+PLACE+ORG: " \
                 f"pipeline {_f(pipe['micro_shared']['f1'])}, baseline {_f(base['micro_shared']['f1'])})"
    drift = _drift(report)
    if drift:
        final += f"\n{drift}"
    out.append("")
    out.append(final)
    return "\n".join(out)


def _linking_lines(link: dict) -> list[str]:
    pw, canon = link["pairwise"], link["canonical"]
    out = ["", f"Linking (pairwise, corpus-wide, over {link['n_mentions']} matched "
               "LEADER/PLACE/ORG/PROJECT mentions)"]
    out.append(f"  P {_f(pw['precision'])}  R {_f(pw['recall'])}  F1 {_f(pw['f1'])}   "
               f"(gold pairs {pw['gold_pairs']}, predicted {pw['pred_pairs']}, "
               f"correct {pw['correct_pairs']})")
    for label in LINK_LABELS:
        p = link["pairwise_per_label"][label]
        c = canon["per_label"][label]
        out.append(f"  {label:<8} P {_f(p['precision'])}  R {_f(p['recall'])}  F1 {_f(p['f1'])}   "
                   f"canonical {c['correct']:>3}/{c['n']:<3} {_f(c['accuracy'])}")
    c = canon["overall"]
    out.append(f"  canonical accuracy {c['correct']}/{c['n']} {_f(c['accuracy'])}")
    return out


DRIFT_TOLERANCE = 0.03  # check this far below tune on micro F1: the last change memorized


def _drift(report: dict) -> str | None:
    """A warning line when the check split's micro F1 is more than DRIFT_TOLERANCE below tune's."""
    splits = report.get("by_split") or {}
    if "tune" not in splits or "check" not in splits:
        return None
    tune = splits["tune"]["pipeline"]["micro"]["f1"]
    check = splits["check"]["pipeline"]["micro"]["f1"]
    if tune is None or check is None or tune - check <= DRIFT_TOLERANCE:
        return None
    return (f"WARNING: check micro F1 {check:.3f} is {tune - check:.3f} below tune {tune:.3f} "
            f"(more than {DRIFT_TOLERANCE}): the last change memorized instead of generalizing")


def _split_lines(report: dict) -> list[str]:
    """Micro and per-label F1, then micro F1 per domain, one column pair (pipeline, baseline) per split.

    Shown when there is something to compare: several splits, or several domains.
    """
    splits = report.get("by_split") or {}
    if not splits:
        return []
    domains = sorted({d for s in splits.values() for d in s["pipeline"]["by_domain"]})
    if len(splits) < 2 and len(domains) < 2:
        return []
    has_base = any(s["baseline"] for s in splits.values())
    cell_width = 11 + (8 if has_base else 0)  # "docs F1" or "docs F1 | base F1"
    labels = report.get("labels") or list(LABELS)
    out = ["", "Strict span F1 by split and domain (docs, pipeline F1"
           + (" | underthesea F1)" if has_base else ")")]
    out.append(f"{'':<20}" + "".join(f"  {name:>{cell_width}}" for name in splits))

    def cells(pick) -> str:
        line = ""
        for s in splits.values():
            pipe = pick(s["pipeline"])
            base = pick(s["baseline"]) if s["baseline"] else None
            if pipe is None:
                docs = "   -"  # no document of this domain in this split
            else:
                docs = f"{pipe['n_docs']:>4}" if "n_docs" in pipe else "    "
            text = f"{docs} {_f(pipe['f1'] if pipe else None)}"
            if has_base:
                text += " | " + _f(base["f1"] if base else None)
            line += f"  {text:>{cell_width}}"
        return line

    out.append(f"{'micro':<20}" + cells(lambda sys: {"n_docs": sys["n_docs"], **sys["micro"]}))
    for label in labels:
        out.append(f"  {label:<18}" + cells(lambda sys, label=label: sys["per_label"].get(label)))
    for domain in domains:
        def pick(sys, domain=domain):
            d = sys["by_domain"].get(domain)
            return {"n_docs": d["n_docs"], **d["micro"]} if d else None
        out.append(f"{(domain or '(none)')[:19]:<20}" + cells(pick))
    drift = _drift(report)
    if drift:
        out.append(drift)
    return out


def _kv(values: dict) -> str:
    return " ".join(f"{k}={'none' if v is None else v}" for k, v in values.items())

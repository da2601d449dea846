"""underthesea's CRF word segmenter and POS tagger, run from their model files without feature strings.

underthesea_core builds 43 feature strings per syllable in Rust ("T[-1,0].lower=hà nội"), hands them
to Python, and the tagger hashes them back to weights: that is about 80% of `word_tokenize`. Here each
feature template keeps a table from the feature's value to its weights, so a syllable costs a few dict
lookups on strings that already exist, and the weights are summed with numpy for a whole batch.

Nothing is approximated. The features follow `underthesea_core/src/featurizers.rs` (version 3.3.2)
rule for rule, the weights come from the same CRFsuite file, they are added in the same order and the
Viterbi search breaks ties the same way, so the labels are the ones underthesea gives.
tests/test_crf.py compares the two on real text and on random tokens.
"""
from __future__ import annotations

import operator
import re
import struct
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np

_TEMPLATE = re.compile(r"T\[(?P<first>-?\d+)(,(?P<last>-?\d+))?](\[(?P<column>.*)])?(\.(?P<function>.*))?")
_I32 = re.compile(r"[+-]?[0-9]+")
_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1
_MIN_WEIGHT = 1e-10  # underthesea_core drops smaller state weights when it loads a model


class Template(NamedTuple):
    """One feature template: "T[-1,0].lower" reads tokens -1..0 around a position, lowercased."""

    syntax: str
    first: int
    width: int
    function: str | None

    @classmethod
    def parse(cls, syntax: str) -> "Template":
        match = _TEMPLATE.match(syntax)
        if match is None or (match["column"] or "0") != "0":
            raise ValueError(f"unsupported CRF feature template {syntax!r}")
        first = int(match["first"])
        last = first if match["last"] is None else int(match["last"])
        return cls(syntax, first, last - first + 1, match["function"])


def is_title(text: str) -> str:
    """Rust's test: every space-separated part starts with a character that uppercasing leaves alone.

    >>> is_title("Hà Nội"), is_title("Hà nội"), is_title("5G")
    ('True', 'False', 'True')
    """
    for part in text.split(" "):
        first = part[:1]
        if first != first.upper():
            return "False"
    return "True"


def is_digit(text: str) -> str:
    """Rust's `text.parse::<i32>().is_ok()`: an optional sign and ASCII digits that fit in 32 bits.

    >>> is_digit("2024"), is_digit("-7"), is_digit("12/12"), is_digit("9999999999")
    ('True', 'True', 'False', 'False')
    """
    return "True" if _I32.fullmatch(text) and _I32_MIN <= int(text) <= _I32_MAX else "False"


class CRFModel(NamedTuple):
    """A CRFsuite model as underthesea_core reads it: labels, attribute ids, dense weights."""

    labels: list[str]
    attributes: dict[str, int]
    state: np.ndarray        # (attributes + 1, labels); the last row is zeros, for unknown features
    transitions: np.ndarray  # (labels, labels), from → to


def read_crfsuite(path: Path) -> CRFModel:
    """Parse a CRFsuite model file ("lCRF"), keeping underthesea_core's reading of it."""
    data = Path(path).read_bytes()
    if data[:4] != b"lCRF":
        raise ValueError(f"{path}: not a CRFsuite model")
    _n_features, n_labels, n_attrs, off_features, off_labels, off_attrs = struct.unpack_from("<6I", data, 16)
    labels = list(dict.fromkeys(_cqdb_strings(data, off_labels, n_labels)))
    attributes: dict[str, int] = {}
    for name in _cqdb_strings(data, off_attrs, n_attrs):
        attributes.setdefault(name, len(attributes))
    if data[off_features:off_features + 4] != b"FEAT":
        raise ValueError(f"{path}: no feature chunk")
    count = struct.unpack_from("<I", data, off_features + 8)[0]
    records = np.frombuffer(data, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
                            count=count, offset=off_features + 12)
    n = len(labels)
    state = np.zeros((len(attributes) + 1, n))
    transitions = np.zeros((n, n))
    kind, src, dst, weight = (records[f].astype(np.int64 if f != "w" else np.float64) for f in ("type", "src", "dst", "w"))
    for table, wanted, rows in ((state, 0, len(attributes)), (transitions, 1, n)):
        keep = np.flatnonzero((kind == wanted) & (src < rows) & (dst < n))
        # Records apply in file order, as the Rust loader does: a repeated pair keeps its last weight.
        cells = src[keep] * n + dst[keep]
        _, last_reversed = np.unique(cells[::-1], return_index=True)
        keep = keep[len(keep) - 1 - last_reversed]
        values = weight[keep]
        if wanted == 0:
            values = np.where(np.abs(values) > _MIN_WEIGHT, values, 0.0)
        table[src[keep], dst[keep]] = values
    return CRFModel(labels, attributes, state, transitions)


def _cqdb_strings(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB table in id order, through its backward links."""
    if data[offset:offset + 4] != b"CQDB":
        raise ValueError("not a CQDB table")
    bwd_size, bwd_offset = struct.unpack_from("<2I", data, offset + 16)
    links = struct.unpack_from(f"<{min(count, bwd_size)}I", data, offset + bwd_offset)
    strings = []
    for link in links:
        if link == 0:
            continue
        size = struct.unpack_from("<I", data, offset + link + 4)[0]
        key = data[offset + link + 8:offset + link + 8 + size].split(b"\0", 1)[0]
        strings.append(key.decode("utf-8", errors="replace"))
    return strings


def _load_pickle(path: Path):
    """An underthesea model file written by `joblib.dump`: a plain pickle when it holds no array, which the C
    unpickler reads 4× faster than joblib's pure-Python one; joblib reads any other."""
    import pickle

    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except Exception:  # noqa: BLE001 -- compressed, or numpy arrays joblib wrote apart: joblib knows
        import joblib

        return joblib.load(path)


class CRFTagger:
    """Tags token sequences with an underthesea CRF model directory (models.bin, features.bin, dictionary.bin).

    >>> from underthesea.pipeline import word_tokenize as ws  # doctest: +SKIP
    >>> CRFTagger(Path(ws.__file__).parent / "models/ws_crf_vlsp2013_20230727").tag_many([["Hà", "Nội"]])  # doctest: +SKIP
    [['B-W', 'I-W']]
    """

    def __init__(self, model_dir: Path):
        model_dir = Path(model_dir)
        self.model = read_crfsuite(model_dir / "models.bin")
        self.templates = [Template.parse(t) for t in _load_pickle(model_dir / "features.bin")]
        dictionary = _load_pickle(model_dir / "dictionary.bin")
        self._dictionary = dictionary
        self._shapes: dict[str, tuple[str, str]] = {}  # token → (istitle, isdigit), bounded below
        missing = {t.function for t in self.templates} - {None, "lower", "isdigit", "istitle", "is_in_dict"}
        if missing:
            raise ValueError(f"{model_dir}: unsupported CRF feature functions {sorted(missing)}")
        self._groups = _value_groups(self.templates, self.model.attributes)

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        """Labels of each token of each sentence; a whole batch is weighted and decoded at once."""
        lengths = np.array([len(s) for s in sentences], dtype=np.intp)
        if not lengths.sum():
            return [[] for _ in sentences]
        emissions = self._emissions(sentences, lengths)
        paths = _viterbi(emissions, lengths, self.model.transitions)
        names = self.model.labels
        return [[names[i] for i in path] for path in paths]

    def _emissions(self, sentences: list[list[str]], lengths: np.ndarray) -> np.ndarray:
        """State scores of every token of the batch, (tokens, labels), summed in template order.

        The feature values are read off the whole batch as one token list, a window per token; a template at
        offset k of token j of a sentence of n tokens reads the window starting at j + k when it lies inside the
        sentence, BOS before it and EOS past it, exactly as the Rust featurizer decides."""
        flat = [token for tokens in sentences for token in tokens]
        kept = lengths[lengths > 0]
        total = len(flat)
        local = np.arange(total) - np.repeat(np.cumsum(kept) - kept, kept)  # index of each token in its sentence
        size = np.repeat(kept, kept)
        # One-token features are looked up once per distinct token: news repeats a small vocabulary.
        index: dict[str, int] = {}
        token_ids = np.array([index.setdefault(token, len(index)) for token in flat], dtype=np.intp)
        values, distinct = _WindowValues(flat, self._dictionary, self._shape), None
        found = {}
        for key, group in self._groups.items():
            if key[0] == 1:
                distinct = distinct or _WindowValues(list(index), self._dictionary, self._shape)
                rows = np.array(list(map(group.rows.get, distinct.get(*key), repeat(_UNKNOWN))), dtype=np.intp)
                found[key] = rows[token_ids] if len(rows) else rows
            else:
                found[key] = np.array(list(map(group.rows.get, values.get(*key), repeat(_UNKNOWN))), dtype=np.intp)
        state, emissions, windows = self.model.state, None, {}
        for template in self.templates:
            key = (template.width, template.function)
            group = self._groups[key]
            if (template.first, template.width) not in windows:  # BOS/EOS cells and inner windows, per offset
                start = local + template.first
                inside = np.flatnonzero((start >= 0) & (start + template.width <= size))
                windows[template.first, template.width] = np.where(start < 0, _BOS, _EOS), inside
            rows, inside = windows[template.first, template.width]
            rows = rows.copy()
            rows[inside] = found[key][inside + template.first]
            attributes = group.columns[group.slot[template.syntax]][rows]
            if emissions is None:
                emissions = state[attributes]  # a copy: sums start from the first weight, as Rust's do
            else:
                emissions += state[attributes]
        return emissions

    def _shape(self, token: str) -> tuple[str, str]:
        shape = self._shapes.get(token)
        if shape is None:
            if len(self._shapes) > 200_000:
                self._shapes.clear()
            shape = self._shapes[token] = (is_title(token), is_digit(token))
        return shape


class _WindowValues:
    """The value each feature function gives each window of a token list, computed once per width."""

    def __init__(self, tokens: list[str], dictionary: set[str], shape):
        self.tokens, self.dictionary = tokens, dictionary
        self.shapes = list(map(shape, tokens))
        self._texts: dict[int, list[str]] = {1: tokens}
        self._lowered: dict[int, list[str]] = {}

    def text(self, width: int) -> list[str]:
        if width not in self._texts:
            tokens = self.tokens  # the windows of `width` tokens, joined by spaces
            self._texts[width] = list(map(" ".join, zip(*(tokens[k:] for k in range(width)))))
        return self._texts[width]

    def lower(self, width: int) -> list[str]:
        if width not in self._lowered:
            self._lowered[width] = list(map(str.lower, self.text(width)))
        return self._lowered[width]

    def get(self, width: int, function: str | None) -> list[str]:
        if function is None:
            return self.text(width)
        if function == "lower":
            return self.lower(width)
        if function == "is_in_dict":
            return list(map(_SPELLED.__getitem__, map(self.dictionary.__contains__, self.lower(width))))
        if function == "istitle":
            # A window is a title when each of its tokens is: Rust splits the joined text on spaces.
            titles = [title == "True" for title, _ in self.shapes]
            windows = titles
            for k in range(1, width):
                windows = list(map(operator.and_, windows, titles[k:]))
            return list(map(_SPELLED.__getitem__, windows))
        if width == 1:  # isdigit
            return [digit for _, digit in self.shapes]
        return [is_digit(t) for t in self.text(width)]


_SPELLED = {True: "True", False: "False"}  # a feature value as the Rust featurizer spells it
_UNKNOWN, _BOS, _EOS = 0, 1, 2  # the first rows of every value table


class _ValueGroup(NamedTuple):
    """Templates that read the same value ("T[-1]", "T[0]", "T[1]" all read one token).

    `rows` maps a value to a row; `columns[slot[template]][row]` is that template's attribute id.
    """

    rows: dict[str, int]
    slot: dict[str, int]
    columns: list[np.ndarray]  # one array of attribute ids per template of the group, indexed by row


def _value_groups(templates: list[Template], attributes: dict[str, int]) -> dict[tuple, _ValueGroup]:
    """The model's attributes regrouped by what they read: "T[-1]=Nội" is value "Nội", slot "T[-1]"."""
    unknown = len(attributes)  # the zero row of the state weights
    members: dict[tuple, list[str]] = {}
    where: dict[str, tuple[tuple, int]] = {}
    for template in templates:
        names = members.setdefault((template.width, template.function), [])
        where[template.syntax] = ((template.width, template.function), len(names))
        names.append(template.syntax)
    rows: dict[tuple, dict[str, int]] = {key: {} for key in members}
    tables = {key: [[unknown] * len(names) for _ in range(3)] for key, names in members.items()}
    for name, attribute in attributes.items():
        syntax, _, value = name.partition("=")  # a template's syntax has no "="; a value may
        if syntax not in where:
            continue
        key, slot = where[syntax]
        table = tables[key]
        if value in ("BOS", "EOS"):  # a token spelled "BOS" reads the same attribute, as in Rust
            table[_BOS if value == "BOS" else _EOS][slot] = attribute
        row = rows[key].get(value)
        if row is None:
            row = rows[key][value] = len(table)
            table.append([unknown] * len(members[key]))
        table[row][slot] = attribute
    out = {}
    for key, names in members.items():
        ids = np.array(tables[key], dtype=np.intp)
        out[key] = _ValueGroup(rows[key], {syntax: slot for slot, syntax in enumerate(names)},
                               [np.ascontiguousarray(ids[:, slot]) for slot in range(len(names))])
    return out


def _viterbi(emissions: np.ndarray, lengths: np.ndarray, transitions: np.ndarray) -> list[list[int]]:
    """Best label path of every sentence at once, stepping through positions with the longest sentences
    first. Each score is the same sum of the same two numbers as in underthesea_core, and the first best
    previous label wins a tie, as there."""
    n_labels = transitions.shape[0]
    order = np.argsort(-lengths, kind="stable")
    order = order[lengths[order] > 0]
    sorted_lengths = lengths[order]
    longest = int(sorted_lengths[0])
    first_token = (np.cumsum(lengths) - lengths)[order]
    # active[t]: how many sentences, the longest first, still have a token at position t
    active = np.searchsorted(-sorted_lengths, -np.arange(longest + 1), side="left")
    back = np.zeros((longest, len(order), n_labels), dtype=np.uint8 if n_labels < 256 else np.intp)
    final = np.zeros((len(order), n_labels))
    score = emissions[first_token]
    final[active[1]:] = score[active[1]:]
    into = np.ascontiguousarray(transitions.T)  # [to, from]: the best previous label is a contiguous reduction
    for t in range(1, longest):
        k = active[t]
        candidates = score[:k, None, :] + into
        best = candidates.argmax(axis=2)
        back[t, :k] = best
        score = np.take_along_axis(candidates, best[:, :, None], axis=2)[:, :, 0] + emissions[first_token[:k] + t]
        final[active[t + 1]:k] = score[active[t + 1]:k]
    path = np.zeros((len(order), longest), dtype=np.intp)
    current = np.zeros(len(order), dtype=np.intp)
    for t in range(longest - 1, -1, -1):
        ending, going_on = active[t], active[t + 1] if t + 1 < longest else 0
        current[going_on:ending] = final[going_on:ending].argmax(axis=1)
        if going_on:
            current[:going_on] = back[t + 1, np.arange(going_on), current[:going_on]]
        path[:ending, t] = current[:ending]
    paths: list[list[int]] = [[] for _ in lengths]
    for row, sentence in enumerate(order.tolist()):
        paths[sentence] = path[row, :lengths[sentence]].tolist()
    return paths

"""The spaCy side of the pipeline: `make_nlp()` is the one place it is assembled."""
from __future__ import annotations

import functools

PIPES = ("vi_values", "vi_entity_rules", "vi_ents")


def import_spacy():
    """spaCy, imported without its command line: `spacy/__init__` imports `spacy.cli` for `spacy.info` alone, and
    with it typer, weasel, httpx, requests and jinja2, 0.17 s of every process's start. `spacy.info` still works
    (it imports the real one when called), and a later `import spacy.cli` gets the real package, as usual.

    >>> import_spacy().__name__
    'spacy'
    """
    import sys
    import types

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli, cli_info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.info = cli_info
    cli_info.info = info
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": cli_info})
    try:
        import spacy
    finally:
        for name in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(name) in (cli, cli_info):
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli  # `spacy.cli` then imports the real package on first use
    return spacy


@functools.cache
def make_nlp():
    """The Vietnamese spaCy pipeline, built once per process.

    >>> doc = make_nlp()("Tổng Bí thư Tô Lâm thăm Lào.")
    >>> [(doc.text[m.start:m.end], m.label) for m in doc._.mentions]
    [('Tô Lâm', 'LEADER'), ('Lào', 'PLACE')]
    """
    spacy = import_spacy()

    from . import components  # noqa: F401  (registers the factories)
    from .tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def to_displacy(doc) -> dict:
    """displaCy's manual format from the exact mentions (`doc.ents` must snap to underthesea words).

    >>> from spacy import displacy
    >>> data = to_displacy(make_nlp()("Tổng Bí thư Tô Lâm lựa chọn Lào."))
    >>> [data["text"][e["start"]:e["end"]] for e in data["ents"]]
    ['Tô Lâm', 'Lào']
    >>> "Tô Lâm" in displacy.render(data, style="ent", manual=True)
    True
    """
    return {"text": doc.text, "title": doc._.doc_id,
            "ents": [{"start": m.start, "end": m.end, "label": m.label} for m in doc._.mentions or []]}

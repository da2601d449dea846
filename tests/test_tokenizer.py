from conftest import fresh_python
from spacy.vocab import Vocab

from pipeline.nlp import make_nlp
from pipeline.nlp.tokenizer import doc_from_spans


def test_registered_tokenizer_is_lossless_and_keeps_underthesea_words():
    nlp = make_nlp()
    text = "Tổng Bí thư  Tô Lâm\tthăm Lào, tỉnh Hoà Bình."
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert "Tô Lâm" in [t.text for t in doc]
    assert "Hoà Bình" in [t.text for t in doc], "original characters, not underthesea's rewrite"


def test_doc_from_spans_keeps_gaps_and_tags():
    doc = doc_from_spans(Vocab(), "Lào  (Viêng Chăn)", [(0, 3), (6, 16)], ["Np", "Np"])
    assert doc.text == "Lào  (Viêng Chăn)"
    assert [(t.text, t.tag_) for t in doc] == [("Lào", "Np"), (" ", "_SP"), ("(", "CH"), ("Viêng Chăn", "Np"),
                                               (")", "CH")]
    assert doc[0].pos_ == "PROPN"


def test_pipeline_assembles_the_entity_components():
    assert make_nlp().pipe_names == ["vi_values", "vi_entity_rules", "vi_ents"]


def test_the_pipeline_imports_spacy_without_its_command_line_which_still_works_when_asked_for():
    probe = ("import sys; from pipeline.nlp import make_nlp; doc = make_nlp()('Tổng Bí thư Tô Lâm thăm Lào.'); "
             "print([m.label for m in doc._.mentions], any(m.startswith(('spacy.cli', 'typer')) for m in sys.modules)); "
             "import spacy; print(spacy.info()['spacy_version'] == spacy.__version__); "
             "import spacy.cli; print(callable(spacy.cli.setup_cli))")
    assert fresh_python(probe) == ["['LEADER', 'PLACE'] False", "True", "True"]

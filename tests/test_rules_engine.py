"""The rule engine's structure: the registry agrees with rules.tsv, candidates carry their rule_id,
and the resolver picks by weight, then length, then head, on hand-made candidates."""
from __future__ import annotations

import inspect

from pipeline import lexicons
from pipeline.nlp.rules import RECOGNIZERS, Candidate, Mention, Sentence, candidates, resolve, rule_weights
from pipeline.nlp.rules.engine import RESOLVER_SCOPES, SCOPES


def test_every_recognizer_has_one_row_with_its_family_and_scope():
    rows = [r for r in lexicons.table("rules.tsv") if r["scope"] in SCOPES]
    assert sorted(r["rule_id"] for r in rows) == sorted(RECOGNIZERS)
    for r in rows:
        rec = RECOGNIZERS[r["rule_id"]]
        assert (rec.family, rec.scope) == (r["family"], r["scope"]), r["rule_id"]
        assert r["weight"].isdigit(), r["rule_id"]
        params = list(inspect.signature(rec.run).parameters)
        assert params == (["s"] if rec.scope == "sentence" else ["s", "i"]), r["rule_id"]
    assert {r["scope"] for r in lexicons.table("rules.tsv")} <= set(SCOPES) | set(RESOLVER_SCOPES)
    assert {rec.family for rec in RECOGNIZERS.values()} == {"person", "place", "org", "project"}


def test_recognizers_do_not_call_other_families():
    """Each family module imports only the engine, the sentence layer, shapes and words."""
    for rec in RECOGNIZERS.values():
        module = inspect.getmodule(rec.run)
        imported = {v.__module__ for v in vars(module).values() if callable(v) and hasattr(v, "__module__")}
        families = {f"pipeline.nlp.rules.{f}" for f in ("person", "place", "org", "project")}
        assert imported & families <= {module.__name__}, (rec.rule_id, imported & families)


def test_candidates_carry_the_rule_id_that_becomes_the_source():
    s = Sentence.of("Tổng Bí thư Tô Lâm thăm Lào.", "Tổng_Bí_thư/N Tô_Lâm/Np thăm/V Lào/Np ./CH")
    found = {(c.start, c.end, c.label, c.rule_id) for c in candidates(s)}
    assert (3, 5, "LEADER", "titled_person") in found and (6, 7, "PLACE", "place_lexicon") in found
    assert all(c.rule_id in RECOGNIZERS for c in candidates(s))
    assert [(m.label, m.attrs["source"]) for m in resolve(s, candidates(s))] == [
        ("LEADER", "titled_person"), ("PLACE", "place_lexicon")]


def test_resolver_lower_weight_first_then_longer_then_org_over_project():
    s = Sentence.of("Bệnh viện Bạch Mai ở Hà Nội", "Bệnh_viện/N Bạch_Mai/Np ở/E Hà_Nội/Np")
    weights = rule_weights()
    assert weights["org_head"] < weights["place_trigger"] < weights["place_lexicon"] < weights["tagged_name"]

    def picked(*cands):
        return [(m.start, m.end, m.label) for m in resolve(s, list(cands))]

    # the lower weight wins although shorter
    assert picked(Candidate(0, 4, "LEADER", "tagged_name", {}), Candidate(2, 4, "PLACE", "place_lexicon", {})) \
        == [(10, 18, "PLACE")]
    # within a weight, the longer span
    assert picked(Candidate(2, 4, "PLACE", "place_lexicon", {}), Candidate(0, 4, "ORG", "org_alias", {})) \
        == [(0, 18, "ORG")]
    # same weight and span: ORG over PROJECT
    assert picked(Candidate(0, 4, "PROJECT", "project", {}), Candidate(0, 4, "ORG", "org_head", {})) == [(0, 18, "ORG")]
    # values compete with the weight of the "values" row
    assert [m.label for m in resolve(s, [Candidate(5, 7, "PLACE", "place_lexicon", {})],
                                     [Mention(19, 27, "YEAR", {"source": "values"})])] == ["YEAR"]


def test_list_members_take_the_label_of_the_recognized_name():
    s = Sentence.of("Đội hình có Phi Sơn, Xuân Mạnh, Kovacevic.",
                    "Đội_hình/N có/V Phi_Sơn/Np ,/CH Xuân_Mạnh/Np ,/CH Kovacevic/Np ./CH")
    found = [(s.text[m.start:m.end], m.label, m.attrs["source"]) for m in resolve(s, candidates(s))]
    assert found == [("Phi Sơn", "LEADER", "tagged_name"), ("Xuân Mạnh", "LEADER", "tagged_name"),
                     ("Kovacevic", "LEADER", "list")]


def test_every_veto_in_the_code_is_a_documented_row_and_back():
    import re
    from pathlib import Path

    from pipeline.nlp.rules.engine import vetoes
    source = "".join(p.read_text(encoding="utf-8") for p in Path(inspect.getfile(Candidate)).parent.glob("*.py"))
    in_code = re.findall(r'\bveto(?:ed)?\("([\w.]+)"\)', source)
    assert len(in_code) == len(set(in_code)), "each veto is named once"
    assert set(in_code) == set(vetoes())
    known = set(RECOGNIZERS) | {"shapes.person_name", "shapes.acronym", "shapes.place_name"}
    for veto_id, row in vetoes().items():
        assert row["rule_id"] in known and veto_id.startswith(row["rule_id"] + "."), veto_id
        assert row["example"], veto_id


def test_vetoes_fire_by_name():
    from pipeline.nlp.rules import run_rule, trace_vetoes
    cases = [("Cơn bão Trà Mi đổ bộ.", "Cơn/Nc bão/N Trà_Mi/Np đổ_bộ/V ./CH", "bare_person",
              "bare_person.storm_prize_work_or_credit"),
             ("Có 12 dự án Hàn Quốc.", "Có/V 12/M dự_án/N Hàn_Quốc/Np ./CH", "project", "project.by_nationality"),
             ("Hoài Nam, Anh Đức ghi bàn.", "Hoài_Nam/Np ,/CH Anh_Đức/Np ghi_bàn/V ./CH", "titled_person",
              "titled_person.capitalized_address_mid_sentence"),
             ("Hội đồng xét xử tuyên án.", "Hội_đồng/N xét_xử/V tuyên_án/V ./CH", "org_head", "org_head.generic_head")]
    for text, spec, rule, veto_id in cases:
        with trace_vetoes() as fired:
            assert run_rule(Sentence.of(text, spec), rule) == []
        assert veto_id in fired, (text, fired)


def test_a_recognizer_finds_nothing_where_its_needs_are_not_met():
    """The engine skips a recognizer at units without what it `needs` (a capital, a lexicon hit): on real
    news, calling it there anyway finds nothing, so the skip changes no output."""
    import json

    from underthesea import sent_tokenize

    from pipeline.config import ROOT as root
    from pipeline.segment import tag_sentences

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data" / "raw").glob("*.txt"))]
    for path in sorted((root / "tests" / "fixtures").glob("*.jsonl"))[:2]:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts.append("H.Phú Vang, tx.Sơn Tây và IPHONE 5G của Apple; U23 VIỆT NAM tại TP.HCM.")
    sentences = [x for t in texts for line in t.splitlines() if line.strip() for x in sent_tokenize(line)]
    gated = [rec for rec in RECOGNIZERS.values() if rec.needs]
    assert len(gated) >= 10
    skipped = 0
    for text, words in zip(sentences, tag_sentences(sentences)):
        s = Sentence(text, [(a, b, pos) for (a, b), pos in words])
        for i, u in enumerate(s.units):
            for rec in gated:
                met = "cap" in rec.needs and (u.cap or u.upper) or any(
                    s._hits[name][i] is not None for name in rec.needs if name != "cap")
                if not met:
                    skipped += 1
                    assert rec.run(s, i) == [], (rec.rule_id, text, u.text)
    assert skipped > 10_000

"""PROJECT recognizers on hand-made underthesea words (no underthesea call)."""
from __future__ import annotations

import pytest

from pipeline.nlp.rules import Sentence, candidates, resolve, run_rule
from pipeline.text import DASHES


def spans(s: Sentence, found) -> list[tuple[str, str, str]]:
    return [(s.text[s.units[c.start].start:s.units[c.end - 1].end], c.label, c.attrs.get("kind")) for c in found]


@pytest.mark.parametrize("dash", sorted(DASHES))
def test_railway_between_two_places_with_any_dash(dash):
    text = f"Khởi công tuyến đường sắt Hà Nội {dash} Lạng Sơn."
    s = Sentence.of(text, f"Khởi_công/V tuyến/N đường_sắt/N Hà_Nội/Np {dash}/CH Lạng_Sơn/Np ./CH")
    assert set(spans(s, run_rule(s, "project"))) == {(f"tuyến đường sắt Hà Nội {dash} Lạng Sơn", "PROJECT", "railway")}
    assert [(s.text[m.start:m.end], m.label) for m in resolve(s, candidates(s))] == [
        (f"tuyến đường sắt Hà Nội {dash} Lạng Sơn", "PROJECT")]


def test_named_documents_and_numbers():
    s = Sentence.of("Theo Nghị quyết số 81/2023/QH15 của Quốc hội.",
                    "Theo/E Nghị_quyết/N số/N 81/2023/QH15/M của/E Quốc_hội/N ./CH")
    assert spans(s, run_rule(s, "project")) == [("Nghị quyết số 81/2023/QH15", "PROJECT", "other")]
    s = Sentence.of("Nghị quyết Đại hội XIV được ban hành.", "Nghị_quyết/N Đại_hội/N XIV/M được/R ban_hành/V ./CH")
    assert run_rule(s, "project") == []  # an event names no document


def test_project_vetoes():
    s = Sentence.of("Đến quận Cầu Giấy.", "Đến/V quận/N Cầu_Giấy/Np ./CH")
    assert run_rule(s, "project") == []  # a district
    s = Sentence.of("Có 12 dự án Hàn Quốc.", "Có/V 12/M dự_án/N Hàn_Quốc/Np ./CH")
    assert run_rule(s, "project") == []  # projects by nationality


def test_caps_heading_project_of_known_places_only():
    s = Sentence.of("KHỞI CÔNG ĐƯỜNG SẮT LÀO CAI – HÀ NỘI", "KHỞI_CÔNG/V ĐƯỜNG_SẮT/N LÀO_CAI/Np –/CH HÀ_NỘI/Np")
    assert s.caps_line
    assert spans(s, run_rule(s, "caps_project")) == [("ĐƯỜNG SẮT LÀO CAI – HÀ NỘI", "PROJECT", "railway")]
    assert run_rule(s, "project") == []  # prose rules do not run on headings

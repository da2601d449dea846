"""PROJECT recognizers: infrastructure named by its head noun and name or endpoints ("đường sắt
Viêng Chăn – Vũng Áng"), named documents and agreements, projects in ALL-CAPS headings."""
from __future__ import annotations

import re

from ...text import DASHES
from .engine import Candidate, recognizer, veto
from .shapes import cap_run_plain, is_year
from .units import Sentence, proper_case
from .words import AREA_TRIGGERS, BREAK_WORDS, DIRECTIONS, FUNCTION_POS, PROJECT_PREFIXES, TITLE_LINKS

ORDINAL = re.compile(r" thứ (?:hai|ba|tư|năm|\d)(?!\w)")


@recognizer("project", "prose", needs=("project_heads",))
def project(s: Sentence, i: int) -> list[Candidate]:
    hit = s.project_head(i)
    if not hit:
        return []
    j, kind = hit
    place = s.place(i) if s.units[i].cap else None
    if place and place[0] > j:
        return veto("project.place_starts_like_head")  # "Cầu Giấy", "Cửa Lò": a place whose name starts like a project head
    if i > 0 and s.units[i - 1].word == s.units[i].word and kind != "route":
        return veto("project.inside_word")  # "nhu cầu": a head inside a word ("khởi công đoạn A – B" is underthesea's glue)
    if s.title_at(i) is not None or s.after_place_trigger(i):
        return veto("project.title_or_after_place_type")  # "Luật sư Nguyễn …" is a title; "quận Cầu Giấy" a place
    if s.units[i].key == "dự" and _project_follows(s, j):
        return veto("project.inner_head_follows")  # "Dự án (xây dựng) tuyến đường sắt …": the project starts at its own head
    if s.units[i].key == "dự":  # "dự án X" needs the name right after it, and stays outside the span
        return [Candidate(j, c.end, c.label, c.weight, c.attrs) for c in _infrastructure(s, i, j, "other")]
    if kind in ("agreement", "programme", "document"):
        return _named_document(s, i, j, "other" if kind == "document" else kind)
    return _infrastructure(s, i, j, kind)


@recognizer("caps_project", "heading", needs=("project_heads",))
def caps_project(s: Sentence, i: int) -> list[Candidate]:
    """A project in an ALL-CAPS heading, named by known places only: "ĐƯỜNG SẮT LÀO CAI – HÀ NỘI"."""
    hit = s.project_head(i)
    if not hit or hit[1] in ("agreement", "programme", "document", "route"):
        return []
    j, kind = hit
    end, k = j, j
    while k < len(s.units):
        place = s.place(k)
        if not place:
            break
        end = place[0]
        if end + 1 < len(s.units) and s.units[end].text in DASHES:
            k = end + 1
            continue
        break
    return [Candidate(_project_start(s, i), end, "PROJECT", "caps_project", {"kind": kind})] if end > j else []


def _project_follows(s: Sentence, j: int) -> bool:
    for skip in range(0, 4):
        if j + skip < len(s.units) and s.project_head(j + skip):
            return True
    return False


def _infrastructure(s: Sentence, i: int, j: int, kind: str) -> list[Candidate]:
    """Head noun + name, number or endpoints: "đường sắt Viêng Chăn – Vũng Áng",
    "đường dây 500kV Monsoon – Thạnh Mỹ", "Cảng số 3 – Cảng quốc tế Lào – Việt"."""
    n, k = len(s.units), j
    if kind == "route":
        if _project_follows(s, j):
            return veto("project.route_before_head")  # "tuyến đường sắt …": the inner head makes the candidate, with "tuyến"
        kind = _context_kind(s, i)
    numbered = False
    steps = 0
    while k < n and steps < 5 and not s.units[k].cap:
        u = s.units[k]
        if u.text[:1].isdigit() and k > j and s.units[k - 1].key != "số" and not s.units[k - 1].upper:
            break  # "Tuyến cao tốc dài khoảng 128 km": a measure, not the project's number
        if u.text[:1].isdigit() or u.key == "số":
            numbered = numbered or u.text[:1].isdigit()
        elif u.key == "trên" and k + 1 < n and s.units[k + 1].key == "trục":
            k += 1  # "đường sắt tốc độ cao trên trục Bắc – Nam"
        elif u.key in BREAK_WORDS or not u.alpha or u.pos in FUNCTION_POS \
                or (s.place_trigger(k) or (0, ""))[1] in AREA_TRIGGERS:
            break  # "cảng biển khu vực Đông Nam Bộ" names no port
        k += 1
        steps += 1
    if k + 1 < n and numbered and s.units[k].text in DASHES and s.units[k + 1].cap:
        k += 1  # "Cảng số 3 – Cảng quốc tế Lào – Việt": a number, then another named project
        head = s.project_head(k)
        inner = _infrastructure(s, k, head[0], kind) if head else []
        if inner:
            return [Candidate(i, inner[0].end, "PROJECT", "project", {"kind": kind, "_head": j - i})]
    elif k >= n or not s.units[k].cap:
        if numbered and s.units[i].cap and s.units[k - 1].text[:1].isdigit():
            return [Candidate(_project_start(s, i), k, "PROJECT", "project", {"kind": kind, "_head": j - i})]
        return []
    end = _endpoints(s, k)
    if end <= k or end - k == 1 and s.units[k].text in s.res.stop_acronyms:
        return veto("project.stop_acronym")  # "dự án FDI"
    country = s.place(k)
    if s.units[i].key == "dự" and country and country[0] == end and country[1].type == "country":
        return veto("project.by_nationality")  # "12 dự án Hàn Quốc": projects by nationality
    if s.units[i].key in ("tuyến", "đoạn") and not any(u.text in DASHES for u in s.units[k:end]):
        return veto("project.route_without_endpoints")  # a bare "tuyến X" needs its endpoints
    if end + 1 < n and s.units[end].key == "phía" and s.units[end + 1].cap \
            and s.units[end + 1].key in DIRECTIONS:
        end += 2  # "cao tốc Bắc – Nam phía Đông"
    return [Candidate(_project_start(s, i), end, "PROJECT", "project", {"kind": kind, "_head": j - i})]


def _project_start(s: Sentence, i: int) -> int:
    """A lowercase "tuyến", "đoạn", "bến" or "đường" before the head belongs to the span."""
    before = s.units[i - 1] if i > 0 else None
    return i - 1 if before and before.key in PROJECT_PREFIXES and not before.cap else i


def _context_kind(s: Sentence, i: int) -> str:
    """Kind of a bare "tuyến A – B": the nearest project noun before it in the sentence."""
    for k in range(i - 1, -1, -1):
        hit = s.project_head(k)
        if hit and hit[1] not in ("route", "agreement", "programme", "document", "other"):
            return hit[1]
    return "other"


def _endpoints(s: Sentence, k: int) -> int:
    """Names joined by dashes: one project name. A "(Place)" stays inside only between endpoints
    ("đường sắt A (Lào) - B (Việt Nam)"), not after the last one ("Monsoon (thuộc Lào)")."""
    n, end = len(s.units), k
    while True:
        place = s.place(end)
        run = max(place[0] if place else end, cap_run_plain(s, end))
        if run <= end:
            break
        end = run
        after = end
        if end + 2 < n and s.units[end].text == "(":
            close = next((m for m in range(end + 1, min(n, end + 6)) if s.units[m].text == ")"), None)
            if close is not None:
                after = close + 1
        if after + 1 < n and s.units[after].text in DASHES and s.units[after + 1].cap:
            end = after + 1
            continue
        if after == end < n and s.units[end].alpha and s.units[end].cap and not s.units[end].upper \
                and s.title_at(end) is None and not s.org_head(end):
            continue  # "Cầu Hữu nghị Nong Khai – Vientiane": a name, then its endpoints
        break
    while end > k and s.units[end - 1].text in DASHES:
        end -= 1
    ordinal = ORDINAL.match(s.text, s.units[end - 1].end) if end > k else None
    if ordinal:  # "Cầu Hữu nghị … thứ hai": the second bridge of that name
        end = next(m for m in range(end, n + 1) if m == n or s.units[m].start >= ordinal.end())
    return end


def _named_document(s: Sentence, i: int, j: int, kind: str) -> list[Candidate]:
    """A named plan or agreement: capitalized head, a description, then a name and/or a period.

    "Thỏa thuận về kế hoạch hợp tác Việt Nam - Lào 2024", "Nghị quyết số 81/2023/QH15".
    """
    if not s.units[i].cap:
        return []
    n, k = len(s.units), j
    if k < n and s.units[k].key == "số" and k + 1 < n and s.units[k + 1].text[:1].isdigit():
        end = k + 1
        # the document number runs up to the next whitespace
        stop = s.text.find(" ", s.units[k + 1].start)
        stop = len(s.text) if stop < 0 else stop
        while end < n and s.units[end].start < stop:
            end += 1
        while end > k + 1 and not s.units[end - 1].alpha and not s.units[end - 1].text.isdigit():
            end -= 1
        return [Candidate(i, end, "PROJECT", "project", {"kind": "other"})]
    anchor_end, named = None, False
    steps = 0
    while k < n and steps < 16:
        u = s.units[k]
        if u.alpha and u.cap:
            if s.event(k):
                break  # "Nghị quyết Đại hội XIV": an event, not a name
            run = max(_endpoints(s, k), k + 1)
            while run < n and s.units[run - 1].word == s.units[run].word and s.units[run].alpha:
                run += 1  # "Đối tác Toàn diện": capitalized words of a title keep their compounds
            k = anchor_end = run
            named = True
            steps += 1
            continue
        if is_year(u.text):
            k += 1
            while k + 1 < n and s.units[k].text in DASHES and is_year(s.units[k + 1].text):
                k += 2
            anchor_end, named = k, False
            steps += 1
            continue
        if u.key == "," and k + 2 < n and s.units[k + 1].key == "tầm" and anchor_end == k:
            k += 1
            continue
        joins = u.key == "và" and anchor_end == k and named and k + 1 < n and s.units[k + 1].cap \
            and not s.project_head(k + 1)
        located = s.place(k + 1) if u.key in ("ở", "trên") and kind == "agreement" \
            and k + 1 < n and s.units[k + 1].cap else None
        if located:
            k = anchor_end = located[0]  # "Bộ Quy tắc ứng xử ở Biển Đông": the sea the code is about
            named = True
            continue
        trigger = s.place_trigger(k)
        if trigger and not u.cap and trigger[0] < n and proper_case(s.units[trigger[0]]):
            k = trigger[0]  # "Quy hoạch tỉnh Nghệ An thời kỳ 2021-2030": the plan's jurisdiction
            continue
        if not u.alpha or (u.key in BREAK_WORDS and u.key not in TITLE_LINKS and not joins) or trigger:
            break
        k += 1
        steps += 1
    if anchor_end is None:
        return []
    about = s.units[anchor_end + 1:k] if anchor_end < n and s.units[anchor_end].key == "về" else []
    if about and len(about) <= 6 and (k >= n or not s.units[k].alpha) \
            and all(x.alpha and not x.cap and x.key not in BREAK_WORDS for x in about):
        anchor_end = k  # "Công ước Liên hợp quốc về chống tội phạm mạng": what it is about, up to a mark
    return [Candidate(i, anchor_end, "PROJECT", "project", {"kind": kind})]

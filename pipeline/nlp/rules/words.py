"""The word roles the recognizers use, from `resources/word_roles.tsv` (one row per word and role, with an
example): break words, name particles, credit cues, place and organization triggers, POS tags… Loaded once.
A new domain adds rows there, not sets here."""
from __future__ import annotations

from ...lexicons import word_roles, word_values
from ...text import DASHES, fold

_ROLES = word_roles()


def _words(role: str) -> frozenset[str]:
    return frozenset(fold(w) for w in _ROLES[role])


# Lowercase words that always end a name (function words, verbs of reporting…).
BREAK_WORDS = _words("break")
# underthesea POS of words that cannot sit inside a name: verbs, prepositions, conjunctions, adverbs…
FUNCTION_POS = frozenset(_ROLES["function_pos"])
# underthesea POS of a word after which a bare given name is a person ("nếu Phi Sơn", "và Xuân Mạnh").
NAME_CONTEXT_POS = frozenset(_ROLES["name_context_pos"])
# underthesea POS of a measure after a number: "2 năm", "300 người" are quantities, not unit numbers.
QUANTITY_POS = frozenset(_ROLES["quantity_pos"])
# underthesea POS of lowercase words that may go on a name made of common words, and of the word that ends it.
DESCRIPTOR_POS = frozenset(_ROLES["descriptor_pos"])
CLAUSE_BOUNDARY_POS = frozenset(_ROLES["clause_boundary_pos"])
# Lowercase particles inside foreign names.
NAME_PARTICLES = frozenset(_ROLES["particle"])
DIRECTIONS = _words("direction")
# A capitalized run right after these nouns names a storm, a prize, a festival, a show or a work, not a person.
NOT_PERSON_BEFORE = _words("not_person_before")
# Credit words before a person's name: "Ảnh: Gia Chính", "Video: Minh Hà".
CREDIT_CUES = _words("credit_cue")
CLAUSE_OPENERS = frozenset(_ROLES["clause_opener"]) | DASHES
CREDIT_CLOSERS = frozenset(_ROLES["credit_closer"]) | DASHES
# Function words that do belong inside document titles ("Hiệp định về …", "… tầm nhìn đến năm 2050").
TITLE_LINKS = _words("title_link")
QUANTIFIERS = _words("quantifier")
# Events name no document ("Nghị quyết Đại hội XIV") and are not entities themselves.
EVENTS = _ROLES["event"]
# Lowercase descriptors that may close an organization name ("Tòa án nhân dân tối cao").
ORG_TAILS = _ROLES["org_tail"]
PLACE_TRIGGERS = _ROLES["place_trigger"]
COMMUNE_TRIGGERS = _ROLES["commune_trigger"]
STREET_TRIGGERS = _ROLES["street_trigger"]
VILLAGE_TRIGGERS = _ROLES["village_trigger"]
ABBREVIATED_UNITS = word_values("unit_abbreviation")
# Administrative and area type words: a project descriptor stops there ("cảng biển khu vực Đông Nam Bộ").
AREA_TRIGGERS = frozenset(_ROLES["area_trigger"])
# Prepositions of place: a bare capitalized run after them, with no title or organization head, is a place.
LOCATIVES = _words("locative")
WEB_DOMAINS = frozenset(_ROLES["web_domain"])
# Organization types whose head, written in lowercase, still starts the name ("công ty Hòa Phát").
LOWERCASE_HEAD_TYPES = frozenset(_ROLES["lowercase_head_type"])
LIST_LINKS = frozenset(_ROLES["list_link"])
# Forms of address written in lowercase before a name; capitalized mid-sentence they are part of one.
ADDRESS_WORDS = _words("address")
# Place types that a title names as the office's country ("Tổng thống Hàn Quốc"), never a person.
COUNTRY_TYPES = frozenset(_ROLES["country_type"])
# Lowercase words before a project head that belong to its span ("tuyến", "đoạn", "bến", "đường").
PROJECT_PREFIXES = frozenset(_ROLES["project_prefix"])
# Place types that, named bare in a match report, are the club playing there.
CLUB_PLACE_TYPES = frozenset(_ROLES["club_place_type"])
# Words joining a chain of titles ("Tổng Bí thư, Chủ tịch nước"), and names or parts of one ("A và B").
TITLE_CHAIN = frozenset(_ROLES["title_chain"])
COORDINATORS = frozenset(_ROLES["coordinator"])
# Place types well known enough for an ALL-CAPS heading; place types that name an acronym's body.
HEADING_PLACE_TYPES = frozenset(_ROLES["heading_place_type"])
ACRONYM_PLACE_TYPES = frozenset(_ROLES["acronym_place_type"])
# Alias types that, with a country or city after them, name a branch ("Samsung Việt Nam"), and those place types.
BRANCHING_TYPES = frozenset(_ROLES["branching_type"])
BRANCH_PLACE_TYPES = frozenset(_ROLES["branch_place_type"])
# A byline may open with "Theo"; after its names only an outlet ("/…") or a note ("(…)") may follow.
BYLINE_OPENER = fold(_ROLES["byline_opener"][0])
# An outlet whose name is also a common word or a name ("Thanh Niên", "Tiền Phong") is named after these.
OUTLET_CUES = _words("outlet_cue")
BYLINE_TAILS = frozenset(_ROLES["byline_tail"])
# Suffixes of a person's name ("Jr", "Sr"): never its start.
NAME_SUFFIXES = frozenset(_ROLES["name_suffix"])

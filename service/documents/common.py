"""Pieces every document context shares: the header, people, shares, signatures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from service.meetings import vnformat as vn
from service.meetings.figures import Figures, MemberResult, Presence, Standing, shortfall
from service.meetings.layouts import DEFAULT, Layout, layout_named
from service.meetings.rules import Regime
from service.meetings.schemas import LEVELS, Level, LocalBasis, Organisation, Person, VoteRule, Votes
from service.meetings.vnformat import fold

DOTS = "…" * 31  # a line left to be filled in by hand


def unit_words(org: Organisation) -> dict[str, str]:
    """The unit's own word in its own documents: ``chi bộ``, or ``đảng bộ`` for a đảng bộ (cơ sở,
    bộ phận); its committee (``chi ủy`` / ``đảng ủy``); as written mid-sentence, capitalised, in
    capitals (the templates' ``unit.word``, ``unit.capital``, ``unit.upper``, ``unit.committee``)."""
    word, committee = ("đảng bộ", "đảng ủy") if org.is_dang_bo else ("chi bộ", "chi ủy")
    return {"word": word, "capital": word[:1].upper() + word[1:], "upper": vn.upper(word),
            "committee": committee}


@dataclass(frozen=True)
class Part:
    """What LibreOffice lays out once: a context, and the times its pages stand in the PDF."""

    context: dict[str, Any]
    times: int = 1


def header(org: Organisation, issued: date | None, type_code: str | None,
           number: int | None) -> dict[str, Any]:
    """The two-column header: the lines above (``parents``), CHI BỘ …, number; the date line.

    A place name never breaks inside itself at the column's edge (``keep_names``).
    """
    if type_code is None:
        number_line = ""
    elif number is None:
        number_line = f"Số     -{type_code}/{org.code}"  # numbered by hand on signing
    else:
        number_line = vn.doc_number(number, type_code, org.code)
    parents = [vn.upper(keep_names(line)) for line in org.parents]
    place = keep_names(org.place, whole=True)
    return {
        "parents": parents,
        "parent": parents[-1],
        "issuer": vn.upper(keep_names(org.name)),
        "number": number_line,
        "date_line": vn.date_line(place, issued) if issued else f"{place}, ngày   tháng   năm",
    }


NBSP = "\u00a0"
# words naming the kind of an administrative unit: the words after one are a place name
_UNIT_WORDS = ("tổ dân phố", "khu dân cư", "khu phố", "khối phố", "thành phố", "thị xã", "thị trấn",
               "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường", "thôn", "xóm", "bản", "ấp", "buôn",
               "làng", "khóm", "sóc")
_UNIT = re.compile(r"(?<!\w)(" + "|".join(_UNIT_WORDS) + r")(?!\w)", re.IGNORECASE)
_MAX_NAME_WORDS = 5  # "Bà Rịa - Vũng Tàu"; a longer run is not one place name: let it break
_DASHES = ("-", "–")


def keep_names(line: str, *, whole: bool = False) -> str:
    """*line* with non-breaking spaces inside its place names, so none breaks inside itself.

    A place name is the words after a unit word (``xã Kỳ Anh``, ``phường Thành Sen``) up to the
    next unit word, or, in a line not written in capitals, a run of capitalised words after the
    first, when the word after the run is not in lower case (``Thạch Linh`` in ``Trường Tiểu học
    Thạch Linh``, not ``Tiểu`` of ``Tiểu học``); up to five words. *whole* binds all of a short
    *line* (the place of the date line).
    """
    words = line.split(" ")
    if whole:
        return NBSP.join(words) if len(words) <= _MAX_NAME_WORDS else line
    bound = [False] * len(words)  # bound[i]: the space after word i does not break
    starts = _unit_ends(line, words)
    for start in starts:
        end = start
        while end < len(words) and end + 1 not in starts and not _is_unit_start(words, end + 1):
            end += 1
        _bind(bound, start, min(end, len(words) - 1))
    if not line.isupper():
        index = 1
        while index < len(words):
            end = index
            while end + 1 < len(words) and _capitalised(words[end]) and _capitalised(words[end + 1]):
                end += 1
            after = end + 1
            if after < len(words) and not _capitalised(words[after]):
                end -= 1  # "Tiểu" of "Tiểu học" begins a common noun, not a name
            if end > index:
                _bind(bound, index, end)
            index = after
    return "".join(word + ((NBSP if bound[i] else " ") if i + 1 < len(words) else "")
                   for i, word in enumerate(words))


def _unit_ends(line: str, words: list[str]) -> set[int]:
    """Indexes of the first word after each unit word of *line*."""
    starts, offset = set(), 0
    positions = []
    for word in words:
        positions.append(offset)
        offset += len(word) + 1
    for match in _UNIT.finditer(line):
        after = match.end() + 1
        if after in positions:
            starts.add(positions.index(after))
    return starts


def _is_unit_start(words: list[str], index: int) -> bool:
    rest = " ".join(words[index:]).lower()
    return any(rest == w or rest.startswith(w + " ") for w in _UNIT_WORDS)


def _capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word in _DASHES)


def _bind(bound: list[bool], start: int, end: int) -> None:
    if 0 < end - start < _MAX_NAME_WORDS:
        for i in range(start, end):
            bound[i] = True


def citations(regime: Regime, local: list[LocalBasis], day: date) -> list[str]:
    """The "Căn cứ" lines: the central texts of the review year issued by *day*, then the local ones."""
    return [*regime.citations(day), *(citation(basis) for basis in local)]


def citation(basis: LocalBasis) -> str:
    """``Căn cứ Kế hoạch số 129-KH/HU, ngày 22/11/2023 của Huyện ủy Kỳ Anh về …;``."""
    return f"Căn cứ {local_text(basis)};"


def local_text(basis: LocalBasis) -> str:
    """``Kế hoạch số 129-KH/HU, ngày 22/11/2023 của Huyện ủy Kỳ Anh về …``: a local text named."""
    kind = basis.kind[:1].upper() + basis.kind[1:]
    subject = f" {basis.subject}" if basis.subject else ""
    issued = vn.citation_date(basis.date)
    return f"{kind} số {basis.number}, ngày {issued} của {basis.issuer}{subject}"


_COMRADE = re.compile(r"^(đồng chí|đ/c)\s+", re.IGNORECASE)


def bare_name(name: str) -> str:
    """*name* without a typed "Đồng chí"/"đ/c" before it: the documents print their own."""
    return _COMRADE.sub("", name) or name


def comrade(person: Person, *, capital: bool = False) -> str:
    """``đồng chí Trần Văn Bình – Bí thư chi bộ``; a name typed "Đồng chí …" is not doubled."""
    text = f"{'Đồng chí' if capital else 'đồng chí'} {bare_name(person.name)}"
    return f"{text} – {person.position}" if person.position else text


def pct(part: int, whole: int, rule: vn.RoundingRule) -> str:
    """A share under the meeting's rounding rule (its ``rules`` block)."""
    return vn.percent(part, whole, rule)


def score(value: Decimal | None) -> str:
    """`` (86 điểm)`` or nothing."""
    return "" if value is None else f" ({vn.number(value)} điểm)"


def vote_cells(votes: Votes, denominator: int, rule: vn.RoundingRule) -> list[str]:
    """One ``07 (77,8%)`` cell per level, highest first."""
    return [f"{vn.count(votes.for_level(level))} ({pct(votes.for_level(level), denominator, rule)})"
            for level in LEVELS]


def level_text(level: Level | None) -> str:
    """The level's wording, or what to print when no level reached the threshold."""
    return level.label if level else "Chưa đủ số phiếu"


NO_VOTES = "Chưa nhập số phiếu"
RESULT_TEXT = {Standing.NO_VOTES: NO_VOTES, Standing.MISSING: "Chưa có kết quả",
               Standing.NOT_RATED: "Không đánh giá"}


def result_text(item: MemberResult) -> str:
    """The "kết quả" cell of a member: the level, or why there is none."""
    if item.standing is Standing.RATED:
        return level_text(item.result)
    return RESULT_TEXT[item.standing]


def member_votes(item: MemberResult, denominator: int, rule: VoteRule) -> list[str]:
    """The four vote cells of a member: blank (to fill in) until votes are entered."""
    if item.standing is not Standing.RATED or item.rating is None:
        return [""] * len(LEVELS)
    return vote_cells(item.rating.votes, denominator, rule)


def chi_bo_votes(figures: Figures, votes: Votes, rule: VoteRule) -> tuple[list[str], str]:
    """The four vote cells and the result of the chi bộ, blank until its votes are entered."""
    if figures.chi_bo_reason:
        return [""] * len(LEVELS), f"Không đánh giá ({figures.chi_bo_reason})"
    if not votes.total:
        return [""] * len(LEVELS), NO_VOTES
    return vote_cells(votes, figures.denominator, rule), level_text(figures.chi_bo_result)


def names(items: list[MemberResult], *, reasons: bool = False) -> str:
    """``đồng chí A; đồng chí B (lý do)``: the members of a count, named."""
    return "; ".join(f"đồng chí {bare_name(item.member.name)}" + (f" ({item.reason})" if reasons else "")
                     for item in items)


def unrated_lines(figures: Figures, *, no_votes: bool = True) -> list[str]:
    """One line per reason a member has no level, each counting and naming its members."""
    undecided = [r for r in figures.standing(Standing.RATED) if r.result is None]
    groups = (
        (undecided, "chưa đủ số phiếu để xếp loại", False),
        (figures.standing(Standing.NO_VOTES) if no_votes else [], "chưa nhập số phiếu", False),
        (figures.standing(Standing.MISSING), "chưa đánh giá (chưa có kết quả)", False),
        (figures.standing(Standing.NOT_RATED), "không đánh giá, xếp loại", True),
    )
    return [f"{vn.count(len(items))} đồng chí {what}: {names(items, reasons=reasons)}"
            for items, what, reasons in groups if items]


def short_votes(figures: Figures, chi_bo: Votes, word: str = "chi bộ") -> list[str]:
    """``đồng chí A: ghi nhận 06/10 phiếu hợp lệ, thiếu 04 …``: every tally that falls short."""
    lines = [f"đồng chí {item.member.name}: {shortfall(item.rating.votes.total, figures.possible_votes)}"
             for item in figures.member_results
             if item.rating is not None and figures.short(item.rating.votes.total)]
    if figures.short(chi_bo.total):
        lines.append(f"phiếu đánh giá {word}: {shortfall(chi_bo.total, figures.possible_votes)}")
    return [f"Lưu ý: {line[:1].upper()}{line[1:]}" for line in lines]


def composition(official: int, probationary: int) -> str:
    """``(10 chính thức, 02 dự bị)``; a part that is zero is left out: ``(12 chính thức)``."""
    parts = [f"{vn.count(n)} {what}" for n, what in ((official, "chính thức"), (probationary, "dự bị"))
             if n]
    return f"({', '.join(parts)})" if parts else ""


def attendance(presence: Presence, rule: vn.RoundingRule, word: str = "chi bộ") -> dict[str, Any]:
    """The lines of the "Thành phần" paragraph, the share rounded by the meeting's *rule*; *word*
    the unit's own (``chi bộ``, ``đảng bộ``)."""
    members = len(presence.members)
    members_line = (f"Tổng số đảng viên của {word}: {vn.count(members)} đồng chí "
                    f"{composition(len(presence.official), len(presence.probationary))}")
    if presence.exempt:
        members_line += (f"; miễn công tác và sinh hoạt đảng: {vn.count(len(presence.exempt))} "
                         f"đồng chí; số đảng viên được triệu tập: {vn.count(presence.summoned)} đồng chí")
    present = len(presence.present)
    present_line = (f"Có mặt: {vn.ratio(present, presence.summoned)} đồng chí được triệu tập "
                    f"({pct(present, presence.summoned, rule)})")
    if presence.absent:
        present_line += f"; vắng mặt: {vn.count(len(presence.absent))} đồng chí:"
    else:
        present_line += "; không có đồng chí nào vắng mặt."
    return {
        "members_line": members_line + ".",
        "present_line": present_line,
        "absent": [{"name": m.name, "reason": m.absence_reason or "không có lý do"}
                   for m in presence.absent],
    }


def paragraphs_or_dots(items: list[str], lines: int = 3) -> list[str]:
    """The given paragraphs, or dotted lines to write on by hand."""
    return list(items) if items else [DOTS] * lines


def slug(text: str) -> str:
    """``Nguyễn Thị Hồng Nhung`` → ``nguyen-thi-hong-nhung``: for file names."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def chi_bo_authority(org: Organisation, layout: Layout = DEFAULT) -> str:
    """``T/M ĐẢNG ỦY`` for a đảng bộ; ``T/M CHI ỦY`` when the chi bộ has a committee, else ``T/M CHI BỘ``."""
    if org.is_dang_bo:
        return layout.signers.dang_uy
    return layout.signers.chi_uy if org.has_committee else layout.signers.chi_bo


def layout_of(meeting: Any) -> Layout:
    """The layout regime of *meeting* (``rules.layout``); the đảng bộ summary has the default."""
    rules = getattr(meeting, "rules", None)
    return layout_named(rules.layout if rules is not None else None)

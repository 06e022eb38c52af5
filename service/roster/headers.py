"""Columns found by their header: Vietnamese names and synonyms, with or without diacritics, any case.

A header is folded (``Ngày vào Đảng`` → ``ngay vao dang``; a parenthesis dropped: ``Chức vụ Đảng
(ĐVDB = dự bị…)`` is ``chuc vu dang``) and looked up, first whole, then by its longest known
beginning. Columns of the registers that the roster does not keep (quê quán, trình độ…) are
``IGNORED``: listed as known and not kept. Anything else is unknown: listed, never guessed.
"""

from __future__ import annotations

import re

from service.meetings.vnformat import fold_words

# role of a column → folded headers that name it
ROLES: dict[str, tuple[str, ...]] = {
    "name": ("ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ten dang vien",
             "ho va ten khai sinh", "ho va ten ten khai sinh"),
    "birth_date": ("ngay sinh", "ngay thang nam sinh", "ngay thang sinh", "nam sinh", "sinh ngay"),
    "sex": ("gioi tinh", "nam nu", "phai"),
    "sex_etc": ("nam nu dan toc ton giao", "gioi tinh dan toc ton giao"),
    "admitted_on": ("ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay ket nap vao dang",
                    "ngay vao dang cong san viet nam"),
    "official_on": ("ngay chinh thuc", "ngay cong nhan chinh thuc", "ngay dang vien chinh thuc",
                    "ngay chuyen chinh thuc", "ngay duoc cong nhan chinh thuc"),
    "admitted_official": ("ngay vao dang ngay chinh thuc", "ngay vao dang chinh thuc",
                          "ngay ket nap ngay chinh thuc"),
    "card_number": ("so the", "so the dang", "so the dang vien", "the dang vien"),
    "card_etc": ("so the so ly lich so huy hieu", "so the so ly lich"),
    "cccd": ("cccd", "so cccd", "can cuoc cong dan", "so can cuoc cong dan", "so can cuoc",
             "so dinh danh", "so dinh danh ca nhan", "cmnd cccd", "so cmnd cccd", "cccd cmnd",
             "so cccd cmnd", "ma dinh danh"),
    "party_post": ("chuc vu dang", "chuc vu trong dang", "chuc vu dang uy", "chuc vu cap uy",
                   "chuc vu chi bo"),
    "job_post": ("chuc vu", "chuc vu chinh quyen", "chuc vu chinh quyen doan the", "chuc danh",
                 "chuc vu cong tac", "chuc vu noi lam viec", "chuc vu doan the",
                 "chuc vu chuyen mon", "chuc vu hien nay"),
    "membership": ("chinh thuc du bi", "dang vien chinh thuc du bi", "loai dang vien",
                   "chinh thuc hay du bi", "du bi chinh thuc", "du bi"),
    "exempt": ("mien sinh hoat", "mien cong tac va sinh hoat dang", "mien cong tac sinh hoat",
               "mien sh", "mien cong tac va sinh hoat"),
    "form": ("mau kiem diem", "mau ban kiem diem", "mau 02", "mau ban kiem diem ca nhan"),
    "moved_on": ("ngay chuyen di", "ngay chuyen sinh hoat di", "chuyen di"),
    "died_on": ("ngay tu tran", "tu tran", "ngay mat"),
    "struck_off": ("ngay ra khoi dang hinh thuc", "ngay ra khoi dang", "ra khoi dang",
                   "ngay xoa ten", "ngay khai tru"),
}
IGNORED: tuple[str, ...] = (
    "stt", "so tt", "tt", "so thu tu", "que quan", "noi sinh", "dan toc", "ton giao",
    "van hoa ly luan cmnv ngoai ngu", "trinh do", "trinh do van hoa", "trinh do chuyen mon",
    "trinh do ly luan", "ly luan chinh tri", "chuyen mon", "ngoai ngu", "tin hoc", "nghe nghiep",
    "bo doi cong an huu tri", "ngay chuyen den", "ngay chuyen sinh hoat den", "chuyen den",
    "ghi chu", "chi bo", "dien thoai", "so dien thoai", "noi o", "noi o hien nay", "dia chi",
    "email", "so ly lich", "so huy hieu", "huy hieu", "don vi", "don vi cong tac", "noi lam viec",
    "ky ten", "ky", "trinh do hoc van", "hoc van",
)
_LOOKUP = {synonym: role for role, synonyms in ROLES.items() for synonym in synonyms}
_LOOKUP.update({synonym: "" for synonym in IGNORED})
_PREFIXES = sorted(_LOOKUP, key=len, reverse=True)


def folded_header(text: str) -> str:
    """A header as looked up: no parenthesis, no case, no diacritics, single spaces."""
    return fold_words(re.sub(r"\([^)]*\)?", " ", text))


def role_of(header: str) -> str | None:
    """The role of a column (``""``: a known column the roster does not keep; None: unknown)."""
    key = folded_header(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix + " ") and len(prefix) >= 4:
            return _LOOKUP[prefix]
    return None


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

"""What a member list's cells say: names in capitals, Party posts with ĐVDB, yes/no, membership words."""

from __future__ import annotations

import re
from typing import Any

from service.meetings.vnformat import fold_words

POSTS = {"cuv": "Chi ủy viên", "btcb": "Bí thư chi bộ", "bt": "Bí thư chi bộ",
         "pbt": "Phó Bí thư chi bộ", "pbtcb": "Phó Bí thư chi bộ", "pho btcb": "Phó Bí thư chi bộ"}
DU_BI = {"dvdb", "du bi", "dang vien du bi", "db"}
CHINH_THUC = {"dvct", "chinh thuc", "dang vien chinh thuc", "ct", "dv", "dang vien"}
YES = {"x", "co", "mien", "1", "true", "yes", "v", "ok"}
NO = {"", "khong", "0", "false", "no"}


def text_of(value: object) -> str:
    """A cell as one line of text (a whole float without its ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return " ".join(str(value).split())


def name_of(text: str) -> str:
    """``NGUYỄN VĂN AN`` → ``Nguyễn Văn An``; a name not all in capitals is kept."""
    return text.title() if text.isupper() else text


def party_post(text: str, member: dict[str, Any]) -> None:
    """Posts into *member*: ``ĐVDB``/``dự bị`` is the membership, ``CUV``, ``BTCB``… written out."""
    posts = []
    for token in re.split(r"[,;/+]|\s+-\s+", text):
        key = fold_words(token)
        if not key:
            continue
        if key in DU_BI:
            member["membership"] = "du_bi"
        elif key in CHINH_THUC:
            member.setdefault("membership", "chinh_thuc")
        else:
            posts.append(POSTS.get(key, token.strip()))
    if posts:
        member["party_post"] = ", ".join(posts)

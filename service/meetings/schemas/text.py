"""Cleaning every text on the way in: one kind of line break, nothing XML cannot hold, nothing
invisible, NFC.

``nfc`` turns CR LF, CR, NEL and the Unicode line and paragraph separators into LF, refuses a
character XML cannot hold (a control character other than tab and line feed, U+007F, an
unpaired surrogate, U+FFFE, U+FFFF) naming its code point, removes the invisible characters
(``INVISIBLE``: zero-width space and joiners, soft hyphen, word joiner, BOM, bidi controls,
variation selectors…), so two names that look the same are the same, and NFC-normalises and
strips; a text that was only invisible characters is refused.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic_core import PydanticCustomError

_LINE_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
# what XML 1.0 cannot hold: C0 controls but tab and line feed, DEL, surrogates, U+FFFE/U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Characters that print as nothing: every invisible format character (Unicode category Cf but
# the visible prepended marks of Arabic, Syriac, Kaithi…), the combining grapheme joiner, the
# variation selectors and the Hangul fillers (blank "letters"). Kept in a name, they make two
# names that look identical differ ("Nguyễn Văn An" and "Nguyễn Văn\u200b An").
INVISIBLE = re.compile(
    "[\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels (invisible)
    "\u180b-\u180f"  # Mongolian variation selectors and vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u206f"  # bidi isolates, deprecated format characters
    "\ufe00-\ufe0f"  # variation selectors
    "\ufeff"  # byte order mark (zero-width no-break space)
    "\ufff9-\ufffb"  # interlinear annotation marks
    "\U0001bca0-\U0001bca3"  # shorthand format controls
    "\U0001d173-\U0001d17a"  # musical format controls
    "\U000e0000-\U000e0fff"  # tags, variation selectors supplement
    "]"
)


def nfc(value: Any) -> Any:
    """Refuse characters XML cannot hold; unify line breaks, drop invisible characters,
    NFC-normalise and strip a string.

    Other values pass through (the field's type refuses them).
    """
    if not isinstance(value, str):
        return value
    value = _LINE_BREAKS.sub("\n", value)
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise PydanticCustomError("forbidden_character", "forbidden character {code}",
                                  {"code": f"U+{ord(bad.group()):04X}", "position": bad.start() + 1})
    visible = INVISIBLE.sub("", value)
    if not visible.strip() and value.strip():
        raise PydanticCustomError("invisible_only", "only invisible characters")
    return unicodedata.normalize("NFC", visible).strip()


def single_spaced(value: str) -> str:
    """Runs of white space folded to one space."""
    return " ".join(value.split())

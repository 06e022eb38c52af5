"""The layout regimes of Party documents (thể thức): every layout fact, in one table.

HD 36-HD/VPTW (03/4/2018) is the default (domain §4). HD 05-HD/VPTW (27/5/2026) is reported to
replace it (domain §10, secondary sources, primary text not found): the sources agree on the
margins and disagree on line spacing and name sizes, so those stay as HD 36 has them; one
says minutes are signed ``NGƯỜI GHI BIÊN BẢN`` (left) and ``CHỦ TRÌ HỘI NGHỊ`` (right). A
meeting picks its regime with ``rules.layout``. The templates in ``doc_templates/`` are built
from the default's page and sizes; the contexts take signer titles and endings from the
meeting's regime. A regime whose page or sizes differ needs templates of its own (a test
refuses one until then).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Page:
    """Paper and margins in millimetres; where the page number goes."""

    width: float = 210.0
    height: float = 297.0
    top: float = 20.0
    bottom: float = 20.0
    left: float = 30.0
    right: float = 15.0
    header: float = 10.0  # from the top edge to the page number
    number_from: int = 2  # the first page carries no number

    @property
    def text_width(self) -> float:
        """The width between the margins (portrait)."""
        return self.width - self.left - self.right


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points (HD 36 Phụ lục 3) and the body's paragraph spacing."""

    body: float = 14  # body, header lines, date line, signer titles and names
    party_title: float = 15  # ĐẢNG CỘNG SẢN VIỆT NAM
    type_name: float = 16  # BIÊN BẢN, BÁO CÁO
    table: float = 12
    note: float = 12
    form_code: float = 12
    recipients: float = 12  # the items under Nơi nhận
    line_at_least: float = 18
    paragraph_after: float = 6
    first_line_indent_cm: float = 1.0


@dataclass(frozen=True)
class Signers:
    """Who signs what, in the capitals of the signature blocks (HD 36 điểm 1.7)."""

    minutes_secretary: str = "THƯ KÝ"
    minutes_for_chi_bo: tuple[str, ...] = ("T/M CHI BỘ", "BÍ THƯ")
    minutes_chair: tuple[str, ...] = ("CHỦ TRÌ HỘI NGHỊ",)
    chi_bo: str = "T/M CHI BỘ"
    chi_uy: str = "T/M CHI ỦY"  # a chi bộ with a committee
    dang_uy: str = "T/M ĐẢNG ỦY"
    self_review: str = "NGƯỜI TỰ KIỂM ĐIỂM"
    secretary: str = "BÍ THƯ"
    deputy: str = "PHÓ BÍ THƯ"
    count_members: str = "THÀNH VIÊN TỔ KIỂM PHIẾU"
    count_head: tuple[str, ...] = ("T/M TỔ KIỂM PHIẾU", "TỔ TRƯỞNG")


@dataclass(frozen=True)
class Endings:
    """The closing lines of minutes, the recipients' label, the rule under a title."""

    minutes_end: str = "{who} kết thúc vào hồi {time} {day}."
    minutes_approval: str = ("Biên bản đã được đọc lại trước {before} và được {agree} đồng chí "
                             "đảng viên chính thức có mặt tán thành thông qua ({share}).")
    recipients: str = "Nơi nhận:"
    title_rule: str = "-----"


@dataclass(frozen=True)
class Layout:
    """One regime: the guidance it follows, whether that was read, and its facts."""

    id: str
    guidance: str
    verified: bool
    page: Page = Page()
    sizes: Sizes = Sizes()
    signers: Signers = Signers()
    endings: Endings = Endings()


HD36 = Layout("hd36", "Hướng dẫn số 36-HD/VPTW, ngày 03/4/2018 của Văn phòng Trung ương Đảng",
              verified=True)
HD05 = replace(
    HD36, id="hd05", verified=False,
    guidance="Hướng dẫn số 05-HD/VPTW, ngày 27/5/2026 của Văn phòng Trung ương Đảng (chưa đối chiếu "
             "bản gốc)",
    signers=replace(HD36.signers, minutes_secretary="NGƯỜI GHI BIÊN BẢN",
                    minutes_for_chi_bo=("CHỦ TRÌ HỘI NGHỊ",)),
)
LAYOUTS: dict[str, Layout] = {layout.id: layout for layout in (HD36, HD05)}
DEFAULT = HD36


def layout_named(name: str | None) -> Layout:
    """The regime *name* (``rules.layout``), the default when none is given."""
    return LAYOUTS[name] if name else DEFAULT

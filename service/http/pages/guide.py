"""The guide "Hướng dẫn" (``/huong-dan``): how a chi bộ secretary and a đảng ủy office use the pages.

Readable before signing in. Its pictures are screenshots of the real pages, written into the
pages' static folder (``static/huong-dan/``) by ``tests/integration/test_guide.py`` each time the
suite runs, so they never show an old screen; ``SHOTS`` names them, in the order of the guide.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from service.http import auth

bp = Blueprint("guide", __name__, template_folder="templates")

# the screenshots of the guide (static/huong-dan/<name>.png) and what each shows
SHOTS = {
    "dang-nhap": "Trang đăng nhập",
    "viec-cua-toi": "Trang Việc của tôi của bí thư chi bộ",
    "dang-vien": "Trang Đảng viên: danh sách đảng viên của chi bộ",
    "sinh-hoat": "Biểu mẫu biên bản sinh hoạt chi bộ hằng tháng",
    "hoi-nghi": "Biểu mẫu hội nghị kiểm điểm, đánh giá, xếp loại cuối năm",
    "viec": "Trang của một hội nghị: các văn bản đã tạo, nút Sửa, Tạo lại, Ký số",
    "ky-so": "Trang Ký số của một văn bản",
    "dang-uy": "Trang của văn phòng đảng ủy: tải mẫu Excel, tải lên tệp của cả đảng bộ",
    "mau-van-ban": "Trang Mẫu văn bản của đảng bộ",
}
SHOT_SIZE = (1366, 768)  # width and height of every screenshot, in pixels


@bp.get("/huong-dan")
@auth.public  # read before signing in
def guide_page() -> str:
    """The guide, in Vietnamese, with the screenshots."""
    return render_template("huong_dan.html", shots=SHOTS, size=SHOT_SIZE)

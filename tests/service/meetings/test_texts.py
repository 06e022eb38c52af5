"""The cited central texts: exact titles (domain §11.1) and never cited before their date."""

from __future__ import annotations

from datetime import date

from service.meetings.rules import regime_for
from service.meetings.texts import monthly_texts


def test_qd_366_is_cited_with_its_exact_title():
    """No "hằng năm": QĐ 366 covers terms, years and quarters."""
    assert regime_for(2025).citations(date(2025, 12, 5))[0] == (
        "Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về việc kiểm điểm và đánh giá, "
        "xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị;")


def test_every_review_year_cites_the_texts_of_domain_11():
    """2018: 132 + HD 16; 2019–2022: 132 + HD 21; 2023–2024: 124 + HD 25; 2025 on: 366 + HD 43."""
    expected = {
        2018: ["Căn cứ Quy định số 132-QĐ/TW, ngày 08/3/2018 của Bộ Chính trị về việc kiểm điểm và đánh "
               "giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị;",
               "Căn cứ Hướng dẫn số 16-HD/BTCTW, ngày 24/9/2018 của Ban Tổ chức Trung ương về kiểm điểm, "
               "đánh giá, xếp loại chất lượng hằng năm đối với tổ chức đảng, đảng viên và tập thể, cá nhân "
               "cán bộ lãnh đạo, quản lý các cấp;"],
        2021: ["Căn cứ Quy định số 132-QĐ/TW, ngày 08/3/2018 của Bộ Chính trị về việc kiểm điểm và đánh "
               "giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị;",
               "Căn cứ Hướng dẫn số 21-HD/BTCTW, ngày 18/10/2019 của Ban Tổ chức Trung ương về kiểm điểm, "
               "đánh giá, xếp loại chất lượng hằng năm đối với tổ chức đảng, đảng viên và tập thể, cá nhân "
               "cán bộ lãnh đạo, quản lý các cấp;"],
        2024: ["Căn cứ Quy định số 124-QĐ/TW, ngày 04/10/2023 của Bộ Chính trị về kiểm điểm và đánh giá, "
               "xếp loại chất lượng hằng năm đối với các tập thể, cá nhân trong hệ thống chính trị;",
               "Căn cứ Hướng dẫn số 25-HD/BTCTW, ngày 10/11/2023 của Ban Tổ chức Trung ương về một số nội "
               "dung về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong "
               "hệ thống chính trị;"],
        2026: ["Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về việc kiểm điểm và đánh "
               "giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị;",
               "Căn cứ Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương về một số nội "
               "dung về kiểm điểm và đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống "
               "chính trị;"],
    }
    for year, lines in expected.items():
        assert regime_for(year).citations(date(year, 12, 20)) == lines, year


def test_a_text_issued_after_the_meeting_is_not_cited():
    """A 2025 review held on 15/10/2025 cites QĐ 366 but not HD 43 (31/10/2025)."""
    lines = regime_for(2025).citations(date(2025, 10, 15))
    assert [line.split(",")[0] for line in lines] == ["Căn cứ Quy định số 366-QĐ/TW"]
    assert regime_for(2025).citations(date(2025, 8, 29)) == []


def test_monthly_texts_follow_the_meeting_date():
    """Before 23/7/2025 the old texts; then Chỉ thị 50 alone; from 28/10/2025 with HD 42."""
    assert [t.number for t in monthly_texts(date(2025, 7, 22))] == ["10-CT/TW", "18-KL/TW", "12-HD/BTCTW"]
    assert [t.number for t in monthly_texts(date(2025, 7, 23))] == ["50-CT/TW"]
    assert [t.number for t in monthly_texts(date(2025, 10, 27))] == ["50-CT/TW"]
    assert [t.number for t in monthly_texts(date(2025, 10, 28))] == ["50-CT/TW", "42-HD/BTCTW"]

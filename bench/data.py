"""The generated meetings of the benchmarks: a realistic đảng bộ of any size."""

from __future__ import annotations

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()  # noqa: SIM905
MIDDLE = "Văn Thị Minh Thanh Quốc Thu Đức Ngọc Hữu Kim".split()  # noqa: SIM905
GIVEN = ("An Bình Châu Dũng Giang Hà Hạnh Khoa Lâm Linh Long Mai Nam Nga Phúc Quang Sơn Tâm "  # noqa: SIM905
         "Thảo Trung").split()


def generate(chi_bo: int, members: int) -> dict:
    """A realistic đảng bộ: every chi bộ with its members, ratings, votes and ballot count."""
    units = []
    for c in range(chi_bo):
        people = [f"{FAMILY[(c + i) % 15]} {MIDDLE[(c * 3 + i) % 10]} {GIVEN[(c + i * 7) % 20]}"
                  for i in range(members)]
        member_rows = [{"id": f"C{c:02d}M{i:02d}", "name": name,
                        "position": "Bí thư chi bộ" if i == 0 else "Đảng viên",
                        "leadership_post": i == 0,
                        "membership": "du_bi" if i == members - 1 else "chinh_thuc"}
                       for i, name in enumerate(people)]
        voters = members - 1
        ratings = [{"member": f"C{c:02d}M{i:02d}", "self_rating": "xuat_sac" if i < 2 else "tot",
                    "self_score": 92 if i < 2 else 82,
                    "votes": {"xuat_sac": voters - 1, "tot": 1} if i < 2 else {"tot": voters}}
                   for i in range(members)]
        units.append({
            "kind": "annual_review",
            "organisation": {"parent": "Đảng bộ phường Thành Sen", "name": f"Chi bộ số {c + 1}",
                             "place": "Hà Tĩnh"},
            "document_number": 1, "review_year": 2025,
            "start": f"2025-12-{1 + c % 20:02d}T14:00:00", "end": f"2025-12-{1 + c % 20:02d}T17:00:00",
            "location": f"Hội trường chi bộ số {c + 1}",
            "chair": {"name": people[0], "position": "Bí thư chi bộ"},
            "secretary": {"name": people[1], "position": "Đảng viên"},
            "members": member_rows, "ratings": ratings,
            "chi_bo_rating": {"self_rating": "tot", "self_score": 85, "votes": {"tot": voters}},
            "ballot_count": {"committee": [{"name": people[2]}], "issued": voters,
                             "returned": voters, "invalid": 0},
            "agenda": ["Kiểm điểm tập thể.", "Kiểm điểm cá nhân.", "Bỏ phiếu."],
            "conclusion": ["Hội nghị thành công."],
        })
    return {"kind": "dang_bo", "dang_bo": {"name": "Đảng bộ phường Thành Sen",
                                           "parent": "Đảng bộ tỉnh Hà Tĩnh", "place": "Hà Tĩnh",
                                           "review_year": 2025}, "chi_bo": units}

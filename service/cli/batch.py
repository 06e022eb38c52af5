"""``chibo batch`` and ``chibo workbook``: a whole đảng bộ from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from service.cli.names import chibo
from service.errors import BadRequestError, InvalidMeetingError, ServiceError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def progress_bar(done: int, total: int, failed: int, width: int = 30) -> str:
    """``[##########..........]  40/120  (2 lỗi)``."""
    filled = width * done // total if total else width
    bar = "#" * filled + "." * (width - filled)
    return f"[{bar}] {done:>4}/{total}" + (f"  ({failed} lỗi)" if failed else "")


def _print_problems(problems: list[Any]) -> None:
    print("Dữ liệu không hợp lệ:", file=sys.stderr)
    for problem in problems:
        field = problem["field"] if isinstance(problem, dict) else problem.field
        detail = problem["detail"] if isinstance(problem, dict) else problem.detail
        print(f"  {field}: {detail}", file=sys.stderr)


def workbook(args: argparse.Namespace) -> int:
    """Write the blank workbook."""
    from service.spreadsheets.workbook import blank_workbook

    Path(args.output).write_bytes(blank_workbook())
    print(args.output)
    return 0


def batch(args: argparse.Namespace) -> int:
    """Submit a workbook (or a đảng bộ JSON) to the service, or build it here with --local."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được {path}: {exc}", file=sys.stderr)
        return 2
    if args.local:
        return _local(path, data, Path(args.output or "."))
    if not args.token:
        print(f"Cần mã truy cập API: --token chibo_… (tạo bằng `{chibo()} admin token TÊN`).",
              file=sys.stderr)
        return 2
    return _remote(args.url.rstrip("/"), path, data, args.output, args.token)


def _remote(base: str, path: Path, data: bytes, output: str | None, token: str) -> int:
    is_json = path.suffix.lower() == ".json"
    auth = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(f"{base}/api/v1/batches", data=data, method="POST",
                                     headers={"Content-Type": "application/json" if is_json else XLSX,
                                              **auth})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            location = response.headers["Location"]
            if response.status == 200:
                print("Dữ liệu này đã được gửi trước đây: dùng lại lô tài liệu đã có.")
    except urllib.error.HTTPError as exc:
        problem = json.loads(exc.read() or b"{}")
        if exc.code in (401, 403):  # the token, not the data
            print(f"Lỗi: {problem.get('detail')}", file=sys.stderr)
            return 2
        _print_problems(problem.get("errors") or [{"field": "tệp", "detail": problem.get("detail")}])
        return 2
    except OSError as exc:
        print(f"Không kết nối được dịch vụ {base}: {exc} (khởi động: bash service/run.sh; hoặc dùng --local)",
              file=sys.stderr)
        return 1
    while True:
        with urllib.request.urlopen(urllib.request.Request(f"{base}{location}", headers=auth),
                                    timeout=30) as response:
            body = json.load(response)
        print("\r" + progress_bar(body["done"] + body["failed"], body["total"], body["failed"]),
              end="", flush=True)
        if body["status"] in ("done", "failed", "incomplete"):
            break
        time.sleep(1)
    print()
    if body["status"] == "incomplete":
        print(f"Lô chưa đủ: {body['lost']} tài liệu bị mất khỏi hàng đợi; gửi lại bằng "
              f"POST {base}{body['links']['retry']}", file=sys.stderr)
        return 1
    for job in [body["summary"], *body["chi_bo"]]:
        for warning in job["warnings"]:
            print(f"Lưu ý ({job['title']}): {warning}")
    for failure in body["failures"]:
        print(f"Lỗi: {failure['title']}: {failure['error']}", file=sys.stderr)
    print(f"Tải về: {base}{body['links']['package']}")
    if output:
        with urllib.request.urlopen(urllib.request.Request(
                f"{base}{body['links']['package']}", headers=auth), timeout=300) as response:
            Path(output).write_bytes(response.read())
        print(output)
    return 0 if body["status"] == "done" else 1


def _local(path: Path, data: bytes, out: Path) -> int:
    from service import create_app
    from service.config import from_env
    from service.conversion.converter import UnoserverConverter
    from service.conversion.office import OfficeProcess, default_unoserver_command
    from service.documents import instances, package
    from service.documents.rendering import DocxRenderer
    from service.jobs.pipeline import build, job_title
    from service.meetings.dates import Calendar
    from service.meetings.validation import parse_meeting
    from service.spreadsheets.cells import Limits
    from service.spreadsheets.reader import parse_workbook

    settings = from_env()
    today = Calendar(date.today(), int(settings["MEETING_DAYS_AHEAD"]))
    try:
        if path.suffix.lower() == ".json":
            review = parse_meeting({**json.loads(data), "kind": "dang_bo"}, today)
        else:
            review = parse_workbook(data, Limits.from_config(settings), today)
    except InvalidMeetingError as exc:
        _print_problems(exc.problems)
        return 2
    except (BadRequestError, json.JSONDecodeError) as exc:
        print(f"Lỗi: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 2
    from service.meetings.figures import figures_for
    from service.meetings.schemas import AnyMeeting, DangBoReview
    from service.meetings.summary import summarize

    assert isinstance(review, DangBoReview)  # both readers above make one ("kind": "dang_bo")
    config = create_app().config
    meetings: list[AnyMeeting] = [review, *review.chi_bo]
    # every warning, each under the name of the job it belongs to (as the remote batch prints)
    warnings = [(job_title(review), w) for w in summarize(review).warnings]
    warnings += [(job_title(m), w) for m in review.chi_bo for w in figures_for(m).warnings]
    work = [(m, i) for m in meetings for i in instances(m)]
    out.mkdir(parents=True, exist_ok=True)
    done = failed = 0
    zips: list[Path] = []
    command = config["UNOSERVER_COMMAND"] or default_unoserver_command()
    with OfficeProcess(command, conversion_timeout=config["CONVERSION_TIMEOUT"],
                       user=config["OFFICE_USER"]) as office:
        converter, renderer = UnoserverConverter(office, pdf_format=config["PDF_FORMAT"]), DocxRenderer()
        for meeting in meetings:
            packed, errors = [], []
            for instance in instances(meeting):
                try:
                    built = build(meeting, instance, renderer, converter)
                    sheet = instance.doc_type.spreadsheet
                    packed.append(package.PackedDocument(instance.name, instance.title, built.pdf,
                                                         built.docx, sheet(meeting) if sheet else None))
                    done += 1
                except ServiceError as exc:
                    errors.append(f"{instance.title}: {exc.detail}")
                    failed += 1
                print("\r" + progress_bar(done + failed, len(work), failed), end="", flush=True)
            title = job_title(meeting)
            target = out / f"{package.package_name(title)}.zip"
            target.write_bytes(package.zip_package(packed, title, errors))
            zips.append(target)
    print()
    whole = out / f"{package.package_name(job_title(review))}-toan-bo.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in zips:
            inner = zipfile.ZipFile(path)
            for name in inner.namelist():
                archive.writestr(name, inner.read(name))
    for title, warning in warnings:
        print(f"Lưu ý ({title}): {warning}")
    print(f"Xong: {done} tài liệu, {failed} lỗi. Kết quả: {whole}")
    return 0 if not failed else 1

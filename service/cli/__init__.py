"""The ``chibo`` command: render locally, print the schema, run the whole stack.

    chibo render MEETING.json -o OUTDIR   render and convert in this process (no Redis)
    chibo schema                           print the JSON Schema of the meeting data
    chibo workbook [FILE.xlsx]             write the blank đảng bộ workbook
    chibo batch FILE.xlsx [--local]        a whole đảng bộ: submit to the service (progress bar)
                                           or build here
    chibo up                               start Redis (if absent), a worker and the web
                                           service, submit the sample, print its PDF path
    chibo db upgrade|current               migrate DATABASE_URL to the newest revision, or
                                           print the revision it is at
    chibo db revision -m "what changed"    write the migration of a change to a models.py
    chibo admin org|user|token|revoke|list|audit|purge
                                           organisations, users, API tokens (service.cli.admin)
    chibo docs [--check]                   write (or check) the parts of docs/ made from the code
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from service.cli.names import chibo
from service.config import PRIVATE_UMASK
from service.errors import InvalidMeetingError, ServiceError


def _render(args: argparse.Namespace) -> int:
    from service import create_app
    from service.config import from_env
    from service.conversion.converter import UnoserverConverter
    from service.conversion.office import OfficeProcess, default_unoserver_command
    from service.documents import meeting_figures, package
    from service.documents.rendering import DocxRenderer
    from service.jobs.pipeline import build, job_title, select
    from service.meetings.dates import Calendar, ahead
    from service.meetings.validation import parse_meeting

    try:
        data = json.loads(Path(args.meeting).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"Không đọc được {args.meeting}: {exc}", file=sys.stderr)
        return 2
    only = [n.strip() for n in (args.documents or "").split(",") if n.strip()] or None
    try:
        meeting = parse_meeting(data, Calendar(date.today(), int(from_env()["MEETING_DAYS_AHEAD"])))
        chosen = select(meeting, only)
    except InvalidMeetingError as exc:
        print("Dữ liệu không hợp lệ:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem.field}: {problem.detail}", file=sys.stderr)
        return 2
    config = create_app().config
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".chibo-", dir=out))
    command = config["UNOSERVER_COMMAND"] or default_unoserver_command()
    title = job_title(meeting)
    packed = []
    try:
        with OfficeProcess(command, conversion_timeout=config["CONVERSION_TIMEOUT"],
                           user=config["OFFICE_USER"]) as office:
            converter, renderer = UnoserverConverter(office, pdf_format=config["PDF_FORMAT"]), DocxRenderer()
            for instance in chosen:
                built = build(meeting, instance, renderer, converter, draft=bool(args.draft))
                (staging / f"{instance.name}.docx").write_bytes(built.docx)
                (staging / f"{instance.name}.pdf").write_bytes(built.pdf)
                packed.append(package.PackedDocument(instance.name, instance.title, built.pdf,
                                                     built.docx))
        stem = package.package_name(title)
        (staging / f"{stem}.zip").write_bytes(package.zip_package(packed, title, []))
        (staging / f"{stem}-ban-in.pdf").write_bytes(package.print_pdf(packed, title))
        written = []
        for path in sorted(staging.iterdir()):
            target = out / path.name
            path.replace(target)
            written.append(target)
    except ServiceError as exc:
        print(f"Lỗi: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for path in written:
        print(path)
    for warning in ahead(meeting, date.today()) + meeting_figures(meeting).warnings:  # as the API, the web
        print(f"Lưu ý: {warning}")
    return 0


def _schema(_: argparse.Namespace) -> int:
    from service.meetings.schemas import meeting_json_schema

    print(json.dumps(meeting_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _up(args: argparse.Namespace) -> int:
    from service.cli.stack import run_stack

    return run_stack(port=args.port, sample=args.sample, submit_sample=not args.no_sample)


def _db(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from service import migrations
    from service.config import from_env

    if args.action == "revision":
        print(migrations.revision(args.message))
        return 0
    url = from_env()["DATABASE_URL"]
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        before = migrations.current(url)
        at = migrations.upgrade(url) if args.action == "upgrade" else before
    except OperationalError as exc:
        print(f"Không kết nối được cơ sở dữ liệu {shown}: {exc.orig}", file=sys.stderr)
        return 1
    moved = f"{before or 'trống'} → " if at != before else ""
    print(f"{moved}{at or 'trống'}{' (head)' if at == migrations.head() else ''}  {shown}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``chibo`` console script."""
    parser = argparse.ArgumentParser(prog=chibo(), description="Văn bản chi bộ từ dữ liệu hội nghị.")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="tạo DOCX và PDF ngay trên máy này")
    render.add_argument("meeting", help="tệp JSON dữ liệu hội nghị")
    render.add_argument("-o", "--output", required=True, help="thư mục ghi kết quả")
    render.add_argument("--documents", help="chỉ tạo các loại tài liệu này (cách nhau bởi dấu phẩy)")
    render.add_argument("--du-thao", action="store_true", dest="draft",
                        help="bản dự thảo: mỗi trang mang dấu \"DỰ THẢO\"")
    render.set_defaults(func=_render)
    schema = commands.add_parser("schema", help="in JSON Schema của dữ liệu hội nghị")
    schema.set_defaults(func=_schema)
    from service.cli import batch as cli_batch

    batch = commands.add_parser("batch", help="tạo văn bản cho cả đảng bộ từ tệp Excel (hoặc JSON)")
    batch.add_argument("file", help="tệp .xlsx theo mẫu (hoặc .json)")
    batch.add_argument("--url", default="http://127.0.0.1:8000", help="địa chỉ dịch vụ đang chạy")
    batch.add_argument("--local", action="store_true", help="tạo ngay trên máy này, không qua dịch vụ")
    batch.add_argument("--token", help=f"mã truy cập API (tạo bằng: {chibo()} admin token TÊN)")
    batch.add_argument("-o", "--output", help="--local: thư mục kết quả; không --local: tệp ZIP tải về")
    batch.set_defaults(func=cli_batch.batch)
    blank = commands.add_parser("workbook", help="ghi tệp Excel mẫu để điền dữ liệu")
    blank.add_argument("output", nargs="?", default="mau-danh-gia-xep-loai.xlsx")
    blank.set_defaults(func=cli_batch.workbook)
    up = commands.add_parser("up", help="chạy Redis, worker và dịch vụ web; gửi hội nghị mẫu")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--sample", default=None, help="tệp JSON gửi thử (mặc định: mẫu kèm theo)")
    up.add_argument("--no-sample", action="store_true", help="không gửi hội nghị mẫu")
    up.set_defaults(func=_up)
    database = commands.add_parser("db", help="phiên bản cấu trúc cơ sở dữ liệu (DATABASE_URL)")
    actions = database.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="nâng cơ sở dữ liệu lên phiên bản mới nhất")
    actions.add_parser("current", help="in phiên bản hiện tại của cơ sở dữ liệu")
    new = actions.add_parser("revision", help="viết migration cho thay đổi trong các bảng (models.py)")
    new.add_argument("-m", "--message", required=True, help="thay đổi gì (tên tệp migration)")
    database.set_defaults(func=_db)
    from service.cli import admin as cli_admin

    cli_admin.add_parser(commands)
    from service.cli import docs as cli_docs

    cli_docs.add_parser(commands)
    args = parser.parse_args(argv)
    # the database, the secret key, documents: readable by this user only (and given back
    # after, for the callers in this process: the tests)
    umask = os.umask(PRIVATE_UMASK)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `chibo schema | head`
        sys.stderr.close()
        return 0
    finally:
        os.umask(umask)



"""The references ``bench.bulk`` measures the service against, on a sample of the same documents.

(a) the naive way: docxtpl, then ``soffice --headless --convert-to pdf`` per document, two in
parallel; (b) warm one by one: the rendered DOCX converted one by one through two warm unoserver
instances, unoserver as it is shipped (``office.stock_unoserver_command``: the document opened into a view, as
unoserver 3.7 does); and the layers of one conversion, measured A/B on two warm LibreOffices,
interleaved and repeated (the machine may be loaded): the document bare through stock unoserver,
the same opened hidden as the service opens it (``unoloader.py``), as plain PDF (the PDF/A
export's cost), and behind the combined conversion's lead (``combine.convert_one``: the lead's
cost).
"""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.conversion.combine import convert_one
from service.conversion.converter import UnoserverConverter
from service.conversion.office import OfficeProcess, default_unoserver_command, stock_unoserver_command
from service.documents import instances, render_context
from service.documents.rendering import DocxRenderer
from service.meetings.schemas import DangBoReview


def rendered_sample(review: DangBoReview, size: int) -> list[bytes]:
    """*size* documents of the batch, rendered, in the batch's proportions."""
    work = [(m, i) for m in review.chi_bo for i in instances(m)]
    step = max(1, len(work) // size)
    renderer = DocxRenderer()
    return [renderer.render(i.doc_type.template, render_context(i, m)) for m, i in work[::step][:size]]


def naive(documents: list[bytes], workdir: Path) -> float:
    """docs/s of docxtpl + ``soffice --convert-to pdf`` per document, two at a time."""
    folder = workdir / "naive"
    folder.mkdir()
    paths = []
    for index, docx in enumerate(documents):
        path = folder / f"d{index}.docx"
        path.write_bytes(docx)
        paths.append(path)

    def convert(path: Path) -> None:
        profile = f"file://{folder}/profile-{threading.get_ident()}"
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                       check=True, capture_output=True, timeout=120)

    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(convert, paths))
    return len(paths) / (time.monotonic() - start)


def ceiling(documents: list[bytes]) -> float:
    """docs/s converting rendered DOCX one by one through two warm stock unoserver instances."""
    offices = [OfficeProcess(stock_unoserver_command()) for _ in range(2)]
    for office in offices:
        office.start()
    try:
        for office in offices:
            office.ensure_ready()
        converters = [UnoserverConverter(office) for office in offices]
        halves = [documents[0::2], documents[1::2]]
        start = time.monotonic()
        pairs = zip(converters, halves, strict=True)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda pair: [pair[0].to_pdf(d) for d in pair[1]], pairs))
        return len(documents) / (time.monotonic() - start)
    finally:
        for office in offices:
            office.stop()


def layers(documents: list[bytes], rounds: int = 3) -> dict[str, float]:
    """Median seconds a document of the sample takes on a warm LibreOffice: ``stock`` (bare,
    PDF/A-2b, stock unoserver), ``pdfa`` (the same opened hidden), ``pdf`` (hidden, plain PDF)
    and ``lead`` (hidden, PDF/A behind the lead), interleaved *rounds* times so that a load
    change hits each alike."""
    office = OfficeProcess(default_unoserver_command())
    stock_office = OfficeProcess(stock_unoserver_command())
    try:
        office.ensure_ready()
        stock_office.ensure_ready()
        pdfa, plain = UnoserverConverter(office), UnoserverConverter(office, pdf_format="pdf")
        stock = UnoserverConverter(stock_office)
        ways: dict[str, Callable[[bytes], bytes]] = {
            "stock": stock.to_pdf, "pdfa": pdfa.to_pdf, "pdf": plain.to_pdf,
            "lead": lambda docx: convert_one(pdfa, docx)}
        for way in (stock.to_pdf, pdfa.to_pdf):
            way(documents[0])  # the first conversion loads what the others reuse
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(rounds):
            for name, way in ways.items():
                start = time.monotonic()
                for docx in documents:
                    way(docx)
                times[name].append((time.monotonic() - start) / len(documents))
        return {name: statistics.median(values) for name, values in times.items()}
    finally:
        office.stop()
        stock_office.stop()


def layers_line(seconds: dict[str, float], size: int, rounds: int = 3) -> str:
    """The layers' figures: what opening hidden saves, what the PDF/A export and the lead add."""
    stock, bare, plain, lead = seconds["stock"], seconds["pdfa"], seconds["pdf"], seconds["lead"]
    return (f"layers of one conversion, {size} docs × {rounds} rounds on warm LibreOffices, median per "
            f"document: stock unoserver {stock * 1000:.0f} ms, opened hidden {bare * 1000:.0f} ms "
            f"({(bare - stock) / stock:+.0%}); plain PDF {plain * 1000:.0f} ms, "
            f"PDF/A-2b {bare * 1000:.0f} ms "
            f"(PDF/A export {(bare - plain) * 1000:+.0f} ms), behind the lead {lead * 1000:.0f} ms "
            f"(lead {(lead - bare) * 1000:+.0f} ms, {(lead - bare) / bare:+.0%})")

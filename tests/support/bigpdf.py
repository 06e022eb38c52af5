"""A synthetic PDF of many pages, written by hand in well under a second (for package tests).

Every page points at one content stream and one font, under a balanced page tree, as a
ballot's repeated copies are (``service.conversion.repeat``).
"""

from __future__ import annotations

FANOUT = 64


def many_pages(count: int, text: str = "Phieu bau") -> bytes:
    """A PDF of *count* identical A4 pages reading *text*."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    bodies: dict[int, bytes] = {
        3: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    number = 5
    nodes: list[tuple[int, int]] = []
    parent: dict[int, int] = {}
    for _ in range(count):
        nodes.append((number, 1))
        number += 1
    leaves = [n for n, _ in nodes]
    trees: dict[int, tuple[list[tuple[int, int]], int]] = {}
    while len(nodes) > FANOUT:
        upper = []
        for start in range(0, len(nodes), FANOUT):
            kids = nodes[start:start + FANOUT]
            for kid, _ in kids:
                parent[kid] = number
            trees[number] = (kids, sum(c for _, c in kids))
            upper.append((number, trees[number][1]))
            number += 1
        nodes = upper
    for kid, _ in nodes:
        parent[kid] = 2
    trees[2] = (nodes, sum(c for _, c in nodes))
    for leaf in leaves:
        bodies[leaf] = (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                        b"/Resources << /Font << /F1 4 0 R >> >> >>" % parent[leaf])
    for node, (kids, total) in trees.items():
        up = b"" if node == 2 else b" /Parent %d 0 R" % parent[node]
        refs = b" ".join(b"%d 0 R" % kid for kid, _ in kids)
        bodies[node] = b"<< /Type /Pages%s /Kids [%s] /Count %d >>" % (up, refs, total)
    bodies[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for key in range(1, number):
        offsets[key] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (key, bodies[key])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % number
    out += b"".join(b"%010d 00000 n \n" % offsets[key] for key in range(1, number))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (number, xref)
    return bytes(out)

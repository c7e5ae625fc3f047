"""Page layout for reports: a report is a list of blocks (headings, paragraphs, tables,
figures, page breaks). The same blocks become

- a PDF: each block is an HTML fragment laid out by a QTextDocument; blocks are packed on
  pages here, so a heading stays with what follows, a figure is never cut, and a long
  table splits between rows with its header repeated; every page gets a header line and
  "Page i of n"; written with QPdfWriter (lossless images);
- one self-contained HTML file: the fragments in order, images as data URIs, XHTML-style
  markup (well-formed XML) and print CSS for the page size.
"""
from __future__ import annotations

import base64
import errno
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QPen, QTextDocument)

from core.io import atomic_replace, atomic_write_text, display_text

RESOLUTION_DPI = 300
PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
# page margins in mm: left, top (below the header line), right, bottom (above the footer)
MARGINS_MM = (18.0, 22.0, 18.0, 18.0)
BASE_FONT_PT = 9.0

# Qt rich-text CSS (a subset of CSS 2.1); the HTML file gets a fuller style sheet below.
QT_CSS = """
h1 { font-size: 17pt; font-weight: bold; color: #1f3a5f; margin-top: 0px; margin-bottom: 2px; }
h2 { font-size: 13pt; font-weight: bold; color: #1f3a5f; margin-top: 0px; margin-bottom: 3px; }
h3 { font-size: 10.5pt; font-weight: bold; color: #1f3a5f; margin-top: 0px; margin-bottom: 2px; }
p { margin-top: 0px; margin-bottom: 4px; }
ul { margin-top: 0px; margin-bottom: 2px; }
li { margin-bottom: 2px; }
table.data { border-collapse: collapse; font-size: 8pt; }
table.data th { background-color: #e4e9f0; font-weight: bold; border-bottom: 1px solid #333333;
                padding: 2px 4px 2px 4px; text-align: left; vertical-align: bottom; }
table.data td { padding: 2px 4px 2px 4px; border-bottom: 0.5px solid #c8ccd2; vertical-align: top; }
table.data th.num { text-align: right; }
table.data td.num { text-align: right; }
table.data tr.alt td { background-color: #f6f8fa; }
table.data tr.total td { font-weight: bold; border-top: 1px solid #333333; }
table.kv { border-collapse: collapse; font-size: 8pt; }
table.kv td { padding: 1px 6px 1px 0px; vertical-align: top; }
table.kv td.k { color: #555555; }
table.kf { border-collapse: collapse; }
table.kf td { padding: 4px 6px 4px 6px; background-color: #eef2f7; border-left: 2px solid #ffffff;
              vertical-align: top; }
.kfv { font-size: 15pt; font-weight: bold; color: #1f3a5f; }
.kfs { font-size: 12.5pt; }
.kfl { font-size: 7.5pt; color: #555555; }
.given { font-weight: bold; }
.derived { color: #444444; }
.muted { color: #666666; }
.small { font-size: 7pt; color: #555555; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; }
.caption { font-size: 7.5pt; color: #444444; }
.warn { color: #8a3b00; }
.pos { color: #1e7a34; }
.neg { color: #b03a2e; }
.subtitle { font-size: 9.5pt; color: #444444; }
"""

HTML_CSS = QT_CSS + """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 9.5pt;
       color: #222222; max-width: 190mm; margin: 12mm auto; padding: 0 8mm; line-height: 1.35; }
h1 { margin-top: 0; } h2 { margin-top: 18px; border-bottom: 1px solid #c8ccd2; padding-bottom: 2px; }
h3 { margin-top: 12px; }
table { margin-bottom: 6px; }
table.data, table.kv, table.kf { width: 100%; }
table.data th, table.data td { border-left: none; border-right: none; }
img { max-width: 100%; height: auto; display: block; margin: 4px 0; }
.block { margin-top: 6px; }
.pagebreak { page-break-before: always; break-before: page; height: 0; }
.pagebreak + h1, .pagebreak + h2 { margin-top: 28px; padding-top: 10px; border-top: 2px solid #1f3a5f; }
.header { font-size: 8pt; color: #666666; border-bottom: 1px solid #c8ccd2; margin-bottom: 8px; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  .pagebreak + h1, .pagebreak + h2 { margin-top: 0; padding-top: 0; border-top: none; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  tr, img, .keep { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


# --------------------------------------------------------------------------- blocks
@dataclass
class Block:
    space_before_pt: float = 6.0
    keep_with_next: bool = False

    def html(self, src) -> str:  # src(image) -> URL of the image
        raise NotImplementedError


@dataclass
class Html(Block):
    """A fragment of rich text (paragraphs, lists, small tables) that is never split."""
    fragment: str = ""

    def html(self, src) -> str:
        return self.fragment


@dataclass
class Heading(Block):
    text: str = ""
    level: int = 2
    anchor: str = ""
    keep_with_next: bool = True
    space_before_pt: float = 14.0

    def html(self, src) -> str:
        a = f' id="{escape(self.anchor)}"' if self.anchor else ""
        return f"<h{self.level}{a}>{escape(self.text)}</h{self.level}>"


@dataclass
class Column:
    header: str  # HTML
    numeric: bool = False
    width_pct: float | None = None


@dataclass
class Table(Block):
    """A data table; splits between rows across pages, repeating its header row."""
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # cells are HTML
    row_classes: list[str] | None = None  # per row: "", "alt", "total"
    css_class: str = "data"
    stripes: bool = True
    min_rows: int | None = None  # fewer rows are not left at a page's bottom (None: 3; short tables whole)

    def first_rows(self) -> int:
        """The fewest rows worth starting on a page: a short table (<= 8 rows) stays whole."""
        n = len(self.rows)
        if self.min_rows is not None:
            return min(n, self.min_rows)
        return n if n <= 8 else 3

    def _row_class(self, i: int) -> str:
        cls = self.row_classes[i] if self.row_classes and i < len(self.row_classes) else ""
        if not cls and self.stripes and i % 2 == 1:
            cls = "alt"
        return cls

    def html_rows(self, start: int, stop: int) -> str:
        head = []
        for c in self.columns:
            attrs = ' class="num"' if c.numeric else ""
            if c.width_pct:
                attrs += f' width="{c.width_pct:g}%"'
            head.append(f"<th{attrs}>{c.header}</th>")
        body = []
        for i in range(start, stop):
            cells = []
            for j, cell in enumerate(self.rows[i]):
                num = j < len(self.columns) and self.columns[j].numeric
                cells.append(f'<td class="num">{cell}</td>' if num else f"<td>{cell}</td>")
            cls = self._row_class(i)
            body.append((f'<tr class="{cls}">' if cls else "<tr>") + "".join(cells) + "</tr>")
        return (f'<table class="{self.css_class}" width="100%" cellspacing="0" cellpadding="0">'
                f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def html(self, src) -> str:
        return self.html_rows(0, len(self.rows))


@dataclass
class Figure(Block):
    """A picture and its caption, kept together. `image` is a QImage rendered at print
    resolution; it is shown `width_mm` wide."""
    image: QImage | None = None
    width_mm: float = 170.0
    caption: str = ""  # HTML
    alt: str = ""

    def html(self, src) -> str:
        w_px = round(self.width_mm / 25.4 * 96)
        h_px = round(w_px * self.image.height() / max(1, self.image.width()))
        cap = f'<p class="caption">{self.caption}</p>' if self.caption else ""
        return (f'<div class="keep"><p><img src="{src(self.image)}" width="{w_px}" height="{h_px}" '
                f'alt="{escape(self.alt or "figure")}" /></p>{cap}</div>')


@dataclass
class PageBreak(Block):
    def html(self, src) -> str:
        return '<div class="pagebreak"></div>'


@dataclass
class Report:
    title: str  # the document title (PDF metadata, HTML <title>, page header)
    blocks: list[Block]
    header_right: str = ""  # e.g. "SSB Pouch Designer 0.1.0 · 2025-01-01"
    footer_left: str = ""


# --------------------------------------------------------------------------- PDF
def _no_ligatures(font: QFont) -> None:
    """Plain letters in the PDF ("fi", not the ligature), so copied and searched text matches."""
    try:
        for tag in ("liga", "clig"):
            font.setFeature(QFont.Tag.fromString(tag), 0)
    except AttributeError:  # pragma: no cover - Qt < 6.6
        pass


class _Pdf:
    def __init__(self, writer: QPdfWriter, page_size: str):
        self.writer = writer
        self.px_per_mm = RESOLUTION_DPI / 25.4
        size_mm = QPageSize(PAGE_SIZES[page_size]).size(QPageSize.Unit.Millimeter)
        l, t, r, b = MARGINS_MM
        self.page_w = size_mm.width() * self.px_per_mm
        self.page_h = size_mm.height() * self.px_per_mm
        self.left, self.top = l * self.px_per_mm, t * self.px_per_mm
        self.body_w = (size_mm.width() - l - r) * self.px_per_mm
        self.body_h = (size_mm.height() - t - b) * self.px_per_mm
        self.images: dict[int, tuple[str, QImage]] = {}
        self.font = QFont("DejaVu Sans")
        self.font.setPointSizeF(BASE_FONT_PT)
        _no_ligatures(self.font)

    def src(self, image: QImage) -> str:
        key = image.cacheKey()
        if key not in self.images:
            self.images[key] = (f"report-image:{len(self.images)}", image)
        return self.images[key][0]

    def doc(self, html: str) -> QTextDocument:
        d = QTextDocument()
        d.setDocumentMargin(0)
        d.documentLayout().setPaintDevice(self.writer)
        d.setDefaultFont(self.font)
        d.setDefaultStyleSheet(QT_CSS)
        for name, image in self.images.values():
            if name in html:
                d.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        d.setHtml(html)
        d.setTextWidth(self.body_w)
        return d

    @staticmethod
    def height(d: QTextDocument) -> float:
        return d.size().height()

    def pt(self, v: float) -> float:
        return v / 72.0 * RESOLUTION_DPI


def _paginate(pdf: _Pdf, blocks: list[Block]) -> list[list[tuple[QTextDocument, float]]]:
    """Pack blocks on pages; returns per page the documents and their y offsets."""
    pages: list[list[tuple[QTextDocument, float]]] = [[]]
    y = 0.0
    H = pdf.body_h
    cache: dict[int, QTextDocument] = {}

    def whole(b: Block) -> QTextDocument:
        if id(b) not in cache:
            cache[id(b)] = pdf.doc(b.html(pdf.src))
        return cache[id(b)]

    def table_doc(t: Table, start: int, stop: int) -> QTextDocument:
        return pdf.doc(t.html_rows(start, stop))

    def min_height(j: int) -> float:
        """The least of block j that must fit where it starts: a table's first rows (a short
        table whole, plus what it keeps with), a picture or paragraph whole."""
        b = blocks[j]
        if isinstance(b, Table) and b.rows:
            if b.keep_with_next and b.first_rows() == len(b.rows) and j + 1 < len(blocks):
                return (pdf.height(table_doc(b, 0, len(b.rows))) + pdf.pt(blocks[j + 1].space_before_pt)
                        + min_height(j + 1))
            return pdf.height(table_doc(b, 0, b.first_rows()))
        if isinstance(b, PageBreak):
            return 0.0
        return pdf.height(whole(b))

    def new_page():
        nonlocal y
        if pages[-1]:
            pages.append([])
        y = 0.0

    i = 0
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, PageBreak):
            new_page()
            i += 1
            continue
        space = pdf.pt(b.space_before_pt) if y > 0 else 0.0
        if isinstance(b, Table) and b.rows:
            start = 0
            n = len(b.rows)
            if b.keep_with_next and b.first_rows() == n and i + 1 < len(blocks) and y > 0:
                # a short table and its note (e.g. the sources under a table) stay together
                if y + space + min_height(i) > H:
                    new_page()
            while start < n:
                space = pdf.pt(b.space_before_pt) if y > 0 else 0.0
                avail = H - y - space
                # the most rows that fit (binary search over row counts)
                lo, hi = 0, n - start
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if pdf.height(table_doc(b, start, start + mid)) <= avail:
                        lo = mid
                    else:
                        hi = mid - 1
                k = lo
                remaining = n - start
                if k < remaining:
                    if k < min(b.first_rows(), remaining) and y > 0:
                        new_page()
                        continue
                    if k == 0:
                        k = 1  # a single row taller than a page: it overflows, nothing else can be done
                    if remaining - k < 2 <= k - 1 and remaining > 3:
                        k = remaining - 2  # leave no single orphan row on the next page
                d = table_doc(b, start, start + k)
                pages[-1].append((d, y + space))
                y += space + pdf.height(d)
                start += k
                if start < n:
                    new_page()
            i += 1
            continue
        d = whole(b)
        h = pdf.height(d)
        need = h
        j = i
        while blocks[j].keep_with_next and j + 1 < len(blocks) and not isinstance(blocks[j + 1], PageBreak):
            nxt = blocks[j + 1]
            need += pdf.pt(nxt.space_before_pt) + min_height(j + 1)
            j += 1
            if isinstance(nxt, Table):  # its min_height already holds what it keeps with
                break
        if y > 0 and y + space + min(need, H) > H:
            new_page()
            space = 0.0
        pages[-1].append((d, y + space))
        y += space + h
        i += 1
    if not pages[-1] and len(pages) > 1:
        pages.pop()
    return pages


def _draw_page_frame(p: QPainter, pdf: _Pdf, report: Report, page: int, count: int):
    mm = pdf.px_per_mm
    f = QFont("DejaVu Sans")
    f.setPointSizeF(7.0)
    _no_ligatures(f)
    p.setFont(f)
    fm = QFontMetricsF(f, pdf.writer)
    grey = QColor("#666666")
    l, right = pdf.left, pdf.left + pdf.body_w
    y_head = (MARGINS_MM[1] - 9) * mm
    right_text = report.header_right
    rw = fm.horizontalAdvance(right_text)
    left_text = fm.elidedText(report.title, Qt.TextElideMode.ElideRight, pdf.body_w - rw - 8 * mm)
    p.setPen(grey)
    p.drawText(QPointF(l, y_head), left_text)
    p.drawText(QPointF(right - rw, y_head), right_text)
    p.setPen(QPen(QColor("#c8ccd2"), 0.25 * mm))
    p.drawLine(QPointF(l, y_head + 1.6 * mm), QPointF(right, y_head + 1.6 * mm))
    y_foot = pdf.page_h - (MARGINS_MM[3] - 10) * mm
    p.drawLine(QPointF(l, y_foot - fm.ascent() - 1.4 * mm), QPointF(right, y_foot - fm.ascent() - 1.4 * mm))
    p.setPen(grey)
    num = f"Page {page} of {count}"
    p.drawText(QPointF(right - fm.horizontalAdvance(num), y_foot), num)
    if report.footer_left:
        p.drawText(QPointF(l, y_foot), fm.elidedText(report.footer_left, Qt.TextElideMode.ElideRight,
                                                    pdf.body_w - fm.horizontalAdvance(num) - 8 * mm))


def write_pdf(report: Report, out_path, page_size: str = "A4") -> int:
    """Write the report as a PDF (atomically: a temporary file beside the target, fsync,
    then os.replace). Every step is checked: QPainter.begin / end (end fails when the
    writer could not write, e.g. a full disk), then the file itself must be a whole PDF
    (%PDF- at the start, %%EOF at the end) before it replaces the target; otherwise
    OSError and the target is left as it was. Returns the page count."""
    out_path = Path(out_path)
    with atomic_replace(out_path) as tmp:
        writer = QPdfWriter(tmp)
        writer.setResolution(RESOLUTION_DPI)
        writer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES[page_size]), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
        writer.setTitle(report.title)
        writer.setCreator(report.header_right.split(" · ")[0] or "SSB Pouch Designer")
        pdf = _Pdf(writer, page_size)
        pages = _paginate(pdf, report.blocks)
        p = QPainter()
        if not p.begin(writer):
            raise OSError(errno.EIO, "cannot be written (the PDF writer could not start)", str(out_path))
        try:
            p.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            for n, page in enumerate(pages, start=1):
                if n > 1 and not writer.newPage():
                    raise OSError(errno.ENOSPC, f"the PDF could not be written (page {n}; is the disk full?)",
                                  str(out_path))
                _draw_page_frame(p, pdf, report, n, len(pages))
                for d, y in page:
                    p.save()
                    p.translate(pdf.left, pdf.top + y)
                    d.drawContents(p, QRectF(0, 0, pdf.body_w, d.size().height()))
                    p.restore()
        finally:
            ended = p.end()
        del writer  # closes the file before it replaces the target
        if not ended:
            raise OSError(errno.ENOSPC, "the PDF could not be finished (is the disk full?)", str(out_path))
        check_pdf_file(tmp, out_path)
    return len(pages)


def check_pdf_file(name, target=None) -> None:
    """Raise OSError unless the file is a whole PDF: %PDF- first, %%EOF last (a write cut
    short by a full disk or a kill leaves neither a 0-byte file nor a truncated one behind)."""
    target = str(target or name)
    try:
        size = os.path.getsize(name)
        with open(name, "rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 1024))
            tail = fh.read()
    except OSError as e:
        raise OSError(e.errno, e.strerror, target) from None
    if size == 0 or head != b"%PDF-" or tail.rstrip(b"\r\n \t\0")[-5:] != b"%%EOF":
        raise OSError(errno.ENOSPC, f"the PDF was not written completely ({size} bytes; is the disk full?)",
                      target)


# --------------------------------------------------------------------------- HTML
def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def html_text(report: Report, page_size: str = "A4") -> str:
    """The report as one self-contained HTML file (images as data URIs)."""
    uris: dict[int, str] = {}

    def src(image: QImage) -> str:
        key = image.cacheKey()
        if key not in uris:
            uris[key] = "data:image/png;base64," + base64.b64encode(png_bytes(image)).decode("ascii")
        return uris[key]

    l, t, r, b = MARGINS_MM
    page_css = f"@page {{ size: {'A4' if page_size == 'A4' else 'letter'}; margin: {t:g}mm {r:g}mm {b:g}mm {l:g}mm; }}"
    parts = []
    for block in report.blocks:
        frag = block.html(src)
        if isinstance(block, (PageBreak, Heading)):
            parts.append(frag)
        else:
            parts.append(f'<div class="block">{frag}</div>')
    header = (f'<div class="header">{escape(report.title)}'
              f'{" · " + escape(report.header_right) if report.header_right else ""}</div>')
    return ("<!DOCTYPE html>\n"
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">\n<head>\n<meta charset="utf-8" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
            f"<title>{escape(report.title)}</title>\n<style>\n{page_css}\n{HTML_CSS}</style>\n</head>\n<body>\n"
            + header + "\n" + "\n".join(parts)
            + (f'\n<p class="small">{escape(report.footer_left)}</p>' if report.footer_left else "")
            + "\n</body>\n</html>\n")


def write_html(report: Report, out_path, page_size: str = "A4") -> None:
    atomic_write_text(out_path, display_text(html_text(report, page_size)))

"""XLSX, streamed: dates as real dates, a bold frozen header, formulas never evaluated.

Written directly as SpreadsheetML into a deflated ZIP, row by row, rather than through
openpyxl's write-only mode: openpyxl builds a Cell object and an XML element for every cell
and managed 6,000-7,000 rows a second here (15 columns, with or without lxml), a quarter of the
25,000 rows a second asked for (docs/benchmarks.md, "Exports"). openpyxl stays the reference:
the tests read every file back with it.

Text is written as inline strings, which Excel never evaluates; a text starting like a formula
also gets Excel's own "quote prefix" style, so that editing the cell keeps it text, and shows
exactly what was stored (no visible apostrophe). A sheet holds at most 1,048,576 rows: longer
exports continue on "Name (2)", "Name (3)", ...

Cells carry no `r` reference: it is optional (ECMA-376 §18.3.1.4) and Excel, LibreOffice and
openpyxl place such cells in order, so an empty cell is written as `<c/>`. That keeps a cell's
XML independent of its row, which lets repeated values reuse their XML (values.Memo).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from xml.sax.saxutils import escape

from ..run import Table
from ..values import CACHE_LIMIT, is_formula_like, memoised, serial_converter
from . import register

MAX_ROWS = 1_048_576
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# cellXfs: 0 normal, 1 bold header, 2 date, 3 date and time, 4 text that looks like a formula
STYLES = HEAD + f"""<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/><numFmt numFmtId="165" formatCode="dd.mm.yyyy hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""  # noqa: E501
WIDTHS = {"date": 12, "datetime": 17, "int": 10}
_XML_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)} | {0xFFFE: None, 0xFFFF: None}


def _text(value) -> str:
    if value.isprintable():
        return escape(value)
    # Control characters XML cannot carry go; a CR is kept as a reference, since a parser
    # turns a literal one into LF.
    return escape(value.translate(_XML_ILLEGAL)).replace("\r", "&#13;")


def _cell_maker(kind: str, dialect: str):
    to_serial = serial_converter(kind, dialect)
    if kind in ("date", "datetime"):
        style = 2 if kind == "date" else 3

        def dated(raw):
            serial = to_serial(raw)
            return "<c/>" if serial is None else f'<c s="{style}"><v>{serial}</v></c>'

        return memoised(dated, CACHE_LIMIT if kind == "date" else 0)
    if kind == "int":
        return memoised(lambda raw: "<c/>" if raw is None else f"<c><v>{int(raw)}</v></c>", 0)

    def text(raw):
        value = to_serial(raw)
        if value is None:
            return "<c/>"
        quoted = ' s="4"' if is_formula_like(value) else ""
        return f'<c{quoted} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'

    return memoised(text)


class _Chunks:
    """A write-only file for ZipFile that hands what was written to a generator."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _sheet_name(title: str, number: int) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:25]
    return clean if number == 1 else f"{clean} ({number})"


class XlsxWriter:
    name = "xlsx"
    label = "Excel (XLSX)"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def chunks(self, table: Table) -> Iterator[bytes]:
        sink = _Chunks()
        # Level 1: the sheet XML is very repetitive, so it still shrinks ~10x, at a third of
        # the default level's CPU time.
        book = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        cells = table.converters(lambda kind: _cell_maker(kind, table.dialect))
        header = "<row>" + "".join(
            f'<c s="1" t="inlineStr"><is><t>{_text(h)}</t></is></c>' for h in table.headers()
        ) + "</row>"
        top = self._sheet_top(table) + header
        sheets = 0
        stream = None
        used = MAX_ROWS
        for batch in table.rows(cells):
            start = 0
            while start < len(batch):
                if used >= MAX_ROWS:
                    if stream is not None:
                        stream.write(b"</sheetData></worksheet>")
                        stream.close()
                    sheets += 1
                    stream = book.open(f"xl/worksheets/sheet{sheets}.xml", "w")
                    stream.write(top.encode())
                    used = 1
                part = batch[start:start + MAX_ROWS - used]
                stream.write("".join(["<row>" + "".join(row) + "</row>" for row in part])
                             .encode())
                used += len(part)
                start += len(part)
            yield sink.take()
        if stream is None:  # no rows: the header alone
            sheets = 1
            stream = book.open("xl/worksheets/sheet1.xml", "w")
            stream.write(top.encode())
        stream.write(b"</sheetData></worksheet>")
        stream.close()
        self._package(book, table, sheets)
        book.close()
        yield sink.take()

    def _sheet_top(self, table: Table) -> str:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{max(WIDTHS.get(c.type, 14), len(c.header(table.lang)) + 2)}" customWidth="1"/>'  # noqa: E501
            for i, c in enumerate(table.columns, 1))
        return (HEAD + f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews>'
                '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
                f"</sheetView></sheetViews><cols>{cols}</cols><sheetData>")

    def _package(self, book: zipfile.ZipFile, table: Table, sheets: int) -> None:
        title = table.export.title(table.lang)
        numbers = range(1, sheets + 1)
        book.writestr("xl/workbook.xml", HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                      "<sheets>" + "".join(
                          f'<sheet name="{escape(_sheet_name(title, n))}" sheetId="{n}" '
                          f'r:id="rId{n}"/>' for n in numbers) + "</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", HEAD + f'<Relationships xmlns="{PKG_REL}">'
                      + "".join(f'<Relationship Id="rId{n}" Type="{REL}/worksheet" '
                                f'Target="worksheets/sheet{n}.xml"/>' for n in numbers)
                      + f'<Relationship Id="rId{sheets + 1}" Type="{REL}/styles" '
                      'Target="styles.xml"/></Relationships>')
        book.writestr("xl/styles.xml", STYLES)
        book.writestr("_rels/.rels", HEAD + f'<Relationships xmlns="{PKG_REL}">'
                      f'<Relationship Id="rId1" Type="{REL}/officeDocument" '
                      'Target="xl/workbook.xml"/></Relationships>')
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        book.writestr("[Content_Types].xml", HEAD + '<Types xmlns="http://schemas.'
                      'openxmlformats.org/package/2006/content-types">'
                      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                      'package.relationships+xml"/><Default Extension="xml" '
                      'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.'
                      'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.'
                      'spreadsheetml.styles+xml"/>' + "".join(
                          f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                          f'ContentType="{sheet_type}"/>' for n in numbers) + "</Types>")


register(XlsxWriter())

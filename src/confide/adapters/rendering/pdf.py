"""A plain document for the PDFs Confide hands people (reports, registers): fpdf2's built-in
Helvetica (Latin-1: French accents print as they are; typographic quotes and dashes are folded
to their Latin-1 look-alikes), Letter paper, a footer with the document's name and page n of
total, and headings never left alone at the foot of a page."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

_LATIN1 = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    | {"\u0153": "oe", "\u0152": "OE", "\u00a0": " ", "\u202f": " ", "\u2026": "..."}
)
PAGE = {"en": "page {n} of {total}", "fr": "page {n} de {total}"}


def latin1(text: object) -> str:
    """``text`` in the core fonts' Latin-1 (a character outside it becomes ``?``)."""
    return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class Document(FPDF):
    """A Letter document in ``lang`` whose footer names it (``footer_text``)."""

    def __init__(self, footer_text: str, lang: str, *, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", format="Letter")
        self.footer_text = latin1(footer_text)
        self.lang = "fr" if lang == "fr" else "en"
        self.set_title(self.footer_text)
        self.set_lang(self.lang)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    @property
    def width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110)
        page = PAGE[self.lang].format(n=self.page_no(), total="{nb}")
        self.cell(0, 5, f"{self.footer_text} - {page}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 12) -> None:
        if self.will_page_break(30):  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(self.width, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def para(self, text: str, *, bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 10)
        self.multi_cell(self.width, 5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def boxed(self, text: str) -> None:
        """A paragraph in a frame (a warning the reader must not miss)."""
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(
            self.width, 6, latin1(text), border=1, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font("Helvetica", "", 10)

    def pairs(self, rows: Sequence[tuple[str, str]]) -> None:
        for label, value in rows:
            self.set_font("Helvetica", "B", 10)
            self.cell(self.width * 0.32, 5, latin1(label))
            self.set_font("Helvetica", "", 10)
            self.multi_cell(
                self.width * 0.68, 5, latin1(value), align="L", new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )  # fmt: skip

    def table_of(
        self,
        columns: Sequence[tuple[str, float, str]],
        rows: Sequence[Sequence[str]],
        size: int = 9,
    ) -> None:
        """A table: ``columns`` are (heading, relative width, alignment: L, or R for numbers)."""
        self.set_font("Helvetica", "", size)
        with self.table(
            col_widths=tuple(c[1] for c in columns),
            width=self.width,
            align="LEFT",
            line_height=5 if size >= 9 else 4,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        ) as t:
            head = t.row()
            for h, _, align in columns:
                head.cell(latin1(h), align=align)
            for r in rows:
                row = t.row()
                for cell, (_, _, align) in zip(r, columns, strict=True):
                    row.cell(latin1(cell), align=align)
        self.set_font("Helvetica", "", 10)

    def grid(
        self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]], size: int = 8
    ) -> None:
        """A table of text: ``columns`` are (heading, relative width)."""
        self.table_of([(h, w, "L") for h, w in columns], rows, size)

    def mono(self, label: str, value: str) -> None:
        """A label, then ``value`` in Courier (a digest, a command to run)."""
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(self.width, 5, latin1(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Courier", "", 9)
        self.multi_cell(self.width, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def bytes(self) -> bytes:
        return bytes(self.output())

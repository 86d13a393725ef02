"""An access file as a PDF, drawn with fpdf2 and its built-in Helvetica (Latin-1: French
accents print as they are; the few characters outside Latin-1, such as typographic quotes or
"œ", are spelled with their nearest Latin-1 form)."""

from __future__ import annotations

from confide.adapters.rendering.access_file_view import view
from confide.domain.access_file import AccessFile


def render_pdf(file: AccessFile, lang: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from confide.adapters.rendering.pdf import latin1

    v = view(file, lang)
    labels = v["labels"]
    pdf = FPDF(format="Letter")
    pdf.set_title(latin1(v["title"]))
    pdf.set_lang(lang)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)

    def para(text: str) -> None:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(headers: list[str], rows: list[list[str]]) -> None:
        if not rows:
            para(labels["none"])
            return
        with pdf.table(col_widths=tuple(1 for _ in headers), text_align="LEFT", line_height=5) as t:
            pdf.set_font("Helvetica", "B", 9)
            head = t.row()
            for h in headers:
                head.cell(latin1(h))
            pdf.set_font("Helvetica", "", 9)
            for r in rows:
                row = t.row()
                for cell in r:
                    row.cell(latin1(cell))
        pdf.set_font("Helvetica", "", 10)

    heading(v["title"], 16)
    para(v["intro"])
    para(f"{labels['generated']}: {v['generated']}")
    if v["incomplete"]:
        heading(labels["incomplete"])
        para(labels["incomplete_intro"])
        table([labels["system"]], [[s["source"]] for s in v["incomplete"]])
    heading(labels["identifiers"])
    table(
        [labels["category"], labels["value"]],
        [[i.category, i.value] for i in v["identity"]],
    )
    heading(labels["items"])
    table(
        [labels["category"], labels["value"], labels["origin"], labels["collected"]],
        [[i["category"], i["value"], i["origin"], i["collected"]] for i in v["items"]],
    )
    if v["disposed"]:
        heading(labels["disposed"])
        para(labels["disposed_intro"])
        table(
            [labels["category"], labels["how"], labels["disposed_on"], labels["records"]],
            [[d["category"], d["how"], d["on"], str(d["count"])] for d in v["disposed"]],
        )
    if file.kind == "access":
        heading(labels["uses"])
        table(
            [labels["purpose"], labels["category"], labels["allowed_now"]],
            [[u["purpose"], u["categories"], u["allowed"]] for u in v["uses"]],
        )
        heading(labels["consents"])
        table(
            [labels["event"], labels["date"], labels["details"]],
            [[c["event"], c["at"], c["details"]] for c in v["consents"]],
        )
        heading(labels["disclosures"])
        rows = [
            [r["name"], line["at"], line["categories"], line["purpose"], line["basis"]]
            for r in v["recipients"]
            for line in r["lines"]
        ]
        if rows:
            table(
                [labels["recipient"], labels["date"], labels["category"], labels["purpose"], ""],
                rows,
            )
        else:
            para(labels["no_disclosures"])
        if v["possible"]:
            heading(labels["may_have"], 11)
            para(labels["possible_intro"])
            table(
                [labels["recipient"], labels["category"]],
                [
                    [
                        p["description"]
                        + (f" ({p['organizations']})" if p["organizations"] else ""),
                        p["categories"],
                    ]
                    for p in v["possible"]
                ],
            )
    if v["withheld"]:
        heading(labels["withheld"])
        para(labels["withheld_intro"])
        table(
            [labels["category"], labels["value"], labels["reason"]],
            [[w["category"], w["extent"], w["explanation"]] for w in v["withheld"]],
        )
    if v["show_recourse"]:
        pdf.ln(3)
        para(v["recourse"])
    if v["officer"]:
        pdf.ln(3)
        separator = " : " if lang == "fr" else ": "
        para(f"{v['officer_label']}{separator}{v['officer']}")
    return bytes(pdf.output())

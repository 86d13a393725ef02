"""The access file as a value: released form, reviewer adjustments (ACC-5), stored form, and
rendering in JSON, CSV, HTML and PDF in English and French (ACC-4, ACC-6, ACC-10)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from confide.adapters.rendering.access_file import render
from confide.domain.access_file import (
    CONFIDENTIAL,
    PRIVILEGED,
    REVIEWER,
    THIRD_PARTY,
    WITHHELD_MARK,
    AccessFile,
    ConsentEntry,
    FileItem,
    IncompleteSource,
    PurposeUse,
    Redaction,
    SubjectSummary,
    WithholdingRule,
)
from confide.domain.errors import ValidationFailed

NOTE = "Spoke with her husband Marc at marc.t@example.org about the bill"
AT = NOTE.index("marc.t@")


def sample(province: str = "ON", language: str = "en") -> AccessFile:
    items = (
        FileItem("identity:email:0", "identity", "email", "élise@example.test", "confide", True),
        FileItem(
            "confide:pi_1",
            "confide",
            "name",
            "Élise Tremblay",
            "confide",
            True,
            ("billing",),
            collected_from="individual",
            collected_at="2026-01-02T10:00:00+00:00",
        ),
        FileItem("src:crm/notes:0:note", "source", "notes", NOTE, "crm/notes", True, column="note"),
        FileItem(
            "src:crm/scores:0:score",
            "source",
            "credit_score",
            "712",
            "crm/scores",
            False,
            column="score",
        ),
        FileItem(
            "src:legal/files:0:memo",
            "source",
            "legal_memo",
            "Avis",
            "legal/files",
            True,
            column="memo",
        ),
    )
    redactions = (
        Redaction(
            "auto:src:crm/notes:0:note:0",
            "src:crm/notes:0:note",
            THIRD_PARTY,
            "another person",
            start=AT,
            end=AT + len("marc.t@example.org"),
            entity="EMAIL",
        ),
        Redaction("auto:src:legal/files:0:memo", "src:legal/files:0:memo", PRIVILEGED, "privilege"),
    )
    return AccessFile(
        kind="access",
        subject=SubjectSummary(
            "sub_1",
            "customer",
            province,
            language,
            "Élise Tremblay",
            (("email", "élise@example.test"),),
        ),
        language=language,
        generated_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        items=items,
        uses=(PurposeUse("billing", "Facturation", ("name",), True, "CON-1", "ok"),),
        consents=(
            ConsentEntry("ev_1", "given", "2026-01-02T10:00:00+00:00", {"purpose_id": "offers"}),
        ),
        disclosures={
            "recipients": [
                {
                    "recipient_id": "rcp_1",
                    "name": "Acme Recouvrement",
                    "recipient_class": "collection_agencies",
                    "disclosures": [
                        {
                            "at": "2026-03-04T00:00:00+00:00",
                            "categories": ["name"],
                            "purpose_id": "collections",
                            "legal_basis": "consent",
                            "decision_id": "dec_1",
                        }
                    ],
                }
            ],
            "possible_recipients": [
                {
                    "recipient_class": "payment_processors",
                    "description": "Payment processors",
                    "organizations": ["PayCo"],
                    "categories": ["name"],
                }
            ],
        },
        redactions=redactions,
        incomplete_sources=(IncompleteSource("billing-db", "source billing-db is unavailable"),),
    )


def test_acc_5_released_items_mask_spans_and_drop_withheld_items() -> None:
    released = {i.id: i for i in sample().released_items()}
    assert "src:legal/files:0:memo" not in released
    note = released["src:crm/notes:0:note"].value
    assert "marc.t@example.org" not in note and WITHHELD_MARK in note
    assert note.startswith("Spoke with her husband Marc at ") and note.endswith("about the bill")
    assert released["confide:pi_1"].value == "Élise Tremblay"


def test_acc_5_reviewer_excludes_with_reason_and_restores_auto_redactions() -> None:
    f = sample()
    reviewed = f.with_review(
        exclude={"src:crm/scores:0:score": CONFIDENTIAL, "confide:pi_1": "ongoing fraud inquiry"},
        restore={"auto:src:legal/files:0:memo"},
    )
    by_item = {r.item_id: r for r in reviewed.redactions}
    assert by_item["src:crm/scores:0:score"].reason == CONFIDENTIAL
    assert by_item["src:crm/scores:0:score"].by == "reviewer"
    assert by_item["confide:pi_1"].reason == REVIEWER
    assert by_item["confide:pi_1"].explanation == "ongoing fraud inquiry"
    assert "src:legal/files:0:memo" not in by_item
    assert reviewed.restored == ("auto:src:legal/files:0:memo",)
    released = {i.id for i in reviewed.released_items()}
    assert "src:legal/files:0:memo" in released and "confide:pi_1" not in released
    # Restoring by item id lifts every redaction of the item; a set of ids is accepted.
    again = reviewed.with_review(restore=["src:crm/notes:0:note"], exclude={"identity:email:0"})
    assert all(r.item_id != "src:crm/notes:0:note" for r in again.redactions)
    assert any(r.item_id == "identity:email:0" and r.reason == REVIEWER for r in again.redactions)
    # The original is unchanged (immutable), and unknown ids change nothing.
    assert len(f.redactions) == 2
    with pytest.raises(ValidationFailed) as err:
        f.with_review(exclude={"nope": "x"}, restore=["auto:gone"])
    assert [p.location for p in err.value.problems] == ["exclude.nope", "restore.auto:gone"]


def test_acc_5_stored_form_round_trips_and_keeps_review() -> None:
    f = sample().with_review(exclude={"src:crm/scores:0:score": CONFIDENTIAL})
    data = json.loads(json.dumps(f.to_json()))
    assert AccessFile.from_json(data) == f


def test_acc_5_released_json_never_carries_withheld_values() -> None:
    released = json.dumps(sample().released_json(), ensure_ascii=False)
    assert "marc.t@example.org" not in released and "Avis" not in released
    data = json.loads(released)
    assert {w["reason"] for w in data["withheld"]} == {THIRD_PARTY, PRIVILEGED}
    assert data["complete"] is False


def test_acc_5_withholding_rule_matches_category_or_source_coordinates() -> None:
    items = {i.id: i for i in sample().items}
    by_column = WithholdingRule(PRIVILEGED, source="legal", table="files", column="memo")
    assert by_column.matches(items["src:legal/files:0:memo"])
    assert not by_column.matches(items["src:crm/notes:0:note"])
    by_category = WithholdingRule(CONFIDENTIAL, category="credit_score")
    assert by_category.matches(items["src:crm/scores:0:score"])
    assert not WithholdingRule(CONFIDENTIAL).matches(items["confide:pi_1"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_acc_4_json_and_csv_are_structured(language: str) -> None:
    f = sample(language=language)
    data = json.loads(render(f, "json", language))
    assert data["language"] == language
    assert {i["id"] for i in data["items"]} >= {"confide:pi_1", "src:crm/scores:0:score"}
    assert data["disclosures"]["recipients"][0]["name"] == "Acme Recouvrement"
    rows = list(csv.DictReader(io.StringIO(render(f, "csv", language).decode("utf-8"))))
    kinds = {r["record_type"] for r in rows}
    assert kinds == {"item", "withheld", "incomplete_source", "consent", "disclosure"}
    names = [r for r in rows if r["record_type"] == "item" and r["category"] == "name"]
    assert names[0]["value"] == "Élise Tremblay" and names[0]["purposes"] == "billing"
    assert not any("marc.t@example.org" in r["value"] for r in rows)


HEADINGS = {
    "en": ("Your personal information", "Information withheld", "This file is incomplete"),
    "fr": ("Vos renseignements personnels", "Renseignements retenus", "Ce dossier est incomplet"),
}


@pytest.mark.parametrize(
    ("language", "province", "authority"),
    [
        ("en", "ON", "Privacy Commissioner of Canada"),
        ("fr", "QC", "Commission d'accès à l'information"),
        ("fr", "ON", "Commissariat à la protection de la vie privée"),
    ],
)
def test_acc_6_html_in_the_subjects_language_with_recourse(
    language: str, province: str, authority: str
) -> None:
    html = render(sample(province, language), "html", language).decode("utf-8")
    assert f'lang="{language}"' in html
    for heading in HEADINGS[language]:
        assert heading in html
    assert authority.replace("'", "&#39;") in html
    assert "Élise Tremblay" in html and "Acme Recouvrement" in html
    assert "marc.t@example.org" not in html


@pytest.mark.parametrize(
    ("language", "province", "authority"),
    [("en", "ON", "Privacy Commissioner of Canada"), ("fr", "QC", "Commission d'accès")],
)
def test_acc_6_pdf_text_has_headings_values_and_recourse(
    language: str, province: str, authority: str
) -> None:
    pdf = render(sample(province, language), "pdf", language)
    assert pdf.startswith(b"%PDF")
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages
    ).replace("\n", " ")
    for heading in HEADINGS[language]:
        assert heading in text
    assert "Élise Tremblay" in text and "Acme Recouvrement" in text and "712" in text
    assert authority in text
    assert "marc.t@example.org" not in text


def test_acc_10_portability_file_renders_without_uses_sections() -> None:
    f = sample()
    portable = AccessFile(
        kind="portability",
        subject=f.subject,
        language="fr",
        generated_at=f.generated_at,
        items=tuple(i for i in f.items if i.collected_from_individual),
    )
    html = render(portable, "html", "fr").decode("utf-8")
    assert "format portable" in html and "Comment vos renseignements sont utilisés" not in html
    data = json.loads(render(portable, "json", "fr"))
    assert data["kind"] == "portability" and data["uses"] == [] and data["consents"] == []
    assert all(i["collected_from_individual"] for i in data["items"])


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(sample(), "docx", "en")

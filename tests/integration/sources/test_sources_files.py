"""CSV and Parquet connectors against real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from confide.adapters.connectors.csv_files import CsvConnector
from confide.adapters.connectors.files import FileConnector
from confide.adapters.connectors.parquet_files import ParquetConnector
from confide.domain.sources import (
    CategoryColumn,
    DataSource,
    IdentifierColumn,
    LookupKey,
    SourceIdentifierKind,
    SourceKind,
    SourceNotWritable,
    SourceUnavailable,
    TableMapping,
    identifier_variants,
)
from confide.testing.sources import (
    SeededSource,
    seeded_row,
    write_csv_source,
    write_parquet_source,
)

Kind = SourceIdentifierKind
MakeSource = Callable[..., DataSource]
FORMATS = {
    "csv": (SourceKind.CSV, CsvConnector, write_csv_source, "customers.csv"),
    "parquet": (SourceKind.PARQUET, ParquetConnector, write_parquet_source, "customers.parquet"),
}


def key(kind: SourceIdentifierKind, value: str) -> LookupKey:
    return LookupKey(kind, identifier_variants(kind, value))


@pytest.fixture(params=sorted(FORMATS))
def fmt(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def seeded(fmt: str, folder: Path, n: int = 30) -> SeededSource:
    _, _, write, filename = FORMATS[fmt]
    return write(folder / filename, n, seed=5)


def connector(fmt: str, source: DataSource) -> FileConnector:
    cls: type[FileConnector] = FORMATS[fmt][1]
    return cls(source)


def test_a_folder_matching_its_map_passes_its_test(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    assert c.test() == []


def test_a_single_file_can_be_the_source(fmt: str, tmp_path: Path, make_source: MakeSource) -> None:
    s = seeded(fmt, tmp_path)
    path = tmp_path / s.mapping.table
    c = connector(fmt, make_source(str(path), s.mapping, kind=FORMATS[fmt][0]))
    assert c.test() == []
    assert len(c.find([key(Kind.EMAIL, s.probes[0][Kind.EMAIL])])) == 1


def test_each_missing_file_and_column_is_named(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    broken = TableMapping(
        s.mapping.table,
        (IdentifierColumn("email", Kind.EMAIL),),
        (CategoryColumn("sin", "credit_information"),),
        retention_from="closed_on",
    )
    missing = TableMapping("old_customers.csv", (IdentifierColumn("email", Kind.EMAIL),))
    c = connector(fmt, make_source(str(tmp_path), broken, missing, kind=FORMATS[fmt][0]))
    problems = c.test()
    assert sorted(p.location for p in problems) == sorted(
        ["old_customers.csv", f"{s.mapping.table}.closed_on", f"{s.mapping.table}.sin"]
    )


@pytest.mark.parametrize(
    ("kind", "column"), [(Kind.EMAIL, "email"), (Kind.PHONE, "phone"), (Kind.ACCOUNT, "account_no")]
)
def test_acc_4_a_subject_is_found_in_a_file_by_each_identifier_kind(
    fmt: str, tmp_path: Path, make_source: MakeSource, kind: SourceIdentifierKind, column: str
) -> None:
    s = seeded(fmt, tmp_path)
    probe = s.probes[2]
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    found = c.find([key(kind, probe[kind])])
    assert len(found) == 1
    assert found[0].matched_on == (column,)
    names = [v.value for v in found[0].values if v.category == "name"]
    expected = next(r for i in range(30) if (r := seeded_row(i, 5))[1] == probe[Kind.EMAIL])
    assert names == [expected[4]]
    assert found[0].retention_from == str(expected[8])


def test_an_account_with_leading_zeros_in_a_csv_is_read_as_text(
    tmp_path: Path, make_source: MakeSource
) -> None:
    pacsv.write_csv(
        pa.table({"acct": ["0042", "42"], "who": ["zero", "plain"]}), tmp_path / "a.csv"
    )
    mapping = TableMapping(
        "a.csv", (IdentifierColumn("acct", Kind.ACCOUNT),), (CategoryColumn("who", "name"),)
    )
    c = CsvConnector(make_source(str(tmp_path), mapping, kind=SourceKind.CSV))
    found = c.find([LookupKey(Kind.ACCOUNT, ("0042",))])
    assert [v.value for h in found for v in h.values] == ["zero"]


def test_a_changed_file_is_read_again(fmt: str, tmp_path: Path, make_source: MakeSource) -> None:
    s = seeded(fmt, tmp_path, n=10)
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    newcomer = seeded_row(50, seed=5)
    assert c.find([key(Kind.EMAIL, str(newcomer[1]))]) == []
    seeded(fmt, tmp_path, n=60)
    assert len(c.find([key(Kind.EMAIL, str(newcomer[1]))])) == 1


def test_acc_9_a_correction_is_written_to_a_writable_file(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    probe, other = s.probes[0], s.probes[1]
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0], writable=True))
    before_other = c.find([key(Kind.EMAIL, other[Kind.EMAIL])])
    assert c.update([key(Kind.ACCOUNT, probe[Kind.ACCOUNT])], "name", "Nouveau Nom") == 1
    # Read back with a fresh connector (no cache): the file itself changed.
    fresh = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    after = fresh.find([key(Kind.EMAIL, probe[Kind.EMAIL])])
    assert [v.value for v in after[0].values if v.category == "name"] == ["Nouveau Nom"]
    assert fresh.find([key(Kind.EMAIL, other[Kind.EMAIL])]) == before_other
    assert not list(tmp_path.glob(".*confide-tmp"))


def test_acc_9_a_read_only_file_source_refuses_a_correction(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    with pytest.raises(SourceNotWritable):
        c.update([key(Kind.EMAIL, s.probes[0][Kind.EMAIL])], "name", "X")


def test_a_sample_of_a_file_has_every_column(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    c = connector(fmt, make_source(str(tmp_path), s.mapping, kind=FORMATS[fmt][0]))
    sample = c.sample(s.mapping.table, 4)
    assert sample.columns[:2] == ("customer_id", "email")
    assert [r[1] for r in sample.rows] == [str(seeded_row(i, 5)[1]) for i in range(4)]


def test_a_missing_folder_is_unavailable_naming_the_source(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    c = connector(
        fmt, make_source(str(tmp_path / "gone"), s.mapping, kind=FORMATS[fmt][0], name="hr-files")
    )
    with pytest.raises(SourceUnavailable) as err:
        c.test()
    assert err.value.source == "hr-files"
    with pytest.raises(SourceUnavailable):
        c.find([key(Kind.EMAIL, "a@b.ca")])


def test_a_corrupt_file_is_unavailable_not_a_crash(tmp_path: Path, make_source: MakeSource) -> None:
    s = write_parquet_source(tmp_path / "c.parquet", 5)
    (tmp_path / "c.parquet").write_bytes(b"not a parquet file at all")
    c = ParquetConnector(make_source(str(tmp_path), s.mapping, kind=SourceKind.PARQUET))
    with pytest.raises(SourceUnavailable) as err:
        c.find([key(Kind.EMAIL, "a@b.ca")])
    assert "a@b.ca" not in str(err.value)


def test_a_file_outside_the_folder_is_not_reached(tmp_path: Path, make_source: MakeSource) -> None:
    (tmp_path / "inside").mkdir()
    pq.write_table(pa.table({"email": ["a@b.ca"]}), tmp_path / "secret.parquet")
    mapping = TableMapping("../secret.parquet", (IdentifierColumn("email", Kind.EMAIL),))
    c = ParquetConnector(make_source(str(tmp_path / "inside"), mapping, kind=SourceKind.PARQUET))
    problems = c.test()
    assert [p.location for p in problems] == ["../secret.parquet"]


def test_a_subject_in_several_rows_of_a_file_is_found_in_each(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    table = pa.table(
        {
            "email": ["a@x.ca", "b@x.ca", "a@x.ca", None],
            "order": ["o1", "o2", "o3", "o4"],
        }
    )
    kind, cls, _, _ = FORMATS[fmt]
    name = f"orders.{fmt}"
    (pacsv.write_csv if fmt == "csv" else pq.write_table)(table, tmp_path / name)
    mapping = TableMapping(
        name,
        (IdentifierColumn("email", Kind.EMAIL),),
        (CategoryColumn("order", "billing_records"),),
    )
    c = cls(make_source(str(tmp_path), mapping, kind=kind))
    found = c.find([key(Kind.EMAIL, "a@x.ca")])
    assert [v.value for h in found for v in h.values] == ["o1", "o3"]
    assert [v.value for h in c.find([key(Kind.EMAIL, "b@x.ca")]) for v in h.values] == ["o2"]


def test_a_mapped_column_missing_from_a_file_makes_the_source_unavailable(
    fmt: str, tmp_path: Path, make_source: MakeSource
) -> None:
    s = seeded(fmt, tmp_path)
    broken = TableMapping(
        s.mapping.table,
        (IdentifierColumn("email", Kind.EMAIL),),
        (CategoryColumn("not_there", "name"),),
    )
    c = connector(fmt, make_source(str(tmp_path), broken, kind=FORMATS[fmt][0]))
    with pytest.raises(SourceUnavailable):
        c.find([key(Kind.EMAIL, s.probes[0][Kind.EMAIL])])

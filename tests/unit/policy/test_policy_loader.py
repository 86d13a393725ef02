"""load_policy returns the merged policy with the version's identity (POL-1)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from policy_support import copy_default_policy, edit

from confide.policy import LoadedPolicy, default_policy_path, load_policy


def test_default_path_is_the_packaged_policy() -> None:
    path = default_policy_path()
    assert path.name == "confide.yaml" and path.is_file()
    assert (path.parent / "products" / "travel.yaml").is_file()


def test_loaded_policy_carries_path_source_version_and_date(loaded: LoadedPolicy) -> None:
    assert loaded.path == default_policy_path()
    assert loaded.source == default_policy_path().read_text(encoding="utf-8")
    assert loaded.version == "2026.1"
    assert loaded.effective_date.isoformat() == "2026-01-01"


def test_content_hash_is_sha256_hex(loaded: LoadedPolicy) -> None:
    assert len(loaded.content_hash) == 64
    int(loaded.content_hash, 16)


def test_content_hash_ignores_comments_and_layout(tmp_path: Path) -> None:
    main = copy_default_policy(tmp_path)
    before = load_policy(main).content_hash
    edit(main, "id: confide-privacy-policy\n", "# a new comment\nid:   confide-privacy-policy\n")
    edit(main, "  jurisdictions: [federal, QC]\n", "  jurisdictions:\n    - federal\n    - QC\n")
    assert load_policy(main).content_hash == before


def test_content_hash_changes_when_a_value_changes(tmp_path: Path) -> None:
    main = copy_default_policy(tmp_path)
    before = load_policy(main).content_hash
    edit(main, "    max_days: 90\n", "    max_days: 60\n")
    assert load_policy(main).content_hash != before


def test_content_hash_covers_product_policies(tmp_path: Path) -> None:
    main = copy_default_policy(tmp_path)
    before = load_policy(main).content_hash
    travel = main.parent / "products" / "travel.yaml"
    edit(travel, "    max_days: 395\n", "    max_days: 300\n")
    after = load_policy(main)
    assert after.content_hash != before
    assert after.policy.retention_for("roaming_records")[0].max_days == 300


def test_content_hash_is_not_a_plain_file_hash(loaded: LoadedPolicy) -> None:
    # It is over canonical data (so layout does not matter), framed per file.
    plain = hashlib.sha256(loaded.source.encode("utf-8")).hexdigest()
    assert loaded.content_hash != plain


def test_a_policy_without_products_loads_alone(tmp_path: Path) -> None:
    main = copy_default_policy(tmp_path)
    edit(main, "products:\n  - id: travel\n    file: products/travel.yaml\n", "products: []\n")
    loaded = load_policy(main)
    assert loaded.products == ()
    assert loaded.policy.purpose("roaming_service") is None
    assert loaded.product_sources == {}


def test_lookups_find_items_by_id(loaded: LoadedPolicy) -> None:
    policy = loaded.policy
    assert policy.category("nope") is None
    channel = policy.channel("email")
    assert channel is not None and channel.electronic
    assert policy.exception("emergency") is not None

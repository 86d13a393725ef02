"""RFC 6962 / RFC 9162 known-answer tests for the audit log's Merkle tree.

The vectors are the well-known 8-leaf test data published with the RFC 6962
implementations (Google's certificate-transparency C++ ``merkle_tree_test.cc``, carried
over unchanged into github.com/transparency-dev/merkle ``proof/verify_test.go``, as the
``leaves``, ``roots``, ``inclusionProofs`` and ``consistencyProofs`` tables). Those
tables count leaves from 1; the indices below are 0-based.
"""

from __future__ import annotations

import pytest

from confide.domain.audit.errors import ProofRangeError
from confide.domain.audit.merkle import (
    EMPTY_ROOT,
    ArrayNodeStore,
    DictNodeStore,
    MerkleTree,
    NodeStore,
    leaf_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]

# ROOTS[n - 1] is the tree hash of the first n leaves.
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]

# (0-based leaf index, tree size, audit path)
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]

# (old size, new size, consistency proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

STORES = [DictNodeStore, ArrayNodeStore]


def _tree(store_type: type[NodeStore], leaves: list[bytes] = LEAVES) -> MerkleTree:
    tree = MerkleTree(store_type())
    tree.append(leaves)
    return tree


def test_empty_tree_hash_is_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert tree_hash([]) == EMPTY_ROOT
    assert MerkleTree(DictNodeStore()).root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_tree_hash_from_the_definition_matches_the_published_roots(size: int) -> None:
    assert tree_hash(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize("store_type", STORES)
@pytest.mark.parametrize("size", range(1, 9))
def test_root_for_any_past_size_matches_the_published_roots(
    store_type: type[NodeStore], size: int
) -> None:
    assert _tree(store_type).root(size) == ROOTS[size - 1]


@pytest.mark.parametrize("size", range(1, 9))
def test_root_while_growing_matches_the_published_roots(size: int) -> None:
    tree = MerkleTree(DictNodeStore())
    for n, leaf in enumerate(LEAVES[:size], start=1):
        tree.append([leaf])
        assert tree.root() == ROOTS[n - 1]


@pytest.mark.parametrize("store_type", STORES)
@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proof_matches_the_published_audit_path(
    store_type: type[NodeStore], index: int, size: int, path: list[str]
) -> None:
    tree = _tree(store_type)
    assert [p.hex() for p in tree.inclusion_proof(index, size)] == path


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_published_audit_path_verifies_against_the_published_root(
    index: int, size: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(p) for p in path]
    leaf = leaf_hash(LEAVES[index])
    assert verify_inclusion(index, size, leaf, proof, ROOTS[size - 1])


@pytest.mark.parametrize(("index", "size", "path"), [v for v in INCLUSION if v[2]])
def test_published_audit_path_fails_when_anything_is_off(
    index: int, size: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(p) for p in path]
    leaf = leaf_hash(LEAVES[index])
    root = ROOTS[size - 1]
    assert not verify_inclusion(index + 1, size, leaf, proof, root)
    assert not verify_inclusion(index, size * 2, leaf, proof, root)
    assert not verify_inclusion(index, size, leaf_hash(b"WrongLeaf"), proof, root)
    assert not verify_inclusion(index, size, leaf, proof, EMPTY_ROOT)
    assert not verify_inclusion(index, size, leaf, [*proof, root], root)
    assert not verify_inclusion(index, size, leaf, [root, *proof], root)
    assert not verify_inclusion(index, size, leaf, proof[:-1], root)
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 8
        assert not verify_inclusion(
            index, size, leaf, [*proof[:i], bytes(flipped), *proof[i + 1 :]], root
        )


@pytest.mark.parametrize("store_type", STORES)
@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_proof_matches_the_published_proof(
    store_type: type[NodeStore], old: int, new: int, path: list[str]
) -> None:
    tree = _tree(store_type)
    assert [p.hex() for p in tree.consistency_proof(old, new)] == path


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_published_consistency_proof_verifies_between_published_roots(
    old: int, new: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(p) for p in path]
    assert verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


@pytest.mark.parametrize(("old", "new", "path"), [v for v in CONSISTENCY if v[2]])
def test_published_consistency_proof_fails_when_anything_is_off(
    old: int, new: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(p) for p in path]
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    assert not verify_consistency(old - 1, new, r1, r2, proof)
    assert not verify_consistency(old + 1, new, r1, r2, proof)
    assert not verify_consistency(old, new * 2, r1, r2, proof)
    assert not verify_consistency(old, new, r2, r1, proof)
    assert not verify_consistency(old, new, r1, r2, [])
    assert not verify_consistency(old, new, r1, r2, [*proof, r2])
    assert not verify_consistency(old, new, r1, r2, [proof[0], *proof])
    assert not verify_consistency(old, new, r1, r2, proof[:-1])
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 16
        assert not verify_consistency(
            old, new, r1, r2, [*proof[:i], bytes(flipped), *proof[i + 1 :]]
        )


def test_trivial_consistency_cases_follow_the_rfc() -> None:
    a, b = ROOTS[0], ROOTS[1]
    assert verify_consistency(0, 0, a, a, [])
    assert not verify_consistency(0, 0, a, b, [])
    assert verify_consistency(0, 5, a, b, [])
    assert verify_consistency(3, 3, b, b, [])
    assert not verify_consistency(3, 3, a, b, [])
    assert not verify_consistency(3, 3, b, b, [a])
    assert not verify_consistency(2, 1, a, b, [])


def test_single_leaf_inclusion_needs_the_leaf_to_be_the_root() -> None:
    leaf = leaf_hash(b"data")
    assert verify_inclusion(0, 1, leaf, [], leaf)
    assert not verify_inclusion(0, 1, leaf, [], EMPTY_ROOT)
    assert not verify_inclusion(0, 1, b"", [], leaf)
    assert not verify_inclusion(0, 0, leaf, [], leaf)
    assert not verify_inclusion(1, 1, leaf, [], leaf)


def test_reopened_tree_continues_with_the_same_roots() -> None:
    store = DictNodeStore()
    first = MerkleTree(store)
    first.append(LEAVES[:5])
    reopened = MerkleTree.open(store, 5)
    assert reopened.root() == ROOTS[4]
    reopened.append(LEAVES[5:])
    assert reopened.root() == ROOTS[7]
    assert [p.hex() for p in reopened.consistency_proof(6, 8)] == CONSISTENCY[2][2]


def test_append_returns_the_leaf_indices_it_used() -> None:
    tree = MerkleTree(DictNodeStore())
    assert tree.append(LEAVES[:3]) == range(0, 3)
    assert tree.append(LEAVES[3:]) == range(3, 8)
    assert tree.size == 8


def test_only_complete_subtrees_are_stored() -> None:
    store = DictNodeStore()
    MerkleTree(store).append(LEAVES[:7])
    # 7 leaves + 3 nodes at level 1 + 1 node at level 2; no node spans an incomplete range.
    assert sorted(store.nodes) == [
        *[(0, i) for i in range(7)],
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
    ]


def test_root_of_a_past_size_reads_log_n_nodes() -> None:
    reads: list[int] = []

    class CountingStore(DictNodeStore):
        def get_many(self, keys):  # type: ignore[no-untyped-def]
            keys = list(keys)
            reads.append(len(keys))
            return super().get_many(keys)

    tree = MerkleTree(CountingStore())
    tree.append(bytes([i % 256]) for i in range(1000))
    tree.root(999)
    assert reads == [bin(999).count("1")]


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("root", (9,)),
        ("inclusion_proof", (8, 8)),
        ("inclusion_proof", (0, 9)),
        ("inclusion_proof", (-1, 8)),
        ("consistency_proof", (5, 4)),
        ("consistency_proof", (1, 9)),
    ],
)
def test_proofs_outside_the_tree_are_refused(call: str, args: tuple[int, ...]) -> None:
    tree = _tree(DictNodeStore)
    with pytest.raises(ProofRangeError):
        getattr(tree, call)(*args)

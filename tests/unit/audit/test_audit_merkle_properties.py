"""Properties of the audit Merkle tree, checked on random sizes with Hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from confide.domain.audit.merkle import (
    ArrayNodeStore,
    DictNodeStore,
    MerkleTree,
    leaf_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

MAX = 300


def _leaves(n: int) -> list[bytes]:
    return [i.to_bytes(4, "big") for i in range(n)]


def _tree(n: int, batch: int = 7) -> MerkleTree:
    tree = MerkleTree(DictNodeStore())
    leaves = _leaves(n)
    for start in range(0, n, batch):
        tree.append(leaves[start : start + batch])
    return tree


def _flip(proof: list[bytes], item: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[item])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:item], bytes(changed), *proof[item + 1 :]]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, MAX), st.integers(1, 50))
def test_incremental_root_equals_the_definition_for_any_batching(n: int, batch: int) -> None:
    tree = _tree(n, batch)
    assert tree.root() == tree_hash(_leaves(n))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, MAX).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_root_of_every_past_size_equals_the_definition(sizes: tuple[int, int]) -> None:
    n, m = sizes
    assert _tree(n).root(m) == tree_hash(_leaves(m))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, MAX).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(1, n)).flatmap(
            lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[1] - 1))
        )
    )
)
def test_every_inclusion_proof_verifies(args: tuple[int, int, int]) -> None:
    n, size, index = args
    tree = _tree(n)
    proof = tree.inclusion_proof(index, size)
    assert verify_inclusion(index, size, leaf_hash(_leaves(n)[index]), proof, tree.root(size))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, MAX).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n)).flatmap(
            lambda t: st.tuples(st.just(t[0]), st.integers(0, t[1]), st.just(t[1]))
        )
    )
)
def test_consistency_between_any_m_and_n_verifies(args: tuple[int, int, int]) -> None:
    n, old, new = args
    tree = _tree(n)
    proof = tree.consistency_proof(old, new)
    assert verify_consistency(old, new, tree.root(old), tree.root(new), proof)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, MAX), st.data())
def test_any_single_bit_change_breaks_an_inclusion_proof(n: int, data: st.DataObject) -> None:
    tree = _tree(n)
    index = data.draw(st.integers(0, n - 1))
    leaf = leaf_hash(_leaves(n)[index])
    root = tree.root()
    proof = tree.inclusion_proof(index, n)
    item = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    assert not verify_inclusion(index, n, leaf, _flip(proof, item, bit), root)
    assert not verify_inclusion(index, n, _flip([leaf], 0, bit)[0], proof, root)
    assert not verify_inclusion(index, n, leaf, proof, _flip([root], 0, bit)[0])


@settings(max_examples=100, deadline=None)
@given(st.integers(3, MAX), st.data())
def test_any_single_bit_change_breaks_a_consistency_proof(n: int, data: st.DataObject) -> None:
    tree = _tree(n)
    old = data.draw(st.integers(1, n - 1))
    r1, r2 = tree.root(old), tree.root(n)
    proof = tree.consistency_proof(old, n)
    item = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    assert not verify_consistency(old, n, r1, r2, _flip(proof, item, bit))
    assert not verify_consistency(old, n, _flip([r1], 0, bit)[0], r2, proof)
    assert not verify_consistency(old, n, r1, _flip([r2], 0, bit)[0], proof)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, MAX), st.data())
def test_a_changed_leaf_changes_every_root_that_covers_it(n: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, n - 1))
    leaves = _leaves(n)
    tampered = [*leaves[:index], b"tampered", *leaves[index + 1 :]]
    honest, forged = MerkleTree(DictNodeStore()), MerkleTree(DictNodeStore())
    honest.append(leaves)
    forged.append(tampered)
    for size in range(index + 1, n + 1):
        assert honest.root(size) != forged.root(size)
    for size in range(index + 1):
        assert honest.root(size) == forged.root(size)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, MAX), st.integers(1, 40))
def test_array_store_and_dict_store_hold_the_same_tree(n: int, batch: int) -> None:
    a, d = MerkleTree(ArrayNodeStore()), MerkleTree(DictNodeStore())
    leaves = _leaves(n)
    for start in range(0, n, batch):
        a.append(leaves[start : start + batch])
        d.append(leaves[start : start + batch])
    for size in range(0, n + 1, max(1, n // 10)):
        assert a.root(size) == d.root(size)
    if n:
        assert a.inclusion_proof(n - 1) == d.inclusion_proof(n - 1)

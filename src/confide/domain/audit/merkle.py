"""Merkle tree maths of the audit log, as RFC 9162 (Certificate Transparency v2) defines it.

Hashing (RFC 9162 section 2.1.1, identical to RFC 6962)::

    leaf hash  = SHA-256(0x00 || leaf bytes)
    node hash  = SHA-256(0x01 || left hash || right hash)
    empty tree = SHA-256("")

Node addressing. A node is ``(level, index)``: level 0 holds the leaf hashes, and node
``(level, index)`` is the root of the *complete* subtree over leaves
``[index * 2**level, (index + 1) * 2**level)``. Only complete subtrees are ever stored:
because the log is append-only, a complete subtree never changes once it exists, so a
stored node is written once and never updated. A log of ``n`` leaves stores fewer than
``2n`` nodes, and at every level nodes are created in increasing index order.

Invariants:

* The hash of *any* past tree size ``m <= n`` is the right-to-left fold of at most
  ``log2(m) + 1`` stored complete subtrees (the binary decomposition of ``m``), so roots,
  inclusion proofs and consistency proofs for any size are read from ``O(log n)`` stored
  nodes without rehashing leaves.
* Every read goes through :class:`NodeStore` in one ``get_many`` call per operation and
  every append writes through one ``put_many`` call, so the same code runs on the
  in-memory stores here and on a database table (phase 2 of issue 3).

Verification follows RFC 9162 section 2.1.3.2 (inclusion) and 2.1.4.2 (consistency).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from confide.domain.audit.errors import MissingNode, ProofRangeError

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]
NodeRun = tuple[int, int, Sequence[bytes]]
"""``(level, first index, hashes)``: consecutive new nodes of one level."""
"""``(level, index)``: the complete subtree over leaves ``[index << level, (index+1) << level)``."""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 leaf hash: ``SHA-256(0x00 || data)``."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: ``SHA-256(0x01 || left || right)``."""
    return _sha256(NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (``size >= 2``)."""
    return 1 << ((size - 1).bit_length() - 1)


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash ``MTH(D[n])`` of raw leaf data, straight from the definition.

    Computed level by level (pairs, with an odd node carried up unchanged), which gives the
    same result as RFC 9162's recursive split at the largest power of two.
    """
    return root_from_leaf_hashes([leaf_hash(d) for d in leaves])


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash over already computed leaf hashes."""
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    sha = _sha256
    prefix = NODE_PREFIX
    while len(level) > 1:
        nxt = [sha(prefix + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) & 1:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# --------------------------------------------------------------------------- node stores


class NodeStore(Protocol):
    """Where complete-subtree hashes live, keyed by ``(level, index)``.

    Implementations: :class:`DictNodeStore` and :class:`ArrayNodeStore` here; a database
    table ``(level, index) -> hash`` in phase 2. Writes are only of new keys (nodes never
    change), so an implementation may treat a rewrite of an existing key as an error.
    """

    def get_many(self, keys: Iterable[NodeKey]) -> Mapping[NodeKey, bytes]:
        """The stored hashes of ``keys``; keys not stored are absent from the result."""
        ...

    def put_many(self, runs: Sequence[NodeRun]) -> None:
        """Store new nodes, given as runs of consecutive nodes of one level.

        A run ``(level, first, hashes)`` holds nodes ``(level, first)``,
        ``(level, first + 1)``, ... A database store writes all runs of one call in the
        caller's transaction (phase 2: the unit of work that also writes the entries).
        """
        ...


class DictNodeStore:
    """A :class:`NodeStore` in a dict; the reference implementation for tests and fakes."""

    def __init__(self) -> None:
        self.nodes: dict[NodeKey, bytes] = {}

    def get_many(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        nodes = self.nodes
        return {k: nodes[k] for k in keys if k in nodes}

    def put_many(self, runs: Sequence[NodeRun]) -> None:
        nodes = self.nodes
        for level, first, hashes in runs:
            nodes.update({(level, i): h for i, h in enumerate(hashes, first)})

    def __len__(self) -> int:
        return len(self.nodes)


class ArrayNodeStore:
    """A compact in-memory :class:`NodeStore`: one ``bytearray`` of 32-byte hashes per level.

    Relies on the append-only invariant (nodes of a level are created in index order), so
    a node is at byte offset ``32 * index`` of its level. About 64 bytes per leaf in total;
    the independent verifier keeps a million-entry tree in it.
    """

    def __init__(self) -> None:
        self.levels: list[bytearray] = []

    def get_many(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        out: dict[NodeKey, bytes] = {}
        levels = self.levels
        for key in keys:
            level, index = key
            if level < len(levels):
                buf = levels[level]
                start = index * HASH_SIZE
                if start >= 0 and start + HASH_SIZE <= len(buf):
                    out[key] = bytes(buf[start : start + HASH_SIZE])
        return out

    def put_many(self, runs: Sequence[NodeRun]) -> None:
        levels = self.levels
        for level, first, hashes in runs:
            while level >= len(levels):
                levels.append(bytearray())
            buf = levels[level]
            if first * HASH_SIZE != len(buf):
                raise ValueError(f"node ({level}, {first}) is not the next node of its level")
            buf += b"".join(hashes)

    def leaf_count(self) -> int:
        return len(self.levels[0]) // HASH_SIZE if self.levels else 0


# --------------------------------------------------------------------------- planning reads


def _perfect_pieces(start: int, end: int) -> list[NodeKey]:
    """The complete subtrees, left to right, whose fold is ``MTH(D[start:end])``.

    Valid for the ranges RFC 9162's recursion produces: ``start`` is a multiple of a power
    of two not smaller than ``end - start``, so greedy decomposition by descending powers
    of two lands every piece on an aligned, complete subtree.
    """
    pieces: list[NodeKey] = []
    pos = start
    remaining = end - start
    while remaining:
        level = remaining.bit_length() - 1
        pieces.append((level, pos >> level))
        pos += 1 << level
        remaining -= 1 << level
    return pieces


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Fold the hashes of adjacent complete subtrees (descending sizes) into one root."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = _sha256(NODE_PREFIX + h + acc).digest()
    return acc


def _fetch(store: NodeStore, keys: Iterable[NodeKey]) -> Mapping[NodeKey, bytes]:
    wanted = list(dict.fromkeys(keys))
    got = store.get_many(wanted)
    for key in wanted:
        if key not in got:
            raise MissingNode(level=key[0], index=key[1])
    return got


def _inclusion_plan(index: int, size: int) -> list[list[NodeKey]]:
    """For each proof element (leaf to root), the complete subtrees whose fold is that element."""
    plan: list[list[NodeKey]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            plan.append(_perfect_pieces(mid, hi))
            hi = mid
        else:
            plan.append(_perfect_pieces(lo, mid))
            lo = mid
    plan.reverse()
    return plan


def _consistency_plan(old: int, new: int) -> list[list[NodeKey]]:
    """RFC 9162 ``SUBPROOF(m, D[n], true)`` as lists of complete subtrees, leaf to root."""
    plan: list[list[NodeKey]] = []
    if old == 0 or old == new:
        return plan
    lo, hi, m, whole = 0, new, old, True
    while True:
        size = hi - lo
        if m == size:
            if not whole:
                plan.append(_perfect_pieces(lo, hi))
            break
        k = _split(size)
        if m <= k:
            plan.append(_perfect_pieces(lo + k, hi))
            hi = lo + k
        else:
            plan.append(_perfect_pieces(lo, lo + k))
            lo += k
            m -= k
            whole = False
    plan.reverse()
    return plan


def _materialise(store: NodeStore, plan: list[list[NodeKey]]) -> list[bytes]:
    nodes = _fetch(store, (key for pieces in plan for key in pieces))
    return [_fold([nodes[key] for key in pieces]) for pieces in plan]


# --------------------------------------------------------------------------- the tree


class MerkleTree:
    """An append-only RFC 9162 tree whose complete subtrees live in a :class:`NodeStore`.

    The tree keeps in memory only its *frontier*: for each level, the hash of a complete
    left subtree still waiting for its right sibling (one per set bit of ``size``). Open an
    existing tree with :meth:`open`, which reads the frontier from the store.

    Appends must be serialised by the caller (one writer at a time per store); phase 2 does
    it with the database's total order (a lock on the log head), then re-opens the tree.
    """

    def __init__(self, store: NodeStore) -> None:
        self.store = store
        self._size = 0
        self._frontier: list[bytes | None] = []

    @classmethod
    def open(cls, store: NodeStore, size: int) -> MerkleTree:
        """A tree of ``size`` leaves already in ``store`` (reads ``O(log size)`` nodes)."""
        tree = cls(store)
        if size < 0:
            raise ProofRangeError("size", size, 0)
        if size:
            pieces = _perfect_pieces(0, size)
            nodes = _fetch(store, pieces)
            frontier: list[bytes | None] = [None] * size.bit_length()
            for level, index in pieces:
                frontier[level] = nodes[(level, index)]
            tree._frontier = frontier
            tree._size = size
        return tree

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaves: Iterable[bytes]) -> range:
        """Append raw leaf data (e.g. canonical audit entries); returns their leaf indices."""
        return self.append_leaf_hashes([_sha256(LEAF_PREFIX + d).digest() for d in leaves])

    def append_leaf_hashes(self, hashes: Iterable[bytes]) -> range:
        """Append already computed leaf hashes; one ``put_many`` for the whole batch.

        Works level by level: the new nodes of a level are a contiguous run of indices,
        paired with each other (and, first, with the pending left sibling from the
        frontier), which keeps the hashing in tight comprehensions.
        """
        run = list(hashes)
        first = self._size
        if not run:
            return range(first, first)
        added = len(run)
        frontier = self._frontier
        sha = _sha256
        prefix = NODE_PREFIX
        new: list[NodeRun] = []
        level, start = 0, first
        while run:
            new.append((level, start, run))
            if level == len(frontier):
                frontier.append(None)
            if start & 1:
                left = frontier[level]
                assert left is not None  # invariant: an odd index has its left sibling pending
                run = [left, *run]
                start -= 1
            count = len(run)
            frontier[level] = run[-1] if count & 1 else None
            run = [sha(prefix + run[i] + run[i + 1]).digest() for i in range(0, count - 1, 2)]
            level += 1
            start >>= 1
        self.store.put_many(new)
        self._size = first + added
        return range(first, self._size)

    def root(self, size: int | None = None) -> bytes:
        """The tree hash at ``size`` (default: now) for any ``0 <= size <= self.size``."""
        if size is None or size == self._size:
            pending = [h for h in self._frontier if h is not None]
            if not pending:
                return EMPTY_ROOT
            pending.reverse()  # largest subtree first
            return _fold(pending)
        self._check_size(size)
        if size == 0:
            return EMPTY_ROOT
        pieces = _perfect_pieces(0, size)
        nodes = _fetch(self.store, pieces)
        return _fold([nodes[k] for k in pieces])

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 ``PATH(index, D[size])``: the audit path from leaf ``index``, leaf to root."""
        size = self._size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ProofRangeError("index", index, size - 1)
        return _materialise(self.store, _inclusion_plan(index, size))

    def consistency_proof(self, old: int, new: int | None = None) -> list[bytes]:
        """RFC 9162 ``PROOF(old, D[new])``: proves the tree at ``old`` is a prefix of ``new``."""
        new = self._size if new is None else new
        self._check_size(new)
        if not 0 <= old <= new:
            raise ProofRangeError("old", old, new)
        return _materialise(self.store, _consistency_plan(old, new))

    def leaf_hash_at(self, index: int) -> bytes:
        self._check_size(index + 1)
        return _fetch(self.store, [(0, index)])[(0, index)]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ProofRangeError("size", size, self._size)


# --------------------------------------------------------------------------- verification


def root_from_inclusion_proof(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 2.1.3.2), or ``None`` if malformed."""
    if not 0 <= index < size or len(leaf) != HASH_SIZE:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return None
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """True iff ``proof`` shows that leaf hash ``leaf`` is at ``index`` of the tree ``root``."""
    return root_from_inclusion_proof(index, size, leaf, proof) == root


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True iff ``proof`` shows the tree ``old_root`` (size ``old``) is a prefix of ``new_root``.

    RFC 9162 section 2.1.4.2, with the trivial cases: equal sizes need equal roots and an
    empty proof; an empty old tree is a prefix of every tree (empty proof).
    """
    if not 0 <= old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    if not proof or any(len(p) != HASH_SIZE for p in proof):
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # an exact power of two: the old root is itself a node of the path
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root

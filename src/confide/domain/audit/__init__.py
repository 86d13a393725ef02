"""The audit trail's pure maths: entries, their canonical bytes, the RFC 9162 Merkle tree,
checkpoint and signed-note text. Standard library only; see docs/audit.md."""

"""One repository per aggregate; each maps rows to domain objects and never commits."""

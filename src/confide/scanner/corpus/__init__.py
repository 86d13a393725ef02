"""A seeded generator of labelled text (English and French) for tests and the benchmark."""

from confide.scanner.corpus.generator import LabelledDoc, Span, generate

__all__ = ["LabelledDoc", "Span", "generate"]

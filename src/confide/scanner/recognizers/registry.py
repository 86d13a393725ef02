"""The one registry of recognizers: every module of this package registers its own."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import TypeVar

from confide.scanner.errors import DuplicateRecognizer, UnknownRecognizer
from confide.scanner.recognizers.base import Recognizer

R = TypeVar("R", bound=type[Recognizer])

_REGISTERED: dict[str, type[Recognizer]] = {}
_NOT_RECOGNIZERS = {"base", "registry"}


def register(cls: R) -> R:
    """Class decorator: add a recognizer to the registry under its ``name``."""
    existing = _REGISTERED.get(cls.name)
    if existing is not None and existing is not cls:
        raise DuplicateRecognizer(cls.name)
    _REGISTERED[cls.name] = cls
    return cls


def _load_all() -> None:
    package = importlib.import_module("confide.scanner.recognizers")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in _NOT_RECOGNIZERS:
            importlib.import_module(f"confide.scanner.recognizers.{info.name}")


def recognizer_classes() -> dict[str, type[Recognizer]]:
    """Every registered recognizer class by name (loading the package's modules first)."""
    _load_all()
    return dict(sorted(_REGISTERED.items()))


def default_recognizers(names: Iterable[str] | None = None) -> list[Recognizer]:
    """Instances of the default recognizers, or of the ones named (optional ones included)."""
    classes = recognizer_classes()
    if names is None:
        return [cls() for cls in classes.values() if getattr(cls, "default", True)]
    out = []
    for name in names:
        if name not in classes:
            raise UnknownRecognizer(name)
        out.append(classes[name]())
    return out

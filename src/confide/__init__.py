"""Confide: a company's privacy policy made executable.

Layers (see docs/architecture.md): ``domain`` (pure rules) <- ``policy`` and
``scanner`` <- ``services`` (use cases, ports) <- ``adapters`` (store, mail,
queue); the front doors ``api``, ``web``, ``cli`` and ``jobs`` reach services
only through ``bootstrap``.
"""

__version__ = "0.1.0"

"""Recognizers of Canadian personal information, one per module (see :mod:`.base`)."""

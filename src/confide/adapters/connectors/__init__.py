"""Connectors to the data sources registered in the data map, one kind per module.

``registry.CONNECTOR_TYPES`` maps each :class:`~confide.domain.sources.SourceKind` to its
connector class; :class:`~confide.adapters.connectors.registry.ConnectorRegistry` implements
the ``SourceConnectors`` port and keeps one open connector per source. Adding a kind of
source means one module here, one line in the registry, and its test.

Every connector turns a failure to reach or read its source into
:class:`~confide.domain.sources.SourceUnavailable`, which names the source and the kind of
failure, never the driver's text (it may quote a URL or a value).
"""

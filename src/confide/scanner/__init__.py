"""PII discovery and anonymization.

Public surface::

    Scanner(recognizers=None, backend="auto", threshold=0.5, entities=None)
        .scan_text(text) -> ScanResult          findings (entity, span, score, why) + notes
        .scan_lines(lines) -> ScanResult        a stream, without holding it whole
    files.scan_file(scanner, path)              txt/csv/json/log, PDF and DOCX when installed;
    files.scan_paths(paths, options, workers)   several files on several cores
    distributed.scan_paths_dask / scan_table_dask   the same on a Dask cluster
    discovery.classify_columns / classify_csv   sampled column values -> categories
    anonymize.anonymize_text(text, findings, operators, default)
    anonymize.tables.anonymize_table(rows, quasi, k, hierarchies, sensitive)
    corpus.generate(seed, documents)            labelled EN/FR text for tests and benchmarks

Layout: ``recognizers/`` holds one recognizer per module, each registered in
``recognizers/registry.py``; ``backends.py`` the Hyperscan pass and its pure-Python
reference; ``engine.py`` validation, context, overlaps and chunking; ``checks.py`` fast
forms of library checks, kept equal to the libraries by tests.
"""

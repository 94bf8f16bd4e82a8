"""The inspection report: reading an ESI report (text or PDF) and storing it.

The parser is pure (no database, no Qt) and runs in stages, one module each: ``parse`` holds
the entry points (:func:`~esi_desktop.report.parse.parse_report_file` and friends) and the
top-level flow; ``decoding`` turns bytes, text or a PDF into pages of lines; ``lexer``
classifies each line; ``joining`` drops page furniture and joins wrapped lines; the section
readers, mixins on ``reader``, each read one part (``front_matter``, ``recommendations``,
``scores``, ``findings``, ``back_matter``); ``results`` holds the plain data they produce and
``messages`` the wording of their errors. ``importer`` is the one module that touches the
database: it previews, cross-checks and stores a parsed report.
"""

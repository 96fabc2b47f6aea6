"""Files in and out of the glossary: CSV, OmegaT TSV, TBX and TMX exports; CSV import.

Entry points: :func:`glossary.formats.exports.export` and
:func:`glossary.formats.importing.import_csv`.
"""

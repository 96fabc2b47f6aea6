"""Files in and out of the glossary, one module per format.

Exports: :func:`glossary.formats.exports.export` (CSV and XLSX in ``spreadsheet``, the OmegaT
glossary in ``omegat``, TBX 2008 and v3 in ``tbx``, the aligned pairs as TMX in ``tmx``).
Imports: :func:`glossary.formats.importing.import_glossary` (CSV, XLSX, TBX via
``tbx_reader``) and :func:`glossary.formats.tmx_reader.import_tmx` (a translation memory).
"""

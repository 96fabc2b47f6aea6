"""Term extraction: Chinese term candidates and their English equivalents from aligned pairs.

Entry point: :func:`glossary.extraction.extract.extract_terms`.
"""

"""Term extraction: Chinese term candidates and their English equivalents from aligned pairs.

Entry point: :func:`glossary.extraction.extract.extract_terms`, which sends translation pairs
through word alignment (``bitext`` → ``word_alignment`` → ``phrases`` → ``parallel``) and
comparable ones through the nearest-sentence search (``candidates`` → ``equivalents`` →
``comparable``); ``dictionary`` glosses and ``scoring`` weighs for both.
"""

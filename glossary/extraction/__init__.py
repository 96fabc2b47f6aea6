"""Term extraction: Chinese term candidates and their English equivalents from aligned pairs.

Entry point: :func:`glossary.extraction.extract.extract_terms`, which sends translation pairs
through word alignment (``bitext`` → ``word_alignment`` → ``phrases`` → ``sightings`` →
``phrase_stats`` → ``parallel``) and comparable ones through the nearest-sentence search
(``candidates`` → ``english_index`` → ``equivalents`` → ``choosing`` → ``comparable``);
``dictionary`` glosses and ``scoring`` weighs for both, ``inputs`` checks what comes in.
"""

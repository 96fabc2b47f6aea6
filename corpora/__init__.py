"""The bundled data, shipped in the wheel: the seed articles and the demo glossary.

A package so that ``importlib.resources`` finds the files in an installed wheel as in a
checkout. Only ``seeds/`` and ``glossary/seed_terms.csv`` (with their READMEs) are package
data; the dev gold lists stay in the source tree.
"""

"""The glossary store: SQLAlchemy models and the jobs done on them (merge, review, look up).

Entry points: :func:`glossary.store.engine.open_store`, :func:`glossary.store.lookups.lookup`,
:func:`glossary.store.merging.merge_entries`, :func:`glossary.store.editing.review`.
"""

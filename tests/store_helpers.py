"""Entries to merge and the store checks shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

import glossary.store.merging as merging_module
from glossary.errors import StoreConflict
from glossary.formats.importing import load_seed_terms
from glossary.store.editing import review
from glossary.store.engine import Store, open_store
from glossary.store.lookups import COUNT_LIMIT, lookup, lookup_page
from glossary.store.merging import merge_entries
from glossary.store.models import Contribution, Equivalent, Example, SearchKey, Term
from glossary.store.queries import set_statuses
from glossary.store.upgrade import upgrade
from glossary.types import Equivalent as Extracted
from glossary.types import Example as ExtractedExample
from glossary.types import Span, TermEntry


def example(doc_en: str, sent_en: int, en_text: str = "They stabilize jobs.") -> ExtractedExample:
    return ExtractedExample(
        doc_zh="004",
        doc_en=doc_en,
        sent_zh=3,
        sent_en=sent_en,
        zh_text="落实减负稳岗政策。",
        en_text=en_text,
        zh_span=Span(4, 6),
        en_span=Span(5, 19),
        pair_score=0.8,
    )


def entry(
    zh: str = "稳岗",
    renderings: tuple[tuple[str, int, float, tuple[ExtractedExample, ...]], ...] = (
        ("stabilize jobs", 2, 0.9, (example("000", 5), example("002", 7))),
        ("post-retention", 1, 0.4, (example("000", 6),)),
    ),
    termhood: float = 0.7,
) -> TermEntry:
    return TermEntry(
        zh=zh,
        termhood=termhood,
        equivalents=tuple(
            Extracted(en=en, frequency=f, confidence=c, examples=ex) for en, f, c, ex in renderings
        ),
    )


def exported_store(path: Path, rejection_note: str) -> Store:
    """A store as the export tests see it: curated rows, one extracted entry, a rejection."""
    store = open_store(path=path, create=True)
    load_seed_terms(store)
    merge_entries(store, [entry()], corpus_id="seeds")
    review(
        store,
        zh="稳岗",
        en="post-retention",
        status="rejected",
        reviewer="ana",
        note=rejection_note,
    )
    return store


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored value that a merge could change, in a comparable form."""
    with store.reading() as session:
        return {
            "terms": [
                (t.zh, t.note, t.definition, t.termhood, t.updated_at)
                for t in session.scalars(select(Term).order_by(Term.zh))
            ],
            "equivalents": [
                (
                    e.term_id,
                    e.en,
                    e.status,
                    e.frequency,
                    round(e.confidence, 9),
                    e.note,
                    e.origin,
                    e.reviewed_by,
                )
                for e in session.scalars(
                    select(Equivalent).order_by(Equivalent.term_id, Equivalent.en)
                )
            ],
            "examples": [
                (x.equivalent_id, x.doc_zh, x.doc_en, x.sent_zh, x.sent_en)
                for x in session.scalars(select(Example).order_by(Example.id))
            ],
            "contributions": [
                (c.equivalent_id, c.corpus_id, c.frequency, c.confidence)
                for c in session.scalars(
                    select(Contribution).order_by(
                        Contribution.equivalent_id, Contribution.corpus_id
                    )
                )
            ],
        }


def check_merge_is_idempotent(store: Store) -> None:
    merge_entries(store, [entry(), entry("一生一困")], corpus_id="seeds")
    first = snapshot(store)
    report = merge_entries(store, [entry(), entry("一生一困")], corpus_id="seeds")
    assert snapshot(store) == first
    assert (report.terms_added, report.equivalents_added, report.examples_added) == (0, 0, 0)
    [view] = lookup(store, "稳岗")
    assert view.equivalents[0].en == "stabilize jobs"
    assert view.equivalents[0].frequency == 2


def check_rebuild_keeps_review(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    review(
        store,
        zh="稳岗",
        en="post-retention",
        status="rejected",
        note="not a rendering",
        reviewer="ana",
    )
    changed = entry(renderings=(("stabilize jobs", 5, 0.95, (example("001", 1),)),))
    merge_entries(store, [changed], corpus_id="seeds")
    [view] = lookup(store, "稳岗")
    by_en = {eq.en: eq for eq in view.equivalents}
    assert by_en["post-retention"].status == "rejected"
    assert by_en["post-retention"].note == "not a rendering"
    assert by_en["post-retention"].reviewed_by == "ana"
    assert by_en["stabilize jobs"].frequency == 5
    assert [eq.en for eq in view.equivalents] == ["stabilize jobs", "post-retention"]


def preferred_per_term(store: Store) -> dict[str, int]:
    """How many preferred equivalents each term has (the invariant: never more than one)."""
    with store.reading() as session:
        rows = session.execute(
            select(Term.zh, func.count())
            .join(Equivalent)
            .where(Equivalent.status == "preferred")
            .group_by(Term.zh)
        )
        return {zh: count for zh, count in rows}


def check_concurrent_promotions_leave_one_preferred(store: Store, *, workers: int = 20) -> None:
    """20 "make rendering N preferred" at once, as the issue's probe sent them: one wins last."""
    merge_entries(
        store,
        [
            entry(
                renderings=tuple(
                    (f"rendering {n}", 1, 0.5, (example("000", n),)) for n in range(workers)
                )
            )
        ],
        corpus_id="seeds",
    )
    barrier = threading.Barrier(workers)
    failures: list[BaseException] = []

    def promote(n: int) -> None:
        barrier.wait()
        try:
            set_statuses(
                store,
                zh="稳岗",
                decisions=[(f"rendering {n}", "preferred", None)],
                reviewer=f"reviewer {n}",
            )
        except BaseException as error:  # collected: the test reports them all
            failures.append(error)

    threads = [threading.Thread(target=promote, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert preferred_per_term(store) == {"稳岗": 1}


def check_database_refuses_a_second_preferred(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana")
    with (
        pytest.raises(StoreConflict, match="conflicts with another one"),
        store.writing() as session,
    ):
        other = session.scalars(select(Equivalent).where(Equivalent.en == "post-retention")).one()
        other.status = "preferred"  # behind the review functions' back
    assert preferred_per_term(store) == {"稳岗": 1}


def check_pages_are_slices_of_one_order(store: Store) -> None:
    """Small pages of an English query are slices of one big page: each term once, in place.

    Each prefix match has two matching equivalents, seen equally often, and each term is
    seen a different number of times: in that tier's order a term's two rows come together,
    so the tier has twice as many rows as terms. There are more matches than a lookup
    counts (``COUNT_LIMIT``), and the substring matches, seen more often than any prefix
    match, still come after them all.
    """
    prefixed = COUNT_LIMIT + 10
    exact = [entry("就业", renderings=(("employment", 5, 0.9, ()),))]
    prefix = [
        entry(
            f"就业方案{n}",
            renderings=(
                (f"employment scheme {n}", 10 + n, 0.8, ()),
                (f"employment plan {n}", 10 + n, 0.6, ()),
            ),
        )
        for n in range(prefixed)
    ]
    substring = [
        entry(f"稳定就业{n}", renderings=((f"stable employment {n}", 1000, 0.7, ()),))
        for n in range(10)
    ]
    merge_entries(store, exact + prefix + substring, corpus_id="seeds")

    whole = lookup_page(store, "employment", limit=1000, examples=0)
    assert (whole.total, whole.total_exact) == (1 + prefixed + 10, True)
    assert {v.zh for v in whole.items} == {e.zh for e in exact + prefix + substring}
    assert [v.match for v in whole.items] == ["exact"] + ["prefix"] * prefixed + ["substring"] * 10
    most_seen_first = [e.zh for e in reversed(prefix)]
    assert [v.zh for v in whole.items[1 : 1 + prefixed]] == most_seen_first
    for size in (7, 20):
        pages = [lookup_page(store, "employment", limit=size, examples=0)]
        while pages[-1].items:
            offset = sum(len(page.items) for page in pages)
            pages.append(lookup_page(store, "employment", limit=size, offset=offset, examples=0))
        paged = [(v.id, v.match) for page in pages for v in page.items]
        assert len({term_id for term_id, _ in paged}) == len(paged)  # no term twice
        assert paged == [(v.id, v.match) for v in whole.items]
        for page in pages:  # a total said to be exact is; one that is not is a lower bound
            assert page.total == whole.total if page.total_exact else page.total < whole.total


def _stabilize(frequency: int, doc_en: str = "009") -> TermEntry:
    """稳岗 as a simplified corpus writes it, rendered "stabilize jobs" ``frequency`` times."""
    return entry(renderings=(("stabilize jobs", frequency, 0.8, (example(doc_en, 1),)),))


def check_scripts_share_one_entry(store: Store) -> None:
    """Both scripts of a term are one entry, shown in the spelling with more evidence."""
    merge_entries(store, [entry("穩崗")], corpus_id="hk")  # 2 + 1 sentence pairs, traditional
    merge_entries(store, [_stabilize(5)], corpus_id="cn")
    [view] = lookup(store, "穩崗")
    assert (view.zh, view.match, view.matched) == ("稳岗", "script", "稳岗")
    assert [(eq.en, eq.frequency) for eq in view.equivalents] == [
        ("stabilize jobs", 7),
        ("post-retention", 1),
    ]
    [same] = lookup(store, "稳岗")
    assert (same.id, same.match) == (view.id, "exact")
    # a rebuild replaces its corpus's vote with its figures: 3 traditional against 1
    merge_entries(store, [_stabilize(1)], corpus_id="cn")
    [view] = lookup(store, "稳岗")
    assert (view.id, view.zh, view.match, view.matched) == (same.id, "穩崗", "script", "穩崗")
    with store.reading() as session:
        [term] = session.scalars(select(Term))
        assert (term.zh, term.simplified) == ("穩崗", "稳岗")
        keys = session.scalars(select(SearchKey.key).where(SearchKey.term_id == term.id))
        assert list(keys) == ["崗"]  # the suffixes of the spelling shown
        spellings = session.execute(
            select(Contribution.corpus_id, Contribution.zh).order_by(Contribution.corpus_id)
        )
        assert sorted(set(spellings)) == [("cn", "稳岗"), ("hk", "穩崗")]


def check_concurrent_spellings_make_one_entry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two merges at once, 穩崗 from one corpus and 稳岗 from another: one entry. Each
    merge waits (up to a second) after reading the store for the other to have read it
    too, so without one writer at a time both would read "absent" and insert."""
    barrier = threading.Barrier(2, timeout=1.0)
    read = merging_module.terms_by_zh

    def read_then_wait(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # the other merge is blocked before its read: go on alone
        return found

    monkeypatch.setattr(merging_module, "terms_by_zh", read_then_wait)
    failures: list[BaseException] = []

    def merge(zh: str, corpus: str) -> None:
        try:
            merge_entries(store, [entry(zh)], corpus_id=corpus)
        except BaseException as error:  # collected: the test reports them all
            failures.append(error)

    threads = [
        threading.Thread(target=merge, args=args) for args in (("穩崗", "hk"), ("稳岗", "cn"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Term)) == 1
        [term] = session.scalars(select(Term))
    [view] = lookup(store, "穩崗")
    assert view.id == term.id
    assert [(eq.en, eq.frequency) for eq in view.equivalents] == [
        ("stabilize jobs", 4),
        ("post-retention", 2),
    ]


def legacy_spellings(store: Store) -> None:
    """Turn a current store into one written before terms were matched across scripts."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP INDEX ix_term_simplified"))
        connection.execute(text("ALTER TABLE term DROP COLUMN simplified"))
        connection.execute(text("ALTER TABLE contribution DROP COLUMN zh"))


def check_older_store_with_both_spellings(store: Store) -> None:
    """An older store holding both spellings as two entries: upgraded in place, both found
    in either script, and merged again by the next merge of their corpora."""
    merge_entries(store, [entry("穩崗"), entry("一生一困")], corpus_id="hk")
    merge_entries(store, [entry("作為")], corpus_id="tw")
    with store.writing() as session:  # as an older version matched terms: by spelling
        session.execute(update(Term).values(simplified=Term.zh))
    as_ = entry("作为", renderings=(("as", 9, 0.5, (example("009", 2),)),))
    merge_entries(store, [_stabilize(5), as_], corpus_id="cn")
    legacy_spellings(store)
    upgrade(store.engine)
    with store.reading() as session:
        terms = session.execute(select(Term.zh, Term.simplified).order_by(Term.id))
        assert list(terms) == [
            ("穩崗", "稳岗"),
            ("一生一困", "一生一困"),
            ("作為", "作为"),
            ("稳岗", "稳岗"),
            ("作为", "作为"),
        ]
        spellings = session.execute(select(Contribution.corpus_id, Contribution.zh).distinct())
        assert sorted(spellings) == [("cn", "作为"), ("cn", "稳岗"), ("hk", "一生一困"),
                                     ("hk", "穩崗"), ("tw", "作為")]  # fmt: skip
    assert [(v.zh, v.match) for v in lookup(store, "稳岗")] == [
        ("稳岗", "exact"),
        ("穩崗", "script"),
    ]
    assert [(v.zh, v.match) for v in lookup(store, "穩崗")] == [
        ("穩崗", "exact"),
        ("稳岗", "script"),
    ]
    review(store, zh="作为", en="as", status="rejected", reviewer="ana")
    # The next merge of a corpus adds to the older entry; the newer one goes when it is
    # left with nothing, and stays while a person's decision is on it.
    merge_entries(store, [_stabilize(5), as_], corpus_id="cn")
    [view] = lookup(store, "穩崗")
    assert (view.zh, [(eq.en, eq.frequency) for eq in view.equivalents]) == (
        "稳岗",  # 5 sentence pairs written so against 3: the spelling the removed one held
        [("stabilize jobs", 7), ("post-retention", 1)],
    )
    found = {
        v.zh: {eq.en: (eq.status, eq.frequency) for eq in v.equivalents}
        for v in lookup(store, "作为")
    }
    assert found == {
        # 9 written 作为 against 3, but the other entry holds that spelling
        "作為": {"as": ("proposed", 9), "stabilize jobs": ("proposed", 2),
                 "post-retention": ("proposed", 1)},
        "作为": {"as": ("rejected", 0)},
    }  # fmt: skip

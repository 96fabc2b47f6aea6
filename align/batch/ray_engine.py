"""The same batch on Ray: one actor per worker, each loading the encoder once.

``ray`` is an optional extra (``pip install 'duiqi[ray]'``) imported only when this engine
runs. Without ``address`` a Ray instance is started on this machine for the batch and shut
down after; with one (``ray://head:10001`` or ``auto``) the actors run on the cluster, which
must have duiqi installed and see the manifest's input paths (a shared file system). Actors
send back text, and this process writes every output, so the output folder need only exist
here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from align.errors import DuiqiError, InputError

from .manifest import PairSpec
from .runner import BatchSettings, PairOutcome, align_pair

_CALLS_PER_ACTOR = 2  # one running, one queued: an actor never idles while we write files


class EngineError(DuiqiError):
    """The batch engine cannot start: Ray missing or its cluster unreachable."""


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as error:
        raise EngineError(
            "the Ray engine needs the 'ray' package: pip install 'duiqi[ray]' "
            "(or use --engine local)"
        ) from error
    return ray


class _PairAligner:
    """Body of the Ray actor: created once per worker, so the encoder loads once per worker.

    Each actor reserves one CPU, so its encoder runs one thread: more would compete with the
    other actors Ray packs onto the same node.
    """

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self.encoder = settings.load_encoder(threads=1)

    def align(self, spec: PairSpec) -> PairOutcome:
        return align_pair(spec, self.encoder, self.settings)


class RayEngine:
    """Aligns pairs on ``workers`` Ray actors and yields outcomes in the order they finish."""

    def __init__(
        self, settings: BatchSettings, *, workers: int = 2, address: str | None = None
    ) -> None:
        if workers < 1:
            raise InputError(f"--workers must be at least 1, got {workers}")
        self.settings = settings
        self.workers = workers
        self.address = address

    def run(self, specs: Iterable[PairSpec]) -> Iterator[PairOutcome]:
        ray = _import_ray()
        owned = not ray.is_initialized()
        if owned:
            self._start(ray)
        actor_class = ray.remote(num_cpus=1)(_PairAligner)
        actors = [actor_class.remote(self.settings) for _ in range(self.workers)]
        try:
            yield from self._stream(ray, actors, iter(specs))
        finally:
            for actor in actors:
                ray.kill(actor)
            if owned:
                ray.shutdown()

    def _start(self, ray: Any) -> None:
        options: dict[str, Any] = {
            "include_dashboard": False,
            "logging_level": logging.WARNING,
            "configure_logging": False,
        }
        if self.address is None:
            options["num_cpus"] = self.workers
        try:
            ray.init(address=self.address, **options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            where = self.address or "this machine"
            raise EngineError(
                f"cannot start Ray on {where}: {error}; check --address (e.g. ray://HEAD:10001 "
                "or auto) and that the cluster runs the same Ray and Python versions"
            ) from error

    @staticmethod
    def _stream(ray: Any, actors: list[Any], todo: Iterator[PairSpec]) -> Iterator[PairOutcome]:
        load = {index: 0 for index in range(len(actors))}
        pending: dict[Any, int] = {}
        exhausted = False
        while True:
            while not exhausted and min(load.values()) < _CALLS_PER_ACTOR:
                spec = next(todo, None)
                if spec is None:
                    exhausted = True
                    break
                index = min(load, key=load.__getitem__)
                pending[actors[index].align.remote(spec)] = index
                load[index] += 1
            if not pending:
                return
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                load[pending.pop(ref)] -= 1
                outcome: PairOutcome = ray.get(ref)
                yield outcome

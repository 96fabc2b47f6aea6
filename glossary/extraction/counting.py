"""How often a term and an equivalent occur together: the ``frequency`` a translator sees.

A sighting links one Chinese sentence holding the term to one English sentence holding the
equivalent. Counting sightings counts the product of the two sentence counts wherever the
net is wide (香港 in 141 sentences, "Hong Kong" in 141: 19,881). The frequency is instead
the number of sentence pairs in which both occur with no sentence used twice: the size of
a maximum matching between the two sides (Hopcroft and Karp, 1973). On a translated text,
where each sentence is linked only to its aligned partners, that is the number of aligned
pairs holding both; it is never more than either side's sentence count.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping


def co_occurrences(links: Iterable[tuple[Hashable, Hashable]]) -> int:
    """The size of a maximum one-to-one matching of the (Chinese, English) ``links``."""
    graph: dict[Hashable, list[Hashable]] = {}
    for zh, en in links:
        targets = graph.setdefault(zh, [])
        if en not in targets:
            targets.append(en)
    return _hopcroft_karp(graph)


def _hopcroft_karp(graph: Mapping[Hashable, list[Hashable]]) -> int:
    match_left: dict[Hashable, Hashable] = {}
    match_right: dict[Hashable, Hashable] = {}
    size = 0
    while True:
        layer = _layers(graph, match_left, match_right)
        if layer is None:
            return size
        for left in graph:
            if left not in match_left and _augment(left, graph, layer, match_left, match_right):
                size += 1


def _layers(
    graph: Mapping[Hashable, list[Hashable]],
    match_left: Mapping[Hashable, Hashable],
    match_right: Mapping[Hashable, Hashable],
) -> dict[Hashable, int] | None:
    """Breadth-first distances of left vertices from the free ones; None if no path is left."""
    layer = {left: 0 for left in graph if left not in match_left}
    queue = deque(layer)
    found = False
    while queue:
        left = queue.popleft()
        for right in graph[left]:
            partner = match_right.get(right)
            if partner is None:
                found = True
            elif partner not in layer:
                layer[partner] = layer[left] + 1
                queue.append(partner)
    return layer if found else None


def _augment(
    start: Hashable,
    graph: Mapping[Hashable, list[Hashable]],
    layer: dict[Hashable, int],
    match_left: dict[Hashable, Hashable],
    match_right: dict[Hashable, Hashable],
) -> bool:
    """One shortest augmenting path from ``start`` along the layers (iterative depth-first)."""
    stack: list[tuple[Hashable, int]] = [(start, 0)]
    path: list[tuple[Hashable, Hashable]] = []
    while stack:
        left, index = stack[-1]
        targets = graph[left]
        if index == len(targets):
            stack.pop()
            layer.pop(left, None)  # a dead end: no other path in this phase goes through it
            if path:
                path.pop()
            continue
        stack[-1] = (left, index + 1)
        right = targets[index]
        partner = match_right.get(right)
        if partner is None:
            path.append((left, right))
            for a, b in path:
                match_left[a], match_right[b] = b, a
            return True
        if layer.get(partner) == layer.get(left, -2) + 1:
            path.append((left, right))
            stack.append((partner, 0))
    return False

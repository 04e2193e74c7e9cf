"""New cards mixed across exam domains (pure).

A deck file groups its cards by domain; introducing them in file order would
show a learner every card of the first domain before any of the last. New
cards are instead interleaved in proportion to each domain's share of the
deck, keeping the author's order within a domain: a smooth weighted round
robin (as nginx balances servers), so the order is deterministic and spread
evenly (with shares 2:1:1: A B C A, A B C A, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def interleave(
    lines: Mapping[str, Sequence[int]], weights: Mapping[str, int], limit: int
) -> list[int]:
    """Up to `limit` items taken from `lines` (domain -> items in the author's order),
    each domain in proportion to its weight; ties go to the domain named first."""
    queues = {name: list(items) for name, items in lines.items() if items}
    credit = dict.fromkeys(queues, 0)
    order: list[int] = []
    while queues and len(order) < limit:
        total = sum(max(1, weights.get(name, 1)) for name in queues)
        for name in queues:
            credit[name] += max(1, weights.get(name, 1))
        chosen = min(queues, key=lambda name: (-credit[name], name))
        credit[chosen] -= total
        order.append(queues[chosen].pop(0))
        if not queues[chosen]:
            del queues[chosen], credit[chosen]
    return order

"""Single-day visit order: a travelling-salesman tour from the base and back.

Exact (Held-Karp dynamic programming) for small days, otherwise an iterated
local search (2-opt + Or-opt with don't-look bits, double-bridge kicks).
Every move's cost change is computed for *directed* edges, with prefix sums
for reversed segments, so asymmetric road matrices (one-way streets) are
priced correctly and the search always terminates (a move is taken only if
it lowers the true tour cost by more than a tiny epsilon).
"""

from __future__ import annotations

import random
from collections import deque

from .types import cpu_clock

Costs = list[list[float]]

EXACT_MAX = 9  # Held-Karp up to this many stops: 2^9 * 81 steps, a few ms
EPS = 1e-9
NEIGHBOURS = 10
MAX_KICK_SEGMENT = 25
ACCEPT_SLACK = 0.003
# ILS kicks per second of budget; calibrated so that the budget is roughly
# honoured on a 2-core laptop-class machine. The search stops at this count
# (deterministic for a seed) or at the wall-clock deadline, whichever is first.
KICKS_PER_SECOND = 2000


def tour_cost(c: Costs, order: list[int], base: int = 0) -> float:
    """Cost of base -> order... -> base over directed edges."""
    total = 0.0
    prev = base
    for v in order:
        total += c[prev][v]
        prev = v
    return total + c[prev][base]


def solve_tsp(c: Costs, *, time_budget_s: float = 0.1, seed: int = 0,
              deadline: float | None = None) -> list[int]:
    """Order of nodes 1..n (node 0 is the base) minimising the closed tour.

    ``c`` is square, index 0 = base; it may be asymmetric. The kick count ends the
    search (deterministic for a seed); the clock guards it: ``deadline`` (a
    cpu_clock() value) when given, else twice the budget.
    """
    n = len(c) - 1
    if n <= 1:
        return list(range(1, n + 1))
    if n <= EXACT_MAX:
        return _held_karp(c, n)
    rng = random.Random(seed)
    kicks = max(50, int(time_budget_s * KICKS_PER_SECOND))
    if deadline is None:
        deadline = cpu_clock() + max(time_budget_s, 0.0) * 2.0 + 0.05
    return _iterated_local_search(c, n, rng, kicks, deadline)


def _held_karp(c: Costs, n: int) -> list[int]:
    """Exact DP over subsets; fine for n <= ~10 in pure Python."""
    inf = float("inf")
    full = 1 << n
    dp = [[inf] * n for _ in range(full)]
    parent = [[-1] * n for _ in range(full)]
    for k in range(n):
        dp[1 << k][k] = c[0][k + 1]
    for mask in range(1, full):
        row = dp[mask]
        for last in range(n):
            v = row[last]
            if v == inf:
                continue
            crow = c[last + 1]
            for nxt in range(n):
                bit = 1 << nxt
                if mask & bit:
                    continue
                nv = v + crow[nxt + 1]
                m2 = mask | bit
                if nv < dp[m2][nxt]:
                    dp[m2][nxt] = nv
                    parent[m2][nxt] = last
    mask = full - 1
    last = min(range(n), key=lambda k: (dp[mask][k] + c[k + 1][0], k))
    order: list[int] = []
    while last != -1:
        order.append(last + 1)
        prev = parent[mask][last]
        mask ^= 1 << last
        last = prev
    order.reverse()
    return order


def _cheapest_insertion(c: Costs, n: int) -> list[int]:
    """Start tour: insert each next-farthest-from-base node where it costs least."""
    todo = sorted(range(1, n + 1), key=lambda v: (-(c[0][v] + c[v][0]), v))
    tour = [0, 0]
    for v in todo:
        best_p, best_d = 0, float("inf")
        for p in range(len(tour) - 1):
            a, b = tour[p], tour[p + 1]
            d = c[a][v] + c[v][b] - c[a][b]
            if d < best_d:
                best_p, best_d = p, d
        tour.insert(best_p + 1, v)
    return tour


def _neighbour_lists(c: Costs, n: int, k: int) -> list[list[int]]:
    """Closest nodes in either direction (asymmetric-safe), base included."""
    out: list[list[int]] = []
    for v in range(n + 1):
        others = [w for w in range(n + 1) if w != v]
        others.sort(key=lambda w: (min(c[v][w], c[w][v]), w))
        out.append(others[:k])
    return out


class _Tour:
    """Extended tour [0, v1..vn, 0] with positions and directed prefix sums."""

    def __init__(self, c: Costs, t: list[int]) -> None:
        self.c = c
        self.set(t)

    def set(self, t: list[int]) -> None:
        c = self.c
        self.t = t
        m = len(t)
        self.pos = [0] * m  # nodes are 0..n, and m = n + 2
        for i in range(1, m - 1):
            self.pos[t[i]] = i
        fwd = [0.0] * m
        bwd = [0.0] * m
        for k in range(1, m):
            fwd[k] = fwd[k - 1] + c[t[k - 1]][t[k]]
            bwd[k] = bwd[k - 1] + c[t[k]][t[k - 1]]
        self.fwd, self.bwd = fwd, bwd

    @property
    def cost(self) -> float:
        return self.fwd[-1]

    def rev_extra(self, a: int, b: int) -> float:
        """Cost change of the inner edges of t[a..b] when that segment is reversed."""
        return (self.bwd[b] - self.bwd[a]) - (self.fwd[b] - self.fwd[a])


def _try_two_opt(tr: _Tour, v: int, near: list[int]) -> tuple[int, ...] | None:
    """Best-first 2-opt creating an edge between v and one of its neighbours."""
    c, t, m = tr.c, tr.t, len(tr.t)
    i = tr.pos[v]
    for w in near:
        qs = (0, m - 1) if w == 0 else (tr.pos[w],)
        for q in qs:
            lo, hi = (i, q) if i < q else (q, i)
            for a, b in ((lo + 1, hi), (lo, hi - 1)):
                if a < 1 or b > m - 2 or a >= b:
                    continue
                ta1, ta, tb, tb1 = t[a - 1], t[a], t[b], t[b + 1]
                delta = (
                    c[ta1][tb] + c[ta][tb1] - c[ta1][ta] - c[tb][tb1] + tr.rev_extra(a, b)
                )
                if delta < -EPS:
                    t[a : b + 1] = t[a : b + 1][::-1]
                    tr.set(t)
                    return (ta1, ta, tb, tb1)
    return None


def _neighbour_positions(tr: _Tour, near: list[int]) -> list[int]:
    """Tour positions of the neighbours (the base sits at both ends)."""
    last = len(tr.t) - 1
    out: list[int] = []
    for w in near:
        if w == 0:
            out.append(0)
            out.append(last)
        else:
            out.append(tr.pos[w])
    return out


def _try_or_opt(tr: _Tour, v: int, near: list[int]) -> tuple[int, ...] | None:
    """Move a 1-3 stop segment that starts or ends at v so v sits next to a neighbour.

    For each neighbour w only the two placements that create an edge between
    v and w are tried (one per orientation), as in neighbour-list Or-opt.
    """
    c, t, m = tr.c, tr.t, len(tr.t)
    i = tr.pos[v]
    qs = _neighbour_positions(tr, near)
    for length in (1, 2, 3):
        for v_first in (True, False) if length > 1 else (True,):
            a, b = (i, i + length - 1) if v_first else (i - length + 1, i)
            if a < 1 or b > m - 2:
                continue
            ta1, ta, tb, tb1 = t[a - 1], t[a], t[b], t[b + 1]
            gain = c[ta1][ta] + c[tb][tb1] - c[ta1][tb1] - EPS
            rev = tr.rev_extra(a, b) if length > 1 else 0.0
            ca, cb = c[ta], c[tb]
            for q in qs:
                # forward keeps ta..tb; reversed puts tb first.
                # v first: forward after w (p=q), reversed before w (p=q-1).
                # v last: forward before w (p=q-1), reversed after w (p=q).
                pf, pr = (q, q - 1) if v_first else (q - 1, q)
                if 0 <= pf <= m - 2 and not (a - 1 <= pf <= b):
                    tp, tp1 = t[pf], t[pf + 1]
                    if c[tp][ta] + cb[tp1] - c[tp][tp1] < gain:
                        _move_segment(tr, a, b, pf, reverse=False)
                        return (ta1, ta, tb, tb1, tp, tp1)
                if length > 1 and 0 <= pr <= m - 2 and not (a - 1 <= pr <= b):
                    tp, tp1 = t[pr], t[pr + 1]
                    if c[tp][tb] + ca[tp1] + rev - c[tp][tp1] < gain:
                        _move_segment(tr, a, b, pr, reverse=True)
                        return (ta1, ta, tb, tb1, tp, tp1)
    return None


def _move_segment(tr: _Tour, a: int, b: int, p: int, *, reverse: bool) -> None:
    t = tr.t
    seg = t[a : b + 1]
    if reverse:
        seg.reverse()
    if p < a:
        new = t[: p + 1] + seg + t[p + 1 : a] + t[b + 1 :]
    else:
        new = t[:a] + t[b + 1 : p + 1] + seg + t[p + 1 :]
    tr.set(new)


def _local_search(tr: _Tour, near: list[list[int]], active: list[int]) -> None:
    """Don't-look-bit local search: only nodes near a change are re-examined."""
    queue = deque(v for v in active if v != 0)
    queued = set(queue)
    while queue:
        v = queue.popleft()
        queued.discard(v)
        touched = _try_two_opt(tr, v, near[v]) or _try_or_opt(tr, v, near[v])
        if touched:
            for u in (v, *touched):
                if u != 0 and u not in queued:
                    queued.add(u)
                    queue.append(u)


def _double_bridge(t: list[int], rng: random.Random) -> tuple[list[int], list[int]]:
    """Swap two short adjacent segments (a local double bridge).

    No segment is reversed, so the kick means the same on asymmetric costs;
    short segments keep the repair by local search cheap.
    """
    inner = t[1:-1]
    n = len(inner)
    len1 = rng.randint(1, min(MAX_KICK_SEGMENT, n - 2))
    len2 = rng.randint(1, min(MAX_KICK_SEGMENT, n - 1 - len1))
    p1 = rng.randrange(0, n - len1 - len2 + 1)
    p2, p3 = p1 + len1, p1 + len1 + len2
    new_inner = inner[:p1] + inner[p2:p3] + inner[p1:p2] + inner[p3:]
    ends = {inner[p1], inner[p2 - 1], inner[p2], inner[p3 - 1]}
    if p1 > 0:
        ends.add(inner[p1 - 1])
    if p3 < n:
        ends.add(inner[p3])
    return [0, *new_inner, 0], sorted(ends)


def _iterated_local_search(
    c: Costs, n: int, rng: random.Random, kicks: int, deadline: float
) -> list[int]:
    near = _neighbour_lists(c, n, NEIGHBOURS)
    cur = _Tour(c, _cheapest_insertion(c, n))
    _local_search(cur, near, list(range(1, n + 1)))
    best_t, best_cost = list(cur.t), cur.cost
    if n < 5:
        return best_t[1:-1]
    for k in range(kicks):
        if k % 16 == 0 and cpu_clock() > deadline:
            break
        new_t, ends = _double_bridge(cur.t, rng)
        cand = _Tour(c, new_t)
        _local_search(cand, near, ends)
        # Threshold acceptance: a slightly worse tour (relative to the best) is
        # kept early on to leave deep local optima; the threshold shrinks to 0.
        slack = ACCEPT_SLACK * (1.0 - k / kicks) * best_cost
        if cand.cost <= cur.cost + EPS or cand.cost < best_cost + slack:
            cur = cand
            if cand.cost < best_cost - EPS:
                best_t, best_cost = list(cand.t), cand.cost
    return best_t[1:-1]

"""The search behind the base rotation: day by day from the anchor, bounded backtracking.

Each day takes the best pair by a greedy order (see Search.key) subject to hard rules
(no_holiday_duty, never_pair, min rest) and to the fairness rule: in every 28-day window
each person has `lo` or `hi` duties (lo = floor(per_day*28/n), hi = ceil(...)), so the
spread is at most one. Per person that means: the next duty is no earlier than 28 days
after the hi-th last one (cap) and no later than 28 days after the lo-th last one
(deadline). Earliest-deadline reasoning forces urgent people in and a Hall check prunes
doomed branches; people with days off get a small search over their own next two months,
because long holidays need them on duty densely before and after. Backtracking is rare
and never reaches further back than BACKTRACK_DAYS, which is what makes the result for a
day independent of how far ahead the roster is generated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

WINDOW = 28  # days in a fairness window
BACKTRACK_DAYS = 28  # how far back a dead end may revise; also the generation margin
LOOKAHEAD_DAYS = 14  # how far the deadline (Hall) check looks ahead
PLAN_MARGIN_DAYS = 100  # rest flags needed past the horizon by the lookahead checks
NODE_BASE, NODE_PER_DAY = 4000, 60  # search budget before falling back to relaxed rules


def window_bounds(n_people: int, per_day: int) -> tuple[int, int]:
    """(lo, hi): duties each person must have in every 28-day window for a spread <= 1."""
    total = per_day * WINDOW
    return total // n_people, -(-total // n_people)


@dataclass
class _Person:
    idx: int
    member: Any  # a StaffMember
    duties: list[int] = field(default_factory=list)
    rest_duties: int = 0
    due: int | None = None  # cached deadline (see Search.deadline)


class Search:
    """Day-by-day search with bounded backtracking; deterministic for a given input."""

    def __init__(self, members: Sequence, rules, rest: Sequence[bool], horizon: int):
        """members: StaffMember-like (name, no_holiday_duty), at least rules.per_day of them;
        rest[i]: day anchor+i is a weekend or holiday (needed to horizon + 100)."""
        self.people = [_Person(i, m) for i, m in enumerate(members)]
        self.rules = rules
        self.per_day = rules.per_day
        self.gap = rules.min_rest_days + 1  # smallest allowed distance between duties
        self.lo, self.hi = window_bounds(len(members), rules.per_day)
        if self.lo == self.hi and any(m.no_holiday_duty for m in members):
            # Exactly lo duties in every window makes everyone strictly 28-day periodic,
            # which holidays eventually block for a no-holiday person: allow spread 2.
            self.lo, self.hi = max(0, self.lo - 1), self.hi + 1
        self.horizon = horizon
        self.rest = rest
        index = {m.name: i for i, m in enumerate(members)}
        self.banned = {
            tuple(sorted(index[n] for n in pair))
            for pair in rules.never_pair
            if len(pair) == 2 and all(n in index for n in pair)
        }
        self.assign: list[tuple[int, ...]] = []
        self.nodes = 0
        self.relaxed_days: set[int] = set()  # days where fairness had to give way
        self.plans: dict[tuple, bool] = {}  # memo: (recent duties, plan end) -> feasible
        self.latest: dict[tuple, int | None] = {}  # memo: latest feasible next duty
        self.memory = max(self.lo, self.hi, 1)  # duties that matter for the next one
        self._dues: tuple[int, list[int]] = (-1, [])

    # -- per-person rules -------------------------------------------------
    def can_serve(self, p: _Person, t: int) -> bool:
        return not (p.member.no_holiday_duty and self.rest[t])

    def rested(self, p: _Person, t: int) -> bool:
        return not p.duties or t - p.duties[-1] >= self.gap

    def under_cap(self, p: _Person, t: int) -> bool:
        """Taking day t keeps p at most `hi` duties in the window ending at t."""
        return len(p.duties) < self.hi or p.duties[-self.hi] <= t - WINDOW

    def deadline(self, p: _Person, t: int) -> int:
        """Latest day p's next duty may fall on so every window still reaches `lo`."""
        if p.member.no_holiday_duty:
            return self._planned_deadline(p, t)
        if p.due is not None:  # depends on the duties only, so cached until they change
            return p.due
        best, m = 1 << 30, len(p.duties)
        for j in range(1, self.lo + 1):
            a = p.duties[-j] + 1 if m >= j else 0
            best = min(best, a + WINDOW - 1 - (self.lo - j) * self.gap)
            if m < j:
                break
        p.due = best
        return best

    def _next_range(self, hist: tuple[int, ...]) -> tuple[int, int]:
        """Earliest and latest day for the duty after `hist` (rest gap and window rules)."""
        first = hist[-1] + self.gap if hist else 0
        if len(hist) >= self.hi:
            first = max(first, hist[-self.hi] + WINDOW)
        if self.lo == 0:
            return first, 1 << 30
        if len(hist) >= self.lo:
            return first, hist[-self.lo] + WINDOW
        return first, WINDOW - 1 - (self.lo - len(hist) - 1) * self.gap

    def _planned_deadline(self, p: _Person, t: int) -> int:
        """Deadline for someone with days off: the latest next duty that a fair plan allows.

        Long holidays need such a person to be on duty densely before and after them;
        a small search over their own future (about two months) finds the latest
        next duty from which every window can still be kept (t - 1 when none can).
        """
        upto = self._plan_end(t)
        hist = tuple(p.duties[-self.memory :])
        first, last = self._next_range(hist)
        key = (hist, upto)
        if key not in self.latest:
            self.latest[key] = next(
                (q for q in range(min(last, upto), first - 1, -1)
                 if not self.rest[q] and self._plan_ok(hist + (q,), upto)),
                None,
            )
        q = self.latest[key]
        if last > upto:
            return last
        return q if q is not None and q >= t else t - 1

    @staticmethod
    def _plan_end(t: int) -> int:
        """How far ahead a plan for someone with days off must hold (49-56 days; fixed per week)."""
        return (t // 7 + 8) * 7

    def _plan_ok(self, hist: tuple[int, ...], upto: int) -> bool:
        """Whether a no-holiday-duty person with duties `hist` can stay fair until `upto`."""
        hist = hist[-self.memory :]
        key = (hist, upto)
        hit = self.plans.get(key)
        if hit is None:
            first, last = self._next_range(hist)
            hit = last > upto
            q = last
            while not hit and q >= first:
                hit = not self.rest[q] and self._plan_ok(hist + (q,), upto)
                q -= 1
            self.plans[key] = hit
        return hit

    # -- search -------------------------------------------------------------
    def key(self, p: _Person, t: int) -> tuple:
        """Greedy order: on weekends/holidays fewest such duties first, then fewest duties;
        on working days fewest duties, then most weekend/holiday duties (they have earned it);
        then longest since last duty, then staff order."""
        last = p.duties[-1] if p.duties else -(1 << 30)
        if self.rest[t]:
            return (p.rest_duties, len(p.duties), last, p.idx)
        return (len(p.duties), -p.rest_duties, last, p.idx)

    def candidates(self, t: int) -> Iterator[tuple[int, ...]]:
        """Pairs to try for day t, best first (none when day t is a dead end)."""
        dues = self._dues[1] if self._dues[0] == t else [self.deadline(p, t) for p in self.people]
        must, pool = [], []
        for p, due in zip(self.people, dues):
            ok = self.can_serve(p, t) and self.rested(p, t) and self.under_cap(p, t)
            if ok and p.member.no_holiday_duty:
                ok = self._plan_ok(tuple(p.duties[-self.memory :]) + (t,), self._plan_end(t))
            if due <= t:
                if not ok:
                    return iter(())
                must.append(p)
            elif ok:
                pool.append(p)
        if len(must) > self.per_day:
            return iter(())
        pool.sort(key=lambda p: self.key(p, t))
        fixed = tuple(p.idx for p in must)
        return filter(self._allowed, self._combos(fixed, [p.idx for p in pool]))

    def _combos(self, fixed: tuple[int, ...], pool: list[int]):
        k = self.per_day - len(fixed)
        if k == 0:
            yield fixed
            return
        for i, x in enumerate(pool):
            if k == 1:
                yield fixed + (x,)
            else:
                yield from self._combos(fixed + (x,), pool[i + 1 :])

    def _allowed(self, combo: tuple[int, ...]) -> bool:
        if not self.banned:
            return True
        return not any(
            (min(a, b), max(a, b)) in self.banned for i, a in enumerate(combo) for b in combo[i + 1 :]
        )

    def place(self, t: int, combo: tuple[int, ...]) -> None:
        self.nodes += 1
        for i in combo:
            p = self.people[i]
            p.duties.append(t)
            p.rest_duties += self.rest[t]
            p.due = None
        self.assign.append(combo)

    def unplace(self, t: int) -> None:
        for i in self.assign.pop():
            p = self.people[i]
            p.duties.pop()
            p.rest_duties -= self.rest[t]
            p.due = None

    def feasible_after(self, t: int) -> bool:
        """Hall check: deadlines due by day t+1+k need at most per_day*(k+1) seats."""
        dues = [self.deadline(p, t + 1) for p in self.people]
        self._dues = (t + 1, dues)
        for k, d in enumerate(sorted(dues), start=1):
            if d > t + LOOKAHEAD_DAYS:
                break
            if k > self.per_day * (d - t):
                return False
        return True

    def run(self) -> list[tuple[str, ...]]:
        """Assign every day up to the horizon; returns the names on duty per day."""
        frames: list[Iterator[tuple[int, ...]]] = []  # untried pairs per day
        floor = 0  # days before `floor` are final
        t = 0
        while t < self.horizon:
            if len(frames) == t:
                frames.append(self.candidates(t))
            if self._try_day(t, frames[t]):
                t += 1
                floor = max(floor, t - BACKTRACK_DAYS)
                continue
            frames.pop()
            if t > floor and self.nodes < NODE_BASE + NODE_PER_DAY * t:
                t -= 1  # dead end: revise the previous day
                self.unplace(t)
                continue
            # No fair assignment reachable: take the best pair under relaxed rules.
            self.place(t, self.relaxed(t))
            self.relaxed_days.add(t)
            self._dues = (-1, [])  # cached deadlines were for a pair not placed
            frames.append(iter(()))
            t += 1
            floor = t
        return [tuple(self.people[i].member.name for i in sorted(c)) for c in self.assign]

    def _try_day(self, t: int, pairs: Iterator[tuple[int, ...]]) -> bool:
        """Place the next untried pair for day t that keeps the future feasible."""
        for combo in pairs:
            self.place(t, combo)
            if self.feasible_after(t):
                return True
            self.unplace(t)
        return False

    def relaxed(self, t: int) -> tuple[int, ...]:
        """Best pair when the fairness window cannot be kept; drops soft rules in turn."""
        tiers = [
            lambda p: self.can_serve(p, t) and self.rested(p, t),
            lambda p: self.can_serve(p, t),
            lambda p: True,
        ]
        for ok in tiers:
            pool = sorted((p for p in self.people if ok(p)), key=lambda p: self.key(p, t))
            for combo in self._combos((), [p.idx for p in pool]):
                if self._allowed(combo):
                    return combo
        pool = sorted(self.people, key=lambda p: self.key(p, t))
        return tuple(p.idx for p in pool[: self.per_day])

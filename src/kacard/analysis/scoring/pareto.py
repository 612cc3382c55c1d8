"""The 80/20 rule as an ABC classification (pure; money stays Decimal).

Ranked accounts are the non-prospects with a positive metric, sorted by metric
descending, ties by id ascending. With S_i the cumulative share *before*
account i: A if S_i < a, B if S_i < b, else C. So the account that crosses the
a cut-off is still A. Everything else (prospects, metric 0 or less) is C and
holds share 0. Shares are compared exactly (Decimal), so a cumulative share of
exactly 0.80 is not below 0.80.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from kacard.i18n import Message

ZERO = Decimal(0)


@dataclass(slots=True)
class ParetoEntry:
    id: str
    metric: Decimal
    rank: int | None  # 1-based among ranked accounts; None when not ranked
    share: Decimal  # metric / total (0 when not ranked)
    before: Decimal  # cumulative share of the accounts ranked above it (S_i)
    after: Decimal  # cumulative share including it
    klass: str  # "A" | "B" | "C"
    cuts: tuple[Decimal, Decimal]  # the a and b cut-offs it was classed with
    prospect: bool = False

    @property
    def reason(self) -> str:
        """The rule that decided the class, in words."""
        cut_a, cut_b = self.cuts
        if self.rank is None:
            if self.prospect:
                return Message("prospect: class C, not ranked")
            if self.metric == 0:
                return Message("metric is 0: class C, not ranked")
            return Message("metric is negative: class C, not ranked")
        before, a, b = f"{self.before:.1%}", f"{cut_a:.0%}", f"{cut_b:.0%}"
        if self.klass == "A":
            return Message("the accounts ranked above it hold {before}, under the class A limit a = {a}",
                           before=before, a=a)
        if self.klass == "B":
            return Message("the accounts ranked above it hold {before}: at least a = {a}, under b = {b}",
                           before=before, a=a, b=b)
        return Message("the accounts ranked above it hold {before}: at least b = {b}", before=before, b=b)


@dataclass(frozen=True)
class Concentration:
    accounts: int
    ranked: int
    total: Decimal
    a_accounts: int
    a_share_of_accounts: float  # class A accounts / all accounts
    a_share_of_total: float  # share of the total held by the class A accounts
    top20_accounts: int
    top20_share: float  # share of the total held by the top 20 % of accounts


def classify(
    metrics: dict[str, Decimal], prospects: set[str], a: float, b: float
) -> list[ParetoEntry]:
    """ABC class of every account; returns entries ranked first (metric desc, id asc), then the rest by id."""
    cuts = cut_a, cut_b = Decimal(str(a)), Decimal(str(b))
    ranked = sorted(i for i, m in metrics.items() if m > 0 and i not in prospects)
    ranked.sort(key=metrics.__getitem__, reverse=True)  # stable: equal metrics stay by id
    total = sum((metrics[i] for i in ranked), start=ZERO)
    entries: list[ParetoEntry] = []
    running = ZERO
    for rank, account in enumerate(ranked, start=1):
        value = metrics[account]
        before = running / total
        running += value
        after = running / total
        klass = "A" if before < cut_a else "B" if before < cut_b else "C"
        entries.append(ParetoEntry(account, value, rank, value / total, before, after, klass, cuts))
    for account in sorted(set(metrics) - set(ranked)):
        entries.append(ParetoEntry(account, metrics[account], None, ZERO, ZERO, ZERO, "C", cuts,
                                   account in prospects))
    return entries


def concentration(entries: list[ParetoEntry]) -> Concentration:
    """Summary: how many accounts are class A, and the share held by the top 20 % of accounts."""
    count = len(entries)
    ranked = [e for e in entries if e.rank is not None]
    total = sum((e.metric for e in ranked), start=ZERO)
    a_accounts = sum(1 for e in entries if e.klass == "A")
    a_metric = sum((e.metric for e in ranked if e.klass == "A"), start=ZERO)
    top = math.ceil(count * 0.2) if count else 0
    top_metric = sum((e.metric for e in ranked[:top]), start=ZERO)
    return Concentration(
        accounts=count,
        ranked=len(ranked),
        total=total,
        a_accounts=a_accounts,
        a_share_of_accounts=a_accounts / count if count else 0.0,
        a_share_of_total=float(a_metric / total) if total > 0 else 0.0,
        top20_accounts=top,
        top20_share=float(top_metric / total) if total > 0 else 0.0,
    )

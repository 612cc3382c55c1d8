"""The enum values kacard shows people, each under its context, for the catalog.

Cards, JSON and CSV keep these English ids in every language; `kacard.i18n.label(context,
value)` shows them in the run's language. Terms follow the course (seeds/): the sales
stages of seed 002 (客户开发 … 工程实施), the relationship steps of seed 003 (建立、维系、
巩固), 内线 for the coach, 跳槽征兆 for churn signals, and the loyalty x profitability
quadrants (真朋友 / 蝴蝶 / 藤壶 / 陌生人).
"""

from __future__ import annotations

from kacard.i18n import C_

LABELS = (
    C_("status", "prospect"), C_("status", "active"), C_("status", "dormant"), C_("status", "lost"),
    C_("stage", "development"), C_("stage", "initiation"), C_("stage", "proposal"), C_("stage", "bidding"),
    C_("stage", "negotiation"), C_("stage", "implementation"), C_("stage", "won"), C_("stage", "lost"),
    C_("visit kind", "visit"), C_("visit kind", "call"), C_("visit kind", "meeting"), C_("visit kind", "event"),
    C_("visit kind", "gift"), C_("visit kind", "complaint"),
    C_("signal", "sharing_wallet"), C_("signal", "strategy_change"), C_("signal", "procurement_change"),
    C_("signal", "channel_conflict"), C_("signal", "other"),
    C_("role", "decision_maker"), C_("role", "influencer"), C_("role", "buyer"), C_("role", "user"),
    C_("role", "technical"), C_("role", "finance"), C_("role", "gatekeeper"), C_("role", "coach"),
    C_("role", "other"),
    C_("stance", "ally"), C_("stance", "neutral"), C_("stance", "opponent"), C_("stance", "unknown"),
    C_("level", "top"), C_("level", "middle"), C_("level", "operational"),
    C_("relationship", "establish"), C_("relationship", "stabilize"), C_("relationship", "strengthen"),
    C_("sector", "government"), C_("sector", "soe"), C_("sector", "foreign"), C_("sector", "private"),
    C_("sector", "public_institution"), C_("sector", "finance"),
    C_("reason", "cadence"), C_("reason", "next_step"), C_("reason", "no_next_step"),
    C_("reason", "receivable"), C_("reason", "signal"), C_("reason", "opportunity"), C_("reason", "relationship"),
    C_("quadrant", "true_friend"), C_("quadrant", "butterfly"), C_("quadrant", "barnacle"),
    C_("quadrant", "stranger"),
    C_("ten_two_class", "key"), C_("ten_two_class", "potential"), C_("ten_two_class", "regular"),
    C_("direction", "up"), C_("direction", "down"),
    C_("metric", "revenue"), C_("metric", "margin"),
    C_("currency", "CNY"),
    C_("yes/no", "yes"), C_("yes/no", "no"),
    C_("weekday", "mon"), C_("weekday", "tue"), C_("weekday", "wed"), C_("weekday", "thu"),
    C_("weekday", "fri"), C_("weekday", "sat"), C_("weekday", "sun"),
    C_("checklist", "decision_maker"), C_("checklist", "contact_phone"), C_("checklist", "address"),
    C_("checklist", "location"), C_("checklist", "visit_hours"), C_("checklist", "credit"),
    C_("checklist", "purchasing"), C_("checklist", "recent_visit"), C_("checklist", "next_step"),
    C_("credit", "rating"), C_("credit", "limit"), C_("credit", "terms_days"),
    C_("card field", "industry"), C_("card field", "sector"), C_("card field", "region"),
    C_("card field", "relationship"),
    # the fields an edit names in `kacard changes` (JSON and English keep the keys)
    C_("card field", "name"), C_("card field", "owner"), C_("card field", "status"), C_("card field", "tier"),
    C_("card field", "address"), C_("card field", "location"), C_("card field", "visit_hours"),
    C_("card field", "contacts"), C_("card field", "visits"), C_("card field", "trades"),
    C_("card field", "opportunities"), C_("card field", "signals"), C_("card field", "credit"),
    C_("card field", "purchasing"), C_("card field", "criteria"), C_("card field", "tags"),
    C_("card field", "wait_until"), C_("card field", "handovers"), C_("card field", "since"),
    C_("since", "yesterday"), C_("since", "today"),
    C_("criterion", "profit_share"), C_("criterion", "strategic_goals"), C_("criterion", "loss_impact"),
    C_("criterion", "long_term"), C_("criterion", "growth_potential"), C_("criterion", "time_invested"),
    C_("criterion", "product_fit"), C_("criterion", "centralized_purchasing"),
    C_("criterion", "continuous_purchasing"), C_("criterion", "influence"),
)

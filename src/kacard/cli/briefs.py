"""The data of a week's briefs (`kacard brief`) from each card's kept page and row.

A brief shows a card's key people, last visits, credit and open opportunities: parts the
rows leave out. Each card's page (kacard.render.brief.page) is kept per card version
(kacard.cards.pages); a card without one (new, changed, or first briefed) is parsed
whole once and its page kept. The rest of a brief (what depends on today and the
settings) comes from the card's row, as `due` reads it (render.brief.page_data);
tests/test_briefs.py checks both give what the whole card gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kacard.cli.common import Run

if TYPE_CHECKING:
    from kacard.analysis.due import DueItem
    from kacard.cards.store import Folder


def brief_datas(opts: Run, folder: Folder, items: Sequence[DueItem]) -> list[dict[str, Any]]:
    """render.brief.brief_data of each item's card, in order, for a folder loaded with
    summary=True."""
    from kacard.cards import pages
    from kacard.cards.cache import CardCache
    from kacard.render.brief import brief_data, page, page_data

    summaries = {s.brief.id: s for s in folder.summaries or []}
    digests = folder.digests or {}
    wanted = {s.rel: digests[s.rel] for s in (summaries.get(item.id) for item in items)
              if s is not None and s.rel in digests}
    cache = CardCache(folder.path)
    whole = None
    try:
        kept = pages.get(cache, wanted)
        missing = [item.id for item in items if item.id not in summaries or summaries[item.id].rel not in kept]
        if missing:
            whole = opts.load(only=missing)
            made = {}
            for loaded in whole.cards:
                if wanted.get(loaded.rel) == loaded.digest and getattr(summaries.get(loaded.card.id), "rel", None) == loaded.rel:
                    made[loaded.rel] = (loaded.digest, page(loaded.card))
            pages.put(cache, made)
            kept.update({rel: made_page for rel, (_, made_page) in made.items()})
        if digests:
            pages.prune(cache, set(digests))
    finally:
        cache.close()
    datas = []
    for item in items:
        summary = summaries.get(item.id)
        if summary is not None and summary.rel in kept:
            datas.append(page_data(kept[summary.rel], summary.brief, summary.card_index.metric, summary.brief,
                                   folder.settings, opts.today))
        else:  # changed while this run read it: its whole card, as read
            assert whole is not None
            datas.append(brief_data(whole.get(item.id).card, folder.settings, opts.today))
    return datas

"""Another session's changes reach the app as news read from the store's feed: each screen
redraws what they touched, and only that (a customer recorded elsewhere does not refill the list
of 600 maps or reload the open map); news the feed cannot give whole redraws everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxmap_tui.domain import ExperienceMap
from cxmap_tui.domain.customers import Account
from cxmap_tui.store import Store
from cxmap_tui.tui.elsewhere import EVERYTHING, Elsewhere
from cxmap_tui.tui.screens.workshop import WorkshopScreen
from cxmap_tui.tui.steps.template import TemplatePane
from tests.helpers.factories import make_map
from tests.helpers.tui import make_app, open_map, settle, wait_until


async def test_news_of_customers_alone_leaves_the_maps_as_drawn(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cx.json"
    store = Store.open(db)
    m = store.add(make_map())
    store.add_many(ExperienceMap.new(f"Map {n}") for n in range(20))
    other = Store.open(db)  # a colleague's cxmap on the same file
    fills: list[str] = []
    heard: list[Elsewhere] = []
    fill, hear = TemplatePane._fill, WorkshopScreen.changed_elsewhere

    def counted(pane: TemplatePane, *, keep_highlight: bool = True) -> None:
        fills.append("fill")
        fill(pane, keep_highlight=keep_highlight)

    async def listened(screen: WorkshopScreen, news: Elsewhere = EVERYTHING) -> None:
        heard.append(news)
        await hear(screen, news)

    monkeypatch.setattr(TemplatePane, "_fill", counted)
    monkeypatch.setattr(WorkshopScreen, "changed_elsewhere", listened)
    app = make_app(store, tmp_path / "state", poll_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_map(pilot, "Support call")
        shown = app.screen.current
        before = len(fills)
        other.customers.add_account(Account.new("Acme Vets", "2026-01-01", "Vets"))
        await wait_until(pilot, lambda: bool(heard), what="the news of the account")
        assert heard[-1].touched("accounts") and not heard[-1].touched("maps")
        assert len(fills) == before and app.screen.current is shown  # nothing of the maps redrawn
        other.change(m.id, lambda x: x.edit(scope="changed elsewhere"))
        await wait_until(pilot, lambda: app.screen.current.scope == "changed elsewhere", what="the map's news")
        assert heard[-1].touched("maps", m.id) and not heard[-1].touched("maps", "another id")
        assert len(fills) == before + 1  # the list of maps, refilled once


def test_news_the_feed_cannot_give_whole_is_everything(tmp_path: Path) -> None:
    from cxmap_tui.tui.elsewhere import Following

    db = tmp_path / "cx.json"
    mine, theirs = Store.open(db), Store.open(db)
    following = Following(theirs)
    m = mine.add(make_map())
    theirs.refresh()
    news = following.news()
    assert news.touched("maps", m.id) and not news.touched("accounts")
    assert following.news() == Elsewhere({})  # nothing since
    (tmp_path / "cx.json.history").unlink(missing_ok=True)
    mine.storage.compact_records = 1  # type: ignore[attr-defined]  # the next save folds the journal in
    mine.change(m.id, lambda x: x.edit(scope="folded"))
    mine.change(m.id, lambda x: x.edit(scope="folded again"))
    (tmp_path / "cx.json.history").unlink()  # pruned before `theirs` read the folded records
    theirs.refresh()
    assert following.news() is EVERYTHING

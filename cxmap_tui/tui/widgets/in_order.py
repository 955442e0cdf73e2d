"""Keys handled in the order they were typed, even when they arrive in one burst.

Textual hands each key to the widget that has the focus when the key *arrives*, and runs most
key bindings later, once the key has bubbled up to the app. Typed slowly that is the same thing;
typed fast, or delivered in one write by a slow link, it is not: in "4Too slow" (a feeling, then
the thoughts) every letter has been handed to the list before the 4 has moved the focus to the
thoughts, and a field's Enter runs after the letters typed behind it (Textual issue 6605).

So a widget with `KeysInOrder` runs its own bindings itself, as each key comes, and the app
(see `CxmapApp.on_event`) hands it the next key only once it has done with this one: a key that
moves the focus has moved it before the next key is handed out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    # A plain class at run time: Textual follows only the first base that is a widget when it
    # gathers CSS and component classes, and that must stay the Textual class mixed into.
    _Base = object


class KeysInOrder(_Base):
    """Mixed in before a Textual widget class: `class FeelingList(KeysInOrder, DataTable)`."""

    async def _on_key(self, event: events.Key) -> None:
        # Once this key is done here (Textual's own handler for it included), the next may come.
        self.call_later(self._done_with, event)
        # `_bindings` holds the widget's own bindings, with their actions' parameters bound.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return

    def _done_with(self, event: events.Key) -> None:
        key_handled = getattr(self.app, "key_handled", None)
        if key_handled is not None:
            key_handled(event)

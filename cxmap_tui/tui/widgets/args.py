"""The keyword arguments cxmap's widgets pass on to Textual's, typed.

A widget of ours that takes Textual's usual arguments (`id`, `classes`, an Input's `placeholder`)
says so with `**kwargs: Unpack[...]` of one of these, so that a misspelt or mistyped argument is
found by the type checker at the call, as it would be calling Textual's widget itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from rich.console import RenderableType
from rich.highlighter import Highlighter
from textual.suggester import Suggester
from textual.validation import Validator


class WidgetArgs(TypedDict, total=False):
    """What every Textual widget takes."""

    name: str | None
    id: str | None
    classes: str | None
    disabled: bool


class ControlArgs(WidgetArgs, total=False):
    """What Textual's form controls (Input, Select) take besides."""

    tooltip: RenderableType | None
    compact: bool


class InputArgs(ControlArgs, total=False):
    """What Textual's Input takes after its value (those cxmap has a use for)."""

    placeholder: str
    highlighter: Highlighter | None
    password: bool
    restrict: str | None
    max_length: int
    suggester: Suggester | None
    validators: Validator | Iterable[Validator] | None
    valid_empty: bool
    select_on_focus: bool

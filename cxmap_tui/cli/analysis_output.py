"""Printing the analysis, the backlog, the opportunity matrix and the comparison."""

from __future__ import annotations

from rich.console import Console

from ..domain.analysis import Analysis, Friction
from ..domain.compare import Comparison
from ..domain.model import ExperienceMap, Improvement
from ..present.analysis_view import analysis_view, backlog_view, comparison_view, matrix_view
from .output import ascii_wanted, console


def print_analysis(m: ExperienceMap, a: Analysis) -> None:
    c = console()
    c.print(analysis_view(m, a, ascii=ascii_wanted(c)))


def print_backlog(m: ExperienceMap, chosen: list[Improvement], *, sort: str, filtered: bool,
                  unaddressed: tuple[Friction, ...]) -> None:
    c = console()
    c.print(backlog_view(m, chosen, sort=sort, filtered=filtered, unaddressed=unaddressed, ascii=ascii_wanted(c)))




def print_matrix(m: ExperienceMap, chosen: list[Improvement], *, filtered: bool) -> None:
    c = console()
    c.print(matrix_view(m, chosen, filtered=filtered, ascii=ascii_wanted(c), width=c.width))


def print_comparison(c: Comparison) -> None:
    con: Console = console()
    con.print(comparison_view(c, ascii=ascii_wanted(con)))

"""Commands that read a map's curve and backlog, and set a current-state map against its ideal:
analyze, backlog, link, match, compare."""

from __future__ import annotations

import click

from ..domain.analysis import Analysis, Friction, analyze
from ..domain.backlog import SORTS, filter_backlog, priority, quadrant, value
from ..domain.compare import Comparison, Pair, compare, gap_summary
from ..domain.errors import CxmapError, NotFound
from ..domain.json_types import JSON, JSONDict
from ..domain.model import STATUSES, ExperienceMap, Improvement, Touchpoint
from ..present.display import visible
from ..store import Store
from .group import CONTEXT, cli, db_option, out, print_json, reading_store, store_for


def _json(data: JSON) -> None:
    print_json(data)


def _number(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _tp(m: ExperienceMap, tp: Touchpoint | None) -> JSONDict | None:
    if tp is None:
        return None
    return {"position": m.touchpoint_index(tp.id) + 1, "id": tp.id, "name": tp.name, "stage": tp.stage,
            "feeling": tp.feeling}


def _friction_json(m: ExperienceMap, f: Friction) -> JSONDict:
    titles = {imp.id: imp.title for imp in m.improvements}
    return {
        **(_tp(m, f.touchpoint) or {}),
        "reasons": list(f.reasons),
        "drop": f.drop,
        "addressed_by": [{"id": i, "title": titles[i]} for i in f.addressed_by],
        "flagged": not f.addressed_by,
    }


def analysis_json(m: ExperienceMap, a: Analysis) -> JSONDict:
    return {
        "map": {"id": m.id, "title": m.title},
        "friction": [_friction_json(m, f) for f in a.friction],
        "highlights": [_tp(m, h.touchpoint) for h in a.highlights],
        "unrated": [_tp(m, tp) for tp in a.unrated],
        "stages": [
            {"stage": s.stage, "touchpoints": s.touchpoints, "rated": s.rated, "average": _number(s.average),
             "worst": _tp(m, s.worst)}
            for s in a.stages
        ],
        "worst": _tp(m, a.worst),
        "end": _tp(m, a.end),
        "remembered": _number(a.remembered),
        "average": _number(a.average),
    }


@cli.command("analyze", context_settings=CONTEXT,
             short_help="Friction points, highlights, stages, and what customers remember.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def analyze_command(ctx: click.Context, db: str | None, map_ref: str, as_json: bool) -> None:
    """Read MAP's curve: friction points, highlights, stages, and what customers will remember.

    A friction point is a rated touchpoint at -1 or lower, or one that falls by 2 or more from the
    previous rated touchpoint; FLAGGED ones have no improvement yet. A highlight is a touchpoint at
    +1 or higher with no rated neighbour above it. By the peak-end rule the worst point and the end
    weigh most in memory: "remembered" is the mean of the two.
    """
    m = reading_store(ctx, db).find(map_ref)
    a = analyze(m)
    if as_json:
        _json(analysis_json(m, a))
        return
    from .analysis_output import print_analysis

    print_analysis(m, a)


def _improvement_json(m: ExperienceMap, number: int, imp: Improvement) -> JSONDict:
    names = {tp.id: tp.name for tp in m.touchpoints}
    return {
        "number": number,
        "id": imp.id,
        "title": imp.title,
        "status": imp.status,
        "owner": imp.owner,
        "customer_value": imp.customer_value,
        "business_value": imp.business_value,
        "effort": imp.effort,
        "value": value(imp),
        "priority": priority(imp),
        "quadrant": quadrant(imp),
        "touchpoints": [{"id": t, "name": names.get(t, "")} for t in imp.touchpoints],
    }


@cli.command(context_settings=CONTEXT, short_help="The prioritised backlog, or the opportunity matrix.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--status", "statuses", multiple=True, metavar="S",
              help=f"Only this status ({', '.join(STATUSES)}); repeat for several.")
@click.option("--owner", default=None, metavar="O", help="Only this owner (any case).")
@click.option("--touchpoint", "-t", "tp_ref", default=None, metavar="TP",
              help="Only the improvements that address this touchpoint.")
@click.option("--sort", "sort", type=click.Choice(list(SORTS)), default="priority", show_default=True,
              help="The order of the list.")
@click.option("--matrix", is_flag=True, help="Draw the opportunity matrix: value against effort.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def backlog(ctx: click.Context, db: str | None, map_ref: str, statuses: tuple[str, ...], owner: str | None,
            tp_ref: str | None, sort: str, matrix: bool, as_json: bool) -> None:
    """The improvement backlog of MAP, prioritised, then the friction no improvement addresses.

    Value is the mean of customer and business value; priority is value / effort x 20 (4-100).
    Quadrants: quick win (value 3.5+, effort 1-3), big bet (value 3.5+, effort 4-5), fill-in (value
    under 3.5, effort 1-3), money pit (value under 3.5, effort 4-5).
    """
    m = reading_store(ctx, db).find(map_ref)
    tp_id = m.touchpoint(tp_ref).id if tp_ref is not None else None
    chosen = sorted(filter_backlog(m, statuses=statuses, owner=owner, touchpoint=tp_id), key=SORTS[sort])
    unaddressed = analyze(m).unaddressed
    if as_json:
        data: JSONDict = {
            "map": {"id": m.id, "title": m.title},
            "sort": sort,
            "improvements": [_improvement_json(m, n, imp) for n, imp in enumerate(chosen, start=1)],
            "unaddressed": [_friction_json(m, f) for f in unaddressed],
        }
        if matrix:
            from ..domain.backlog import matrix as cells

            numbers = {imp.id: n for n, imp in enumerate(chosen, start=1)}
            data["matrix"] = [
                {"value": row, "effort": effort, "improvements": [numbers[imp.id] for imp in imps]}
                for (row, effort), imps in cells(chosen).items()
                if imps
            ]
        _json(data)
        return
    from .analysis_output import print_backlog, print_matrix

    filtered = bool(statuses) or owner is not None or tp_id is not None
    if matrix:
        print_matrix(m, chosen, filtered=filtered)
    else:
        print_backlog(m, chosen, sort=sort, filtered=filtered, unaddressed=unaddressed)


@cli.command(context_settings=CONTEXT, short_help="Compare a current-state map with an ideal map.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("ideal_ref", metavar="[IDEAL]", required=False)
@click.option("--none", "unlink", is_flag=True, help="Stop comparing MAP with an ideal map.")
@click.pass_context
def link(ctx: click.Context, db: str | None, map_ref: str, ideal_ref: str | None, unlink: bool) -> None:
    """Compare the current-state map MAP with IDEAL, the ideal map of the same experience.

    Touchpoints then pair by name; `cxmap match` corrects a pairing. Linking another ideal, or
    --none, forgets the corrections made for the old one.
    """
    if unlink == (ideal_ref is not None):
        raise click.UsageError("give IDEAL, or --none to unlink (not both)")
    store = store_for(ctx, db, create=False)
    m = store.find(map_ref)
    if unlink:
        store.link_ideal(m.id, "")
        out(f"{visible(m.title)} is no longer compared with an ideal map")
        return
    assert ideal_ref is not None
    ideal = store.find(ideal_ref)
    store.link_ideal(m.id, ideal.id)
    out(f"{visible(m.title)} is compared with {visible(ideal.title)}")


def _linked_ideal(store: Store, m: ExperienceMap) -> ExperienceMap:
    if not m.ideal:
        raise CxmapError(f"{m.title!r} is not linked to an ideal map; link one first: cxmap link MAP IDEAL")
    try:
        return store.get(m.ideal)
    except NotFound:
        raise CxmapError(
            f"the ideal map {m.title!r} is linked to is no longer in the database; "
            "link another: cxmap link MAP IDEAL"
        ) from None


@cli.command(context_settings=CONTEXT, short_help="Pair a touchpoint with one of the ideal map's.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.argument("tp_ref", metavar="TOUCHPOINT")
@click.argument("ideal_tp_ref", metavar="[IDEAL_TOUCHPOINT]", required=False)
@click.option("--none", "no_counterpart", is_flag=True, help="TOUCHPOINT has no counterpart in the ideal.")
@click.option("--by-name", "by_name", is_flag=True, help="Forget the pairing: pair by name again.")
@click.pass_context
def match(ctx: click.Context, db: str | None, map_ref: str, tp_ref: str, ideal_tp_ref: str | None,
          no_counterpart: bool, by_name: bool) -> None:
    """Pair TOUCHPOINT of MAP with IDEAL_TOUCHPOINT of its linked ideal map.

    Without a pairing, touchpoints pair with the ideal touchpoint of the same name. --none says
    TOUCHPOINT has no counterpart in the ideal; --by-name removes the pairing again.
    """
    if (ideal_tp_ref is not None) + no_counterpart + by_name != 1:
        raise click.UsageError("give IDEAL_TOUCHPOINT, --none or --by-name (one of them)")
    store = store_for(ctx, db, create=False)
    m = store.find(map_ref)
    tp = m.touchpoint(tp_ref)
    ideal = _linked_ideal(store, m)
    if ideal_tp_ref is None:
        store.change(m.id, lambda m: m.set_match(tp.id, "" if no_counterpart else None))
        how = "has no counterpart in the ideal" if no_counterpart else "pairs by name"
        out(f"{visible(tp.name)} {how}")
        return
    target = ideal.touchpoint(ideal_tp_ref)
    before = compare(m, ideal)
    store.change(m.id, lambda m: m.set_match(tp.id, target.id))
    out(f"{visible(tp.name)} pairs with {visible(target.name)} in the ideal")
    for p in before.pairs:
        if p.ideal.id == target.id and p.current.id != tp.id:
            out(f"{visible(p.current.name)} no longer pairs with it by name")


def _pair_json(c: Comparison, p: Pair) -> JSONDict:
    return {"current": _tp(c.current, p.current), "ideal": _tp(c.ideal, p.ideal), "by": p.by, "gap": p.gap}


def comparison_json(c: Comparison) -> JSONDict:
    summary = gap_summary(c)
    return {
        "current": {"id": c.current.id, "title": c.current.title},
        "ideal": {"id": c.ideal.id, "title": c.ideal.title},
        "pairs": [_pair_json(c, p) for p in c.pairs],
        "missing": [_tp(c.ideal, tp) for tp in c.missing],
        "extra": [_tp(c.current, tp) for tp in c.extra],
        "rated_pairs": summary["rated"],
        "mean_gap": _number(summary["mean"]),
        "biggest_gaps": [_pair_json(c, p) for p in summary["biggest"]],
    }


@cli.command("compare", context_settings=CONTEXT,
             short_help="Today against the ideal: pairs and gaps, missing, extra.")
@db_option
@click.argument("map_ref", metavar="MAP")
@click.option("--ideal", "ideal_ref", default=None, metavar="IDEAL",
              help="Compare with this ideal map (default: the one MAP is linked to).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def compare_command(ctx: click.Context, db: str | None, map_ref: str, ideal_ref: str | None, as_json: bool) -> None:
    """Set the current-state map MAP against its ideal: touchpoint by touchpoint, the feeling
    today, the ideal feeling and the gap (today minus ideal); what is missing today; what
    happens today that the ideal does not have.
    """
    store = reading_store(ctx, db)
    m = store.find(map_ref)
    if ideal_ref is None:
        if not m.ideal:
            raise CxmapError(f"{m.title!r} is not linked to an ideal map; give --ideal IDEAL, "
                             "or link one: cxmap link MAP IDEAL")
        ideal = _linked_ideal(store, m)
    else:
        ideal = store.find(ideal_ref)
        if ideal.kind != "ideal":
            raise CxmapError(f"{ideal.title!r} is a current-state map, not an ideal one")
        if ideal.id == m.id:
            raise CxmapError("a map cannot be compared with itself")
    c = compare(m, ideal)
    if as_json:
        _json(comparison_json(c))
        return
    from .analysis_output import print_comparison

    print_comparison(c)

"""The built-in templates: the sample maps shipped with cxmap, ready to copy into a new map."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .domain.errors import NotFound
from .domain.ids import new_id, resolve
from .domain.model import ExperienceMap, now_iso
from .io.json_format import map_from_json

SAMPLES = Path(__file__).resolve().parent / "sample_maps"


@dataclass(frozen=True)
class Template:
    name: str  # the file's name without .json: what `--template` takes
    map: ExperienceMap

    @property
    def title(self) -> str:
        return self.map.title


@lru_cache(maxsize=1)
def load_templates() -> tuple[Template, ...]:
    if not SAMPLES.is_dir():
        return ()
    out = []
    for path in sorted(SAMPLES.glob("*.json")):
        m = map_from_json(path.read_text(encoding="utf-8"), path.name)
        out.append(Template(path.stem, m))
    return tuple(out)


def find_template(ref: str) -> Template:
    try:
        return resolve(load_templates(), ref, what="template", id_of=lambda t: t.name, name_of=lambda t: t.title)
    except NotFound as e:
        names = ", ".join(t.name for t in load_templates())
        raise NotFound(f"{e} (templates: {names or 'none installed'})") from None


def start_from(template: Template, title: str, *, keep_feelings: bool) -> ExperienceMap:
    """A new map copied from a template: new ids, the given title, and the template's
    feelings and thoughts kept or left for the team to fill in."""
    m = template.map.copy()
    id_map: dict[str, str] = {}
    for tp in m.touchpoints:
        id_map[tp.id] = new_id(id_map.values())
        tp.id = id_map[tp.id]
        if not keep_feelings:
            tp.feeling = None
            tp.thoughts = ""
    m.improvements = [
        replace(imp, id=new_id(), touchpoints=[id_map[t] for t in imp.touchpoints]) for imp in m.improvements
    ]
    m.edit(title=title)
    m.ideal, m.matches = "", {}  # links to the template's own ideal mean nothing in a new workspace
    m.id = new_id()
    m.template = template.name
    m.created = m.updated = now_iso()
    m.revision = 0
    return m

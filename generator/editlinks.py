""" "Edit this page" for generated pages: the file an editor changes to change the page.

Every page is generated from YAML, so MkDocs' default (the page's Markdown source) would
point at a file that does not exist. Each page instead names, relative to the repository
root, the YAML file that defines what it is about; pages whose words live in a template
name that template.
"""

from __future__ import annotations

from . import locations as loc
from .validate import Project

# Pages whose text is written in their template rather than in content/.
TEMPLATE_PAGES = {
    loc.INDEX: "templates/pages/index.md.j2",
    loc.METHOD: "templates/pages/method.md.j2",
}


def edit_paths(project: Project) -> dict[str, str]:
    """Page source path -> repository path of the file that produced it."""
    out = dict(TEMPLATE_PAGES)
    for sid, src in project.sources.items():
        out[loc.source_page(sid)] = src.doc.file
    for e in project.collection("meetings"):
        out[loc.meeting_page(e.fact.id)] = e.file
    for e in project.collection("participants"):
        out[loc.participant_page(e.fact.id)] = e.file
    for page, collections in (
        (loc.MEETINGS, ("meetings",)),
        (loc.PARTICIPANTS, ("participants",)),
        (loc.LANDMINES, ("landmine_figures", "landmine_incidents")),
    ):
        entries = [e for c in collections for e in project.collection(c)]
        if entries:
            out[page] = entries[0].file  # the file that defines the first item the page lists
    loose = [e for e in project.collection("statements") if not e.fact.meeting]
    if loose:
        out[loc.STATEMENTS] = loose[0].file
    return out

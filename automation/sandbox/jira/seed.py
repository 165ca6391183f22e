"""Seeded JIRA: the product projects the portal cases link to, the T5G card project and the OPS
incident project, one issue per linked tracker (plus a few unlinked ones), and a scrum board per team
project with closed, active and future sprints.
"""

import random
from datetime import timedelta

from automation.sandbox import catalog, seeding
from automation.sandbox.jira.issues import Issue, JiraStore, Project, Sprint

_SEVERITY_PRIORITY = {"1": "Critical", "2": "Major", "3": "Normal", "4": "Minor"}


def build(spec, trackers) -> JiraStore:
    rng = seeding.rng(spec.seed, "jira")
    store = JiraStore()
    names = {}
    for product in catalog.PRODUCTS.values():
        names.setdefault(product.bug_project, (f"{product.name} bugs", product.component))
        names.setdefault(product.rfe_project, (f"{product.name} feature requests", product.component))
    for key, title in catalog.EXTRA_PROJECTS.items():
        names[key] = (title, "General")
    for index, (key, (name, component)) in enumerate(sorted(names.items())):
        store.projects[key] = Project(str(10_100 + index), key, name, [component])
    for tracker in trackers:
        if tracker.system == "jira":
            _issue(store, rng, tracker, spec)
    _sprints(store, spec)
    return store


def _issue(store: JiraStore, rng: random.Random, tracker, spec) -> None:
    project, number = tracker.key.rsplit("-", 1)
    issue_id, key = store.allocate(project, int(number))
    created = tracker.created - timedelta(hours=rng.randrange(0, 48))
    age_days = (spec.anchor - created).days
    updated = created + timedelta(hours=rng.randrange(1, max(2, min(age_days, 200) * 24)))
    if tracker.kind == "card":
        status = rng.choice(("New", "In Progress", "In Progress", "Review"))
        issuetype, labels = "Task", ["t5g", *(f"case-{n}" for n in tracker.case_numbers)]
    else:
        closed_odds = 0.6 if age_days > 365 else 0.25
        status = "Closed" if rng.random() < closed_odds else rng.choice(("New", "Backlog", "In Progress", "Review"))
        issuetype = "Feature Request" if tracker.kind == "rfe" else "Bug"
        labels = ["customer-case"] + (["rfe"] if tracker.kind == "rfe" else [])
    issue = store.add(
        Issue(
            id=issue_id,
            key=key,
            project=project,
            issuetype=issuetype,
            summary=tracker.summary,
            description=f"Requested by {len(tracker.case_numbers)} customer case(s). {tracker.summary}.",
            status=status,
            priority=rng.choice(("Critical", "Major", "Major", "Normal", "Normal", "Minor")),
            reporter=rng.choice(catalog.ENGINEERS),
            created=created,
            updated=min(updated, spec.anchor),
            labels=labels,
            components=[tracker.product.component],
            assignee=rng.choice(catalog.JIRA_PEOPLE) if status != "New" else None,
            fix_versions=[rng.choice(tracker.product.versions)] if status == "Closed" else [],
        )
    )
    if status == "Closed":
        issue.resolution = rng.choice(("Done", "Done", "Done", "Won't Do", "Duplicate"))
        issue.resolutiondate = issue.updated
    if tracker.kind == "card":
        for number in tracker.case_numbers:
            issue.remote_links.append(
                {
                    "id": store.next_link_id + 1,
                    "globalId": f"case={number}",
                    "object": {"url": f"https://access.redhat.com/support/cases/#/case/{number}", "title": number},
                }
            )
            store.next_link_id += 1
    for index in range(rng.randrange(0, 3)):
        store.next_comment_id += 1
        moment = issue.created + (issue.updated - issue.created) * (index + 1) / 4
        issue.comments.append(
            {
                "id": str(store.next_comment_id),
                "author": rng.choice(catalog.JIRA_PEOPLE),
                "body": rng.choice(("Triaged.", "Reproduced in the lab.", "Waiting on a customer log bundle.")),
                "created": moment,
                "updated": moment,
            }
        )


def _sprints(store: JiraStore, spec) -> None:
    for board_id, project in ((1, "T5G"), (2, "OPS")):
        store.boards.append({"id": board_id, "name": f"{project} board", "type": "scrum", "project": project})
        for offset, state in ((-2, "closed"), (-1, "closed"), (0, "active"), (1, "future")):
            sprint_id = board_id * 100 + offset + 10
            start = spec.anchor + timedelta(days=14 * offset)
            store.sprints[sprint_id] = Sprint(
                sprint_id,
                board_id,
                f"{project} Sprint {40 + offset}",
                state,
                start if state != "future" else None,
                start + timedelta(days=14) if state != "future" else None,
            )
    active = next(s for s in store.sprints.values() if s.board_id == 1 and s.state == "active")
    for issue in store.issues:
        if issue.project == "T5G" and issue.status in ("In Progress", "Review"):
            issue.sprint = active.id

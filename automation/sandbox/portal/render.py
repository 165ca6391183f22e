"""The shapes the portal serves a case in: a Hydra search document, the Hydra case detail, the linked
JIRA list, and the newer support API's case.

Search documents are built only for the page being returned; filtering and sorting read the case
through `SEARCH_FIELDS`, which is also the set of fields a Solr query may name.
"""

from automation.sandbox import clock
from automation.sandbox.portal.cases import CLOSED, Case

SEARCH_FIELDS = {
    "case_number": lambda c: c.number,
    "case_accountNumber": lambda c: c.account.number,
    "case_account_name": lambda c: c.account.name,
    "case_summary": lambda c: c.summary,
    "case_description": lambda c: description(c),
    "case_status": lambda c: c.status,
    "case_owner": lambda c: c.owner,
    "case_severity": lambda c: c.severity,
    "case_type": lambda c: c.case_type,
    "case_createdDate": lambda c: c.created,
    "case_lastModifiedDate": lambda c: c.modified,
    "case_closedDate": lambda c: c.closed,
    "case_product": lambda c: [c.product.name],
    "case_version": lambda c: c.version,
    "case_bugzillaNumber": lambda c: c.bugzilla,
    "case_tags": lambda c: c.tags if isinstance(c.tags, list) else c.tags.split(";"),
    "case_sbr": lambda c: [c.product.sbr],
    "case_closed": lambda c: c.status == CLOSED,
}


def description(case: Case) -> str:
    return (
        f"{case.account.name} reports: {case.summary}. Environment: {case.product.name} {case.version}. "
        f"Business impact: {'production' if case.severity[0] in '12' else 'non-production'}."
    )


def search_doc(case: Case, fields: list[str] | None) -> dict:
    doc = {}
    for name in fields or SEARCH_FIELDS:
        getter = SEARCH_FIELDS.get(name)
        if getter is None:
            continue
        value = case.tags if name == "case_tags" else getter(case)
        if value is None:
            continue  # Solr omits fields a document does not have
        doc[name] = clock.iso_z(value) if hasattr(value, "tzinfo") else value
    return doc


def jiras(case: Case, world, root: str) -> list[dict]:
    links = []
    for key in case.jira_keys:
        issue = world.jira.get(key)
        if issue is None:
            continue
        links.append(
            {
                "resourceKey": key,
                "resourceURL": f"{root}/jira/browse/{key}",
                "title": issue.summary,
                "status": issue.status,
                "lastModifiedDate": clock.iso_z(issue.updated),
            }
        )
    return links


def hydra_detail(case: Case, world, root: str) -> dict:
    detail = world.cases.detail(case)
    bugzillas = []
    if case.bugzilla:
        bug = world.bugzilla.get(int(case.bugzilla))
        bugzillas.append(
            {
                "bugzillaNumber": case.bugzilla,
                "bugzillaLink": f"{root}/bugzilla/show_bug.cgi?id={case.bugzilla}",
                "summary": bug["summary"] if bug else None,
                "status": bug["status"] if bug else None,
            }
        )
    return {
        "caseNumber": case.number,
        "accountNumber": case.account.number,
        "accountName": case.account.name,
        "summary": case.summary,
        "description": description(case),
        "status": case.status,
        "severity": case.severity,
        "type": case.case_type,
        "product": case.product.name,
        "version": case.version,
        "owner": case.owner,
        "sbrGroups": [case.product.sbr],
        "tags": SEARCH_FIELDS["case_tags"](case),
        "createdDate": clock.iso_z(case.created),
        "lastModifiedDate": clock.iso_z(case.modified),
        "closedDate": clock.iso_z(case.closed),
        "critSit": detail["critSit"],
        "groupName": detail["groupName"],
        "notifiedUsers": detail["notifiedUsers"],
        "reliefAt": detail["reliefAt"],
        "resolvedAt": detail["resolvedAt"],
        "bugzillas": bugzillas,
        "comments": detail["comments"],
    }


def support_case(case: Case, world) -> dict:
    detail = world.cases.detail(case)
    return {
        "caseNumber": case.number,
        "summary": case.summary,
        "description": description(case),
        "status": case.status,
        "severity": case.severity,
        "product": case.product.name,
        "version": case.version,
        "caseType": case.case_type,
        "accountNumberRef": case.account.number,
        "createdDate": clock.iso_z(case.created),
        "lastModifiedDate": clock.iso_z(case.modified),
        "customerEscalation": detail["critSit"] or case.severity.startswith("1"),
        "critSit": detail["critSit"],
    }

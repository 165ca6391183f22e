"""JIRA through the official `jira` client, in the Data Center and the Cloud flavour."""

import jira
import pytest
import requests


@pytest.fixture
def client(sandbox):
    connection = jira.JIRA(server=sandbox.vendor_url("jira"), token_auth="pat", max_retries=0)
    yield connection
    connection.close()


def test_client_connects_and_reads_metadata(client):
    assert client.server_info()["deploymentType"] == "Server"
    assert client.myself()["name"] == "rfe-bot"
    keys = {p.key for p in client.projects()}
    assert {"T5G", "OCPBUGS", "RHEL", "AAP", "OPS"} <= keys
    assert any(f["id"] == "customfield_12310940" for f in client.fields())
    assert "Critical" in {p.name for p in client.priorities()}


def test_create_then_search_get_transition_comment_and_link(client, sandbox):
    created = client.create_issue(
        fields={
            "project": {"key": "T5G"},
            "issuetype": {"name": "Task"},
            "summary": "03700001: Router drops websockets",
            "description": "From the sandbox test",
            "priority": {"name": "Critical"},
            "labels": ["t5g", "case-03700001"],
            "components": [{"name": "Networking"}],
            "assignee": {"name": "jsmith"},
        }
    )
    assert created.key.startswith("T5G-") and created.fields.status.name == "New"
    found = client.search_issues('project = T5G AND labels = "case-03700001" AND summary ~ "websockets"')
    assert [issue.key for issue in found] == [created.key]

    names = {t["name"]: t["id"] for t in client.transitions(created)}
    assert "Start Progress" in names and "Reopen" not in names
    client.transition_issue(created, "Start Progress", comment="Taking it")
    client.add_comment(created, "Customer sent logs")
    client.add_remote_link(
        created.key, {"url": "https://access.redhat.com/support/cases/#/case/03700001", "title": "03700001"}
    )
    issue = client.issue(created.key, expand="changelog")
    assert issue.fields.status.name == "In Progress"
    assert [c.body for c in issue.fields.comment.comments] == ["Taking it", "Customer sent logs"]
    assert issue.changelog.histories[-1].items[0].toString == "In Progress"
    assert client.remote_links(created.key)[0].object.title == "03700001"

    client.transition_issue(created, names["Close"], fields={"resolution": {"name": "Won't Do"}})
    closed = client.issue(created.key)
    assert closed.fields.status.name == "Closed" and closed.fields.resolution.name == "Won't Do"
    assert client.search_issues(f"key = {created.key} AND statusCategory = Done").total == 1
    with pytest.raises(jira.JIRAError) as invalid:
        client.transition_issue(created, names["Start Progress"])
    assert invalid.value.status_code == 400

    issue.update(fields={"summary": "03700001: Router drops websockets (prod)"}, update={"labels": [{"add": "prod"}]})
    again = client.issue(created.key)
    assert again.fields.summary.endswith("(prod)") and "prod" in again.fields.labels


def test_create_validates_like_jira(client):
    with pytest.raises(jira.JIRAError) as error:
        client.create_issue(fields={"project": {"key": "NOPE"}, "issuetype": {"name": "Task"}, "summary": ""})
    assert error.value.status_code == 400
    assert {"project", "summary"} <= set(error.value.response.json()["errors"])
    with pytest.raises(jira.JIRAError):
        client.create_issue(
            fields={"project": {"key": "T5G"}, "issuetype": {"name": "Task"}, "summary": "x", "labels": ["has space"]}
        )


def test_dc_search_pages_with_start_at_and_total(client):
    first = client.search_issues("project in (RFE, OCPBUGS, RHEL, AAP) ORDER BY key ASC", startAt=0, maxResults=10)
    assert first.total > 20 and len(first) == 10
    everything = client.search_issues("project in (RFE, OCPBUGS, RHEL, AAP) ORDER BY key ASC", maxResults=False)
    assert len(everything) == first.total == len({i.key for i in everything})
    assert [i.key for i in everything[:10]] == [i.key for i in first]
    with pytest.raises(jira.JIRAError) as error:
        client.search_issues("nosuchfield = 1")
    assert error.value.status_code == 400


def test_cloud_flavour_removes_search_and_pages_search_jql_by_token(sandbox):
    sandbox.configure(jira_flavour="cloud")
    base = sandbox.vendor_url("jira")
    gone = requests.get(f"{base}/rest/api/2/search", params={"jql": "project = T5G"}, auth=("me@example.com", "tok"))
    assert gone.status_code == 410 and "search/jql" in gone.json()["errorMessages"][0]

    client = jira.JIRA(server=base, basic_auth=("me@example.com", "api-token"), max_retries=0)
    assert client.deploymentType == "Cloud"
    jql = "project in (RFE, OCPBUGS, RHEL) ORDER BY key ASC"
    first = client.enhanced_search_issues(jql, maxResults=7)
    assert len(first) == 7 and first.nextPageToken
    everything = client.enhanced_search_issues(jql, maxResults=False)
    assert len(everything) == len({i.key for i in everything}) > 7
    ids_only = requests.get(
        f"{base}/rest/api/3/search/jql", params={"jql": jql, "maxResults": 2}, auth=("a", "b")
    ).json()
    assert ids_only["issues"] == [{"id": i.id} for i in everything[:2]] and "total" not in ids_only
    client.close()


def test_cloud_search_is_eventually_consistent_unless_reconciled(sandbox):
    sandbox.configure(jira_flavour="cloud", jira_index_lag_s=60)
    base = sandbox.vendor_url("jira")
    auth = ("me@example.com", "tok")
    created = requests.post(
        f"{base}/rest/api/3/issue",
        json={
            "fields": {
                "project": {"key": "OPS"},
                "issuetype": {"name": "Incident"},
                "summary": "Pipeline failed",
                "description": {
                    "type": "doc",
                    "version": 1,
                    "content": [{"type": "paragraph", "content": [{"type": "text", "text": "ADF body"}]}],
                },
            }
        },
        auth=auth,
    ).json()
    params = {"jql": "project = OPS", "fields": "summary,description"}
    lagging = requests.get(f"{base}/rest/api/3/search/jql", params=params, auth=auth).json()
    assert created["id"] not in {i["id"] for i in lagging["issues"]}
    reconciled = requests.get(
        f"{base}/rest/api/3/search/jql", params={**params, "reconcileIssues": created["id"]}, auth=auth
    ).json()
    issue = next(i for i in reconciled["issues"] if i["id"] == created["id"])
    assert issue["fields"]["description"]["type"] == "doc"
    assert (
        requests.get(f"{base}/rest/api/2/issue/{created['key']}", auth=auth).json()["fields"]["description"]
        == "ADF body"
    )


def test_agile_board_sprint_and_moving_issues(client, sandbox):
    board = client.boards(name="T5G")[0]
    active = client.sprints(board.id, state="active")
    assert len(active) == 1
    created = client.create_issue(fields={"project": {"key": "T5G"}, "issuetype": {"name": "Task"}, "summary": "card"})
    client.add_issues_to_sprint(active[0].id, [created.key])
    assert client.issue(created.key).fields.customfield_12310940[0].name == active[0].name
    assert created.key in {
        i.key for i in client.search_issues("sprint in openSprints() AND project = T5G", maxResults=False)
    }


def test_jira_auth_and_not_found(sandbox):
    base = sandbox.vendor_url("jira")
    assert requests.get(f"{base}/rest/api/2/serverInfo").status_code == 200, "serverInfo is anonymous"
    unauthenticated = requests.get(f"{base}/rest/api/2/myself")
    assert unauthenticated.status_code == 401 and unauthenticated.json()["errorMessages"]
    missing = requests.get(f"{base}/rest/api/2/issue/T5G-99999", headers={"Authorization": "Bearer x"})
    assert missing.status_code == 404 and missing.json() == {"errorMessages": ["Issue Does Not Exist"], "errors": {}}

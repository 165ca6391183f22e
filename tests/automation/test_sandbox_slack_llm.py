"""Slack through slack_sdk and the LLM through the openai client."""

import json

import openai
import pytest
import requests
import slack_sdk
from slack_sdk.errors import SlackApiError


@pytest.fixture
def slack(sandbox):
    return slack_sdk.WebClient(token="xoxb-test", base_url=sandbox.vendor_url("slack") + "/api/")


@pytest.fixture
def llm(sandbox):
    client = openai.OpenAI(base_url=sandbox.vendor_url("llm") + "/v1", api_key="sk-test", max_retries=0)
    yield client
    client.close()


def test_slack_post_update_and_history(slack):
    me = slack.auth_test()
    assert me["ok"] and me["user_id"]
    channels = {c["name"]: c["id"] for c in slack.conversations_list()["channels"]}
    posted = slack.chat_postMessage(channel="#incidents", text="Pipeline nightly-sales-etl failed")
    assert posted["channel"] == channels["incidents"] and posted["ts"]
    slack.chat_postMessage(channel=posted["channel"], thread_ts=posted["ts"], text="RCA: out of memory")
    slack.chat_update(channel=posted["channel"], ts=posted["ts"], text="Resolved: nightly-sales-etl")
    history = slack.conversations_history(channel=posted["channel"])["messages"]
    assert history[0]["ts"] == posted["ts"] and history[0]["text"] == "Resolved: nightly-sales-etl"
    assert history[0]["reply_count"] == 1 and "edited" in history[0]
    replies = slack.conversations_replies(channel=posted["channel"], ts=posted["ts"])["messages"]
    assert [m["text"] for m in replies] == ["Resolved: nightly-sales-etl", "RCA: out of memory"]


def test_slack_errors_are_http_200_with_ok_false(slack, sandbox):
    channel = slack.conversations_list()["channels"][0]
    with pytest.raises(SlackApiError) as missing:
        slack.chat_update(channel=channel["id"], ts="1234.5678", text="x")
    assert missing.value.response.status_code == 200 and missing.value.response["error"] == "message_not_found"
    someone_elses = slack.conversations_history(channel=channel["id"])["messages"][0]
    with pytest.raises(SlackApiError) as foreign:
        slack.chat_update(channel=channel["id"], ts=someone_elses["ts"], text="x")
    assert foreign.value.response["error"] == "cant_update_message"
    with pytest.raises(SlackApiError) as by_name:
        slack.chat_update(channel="incidents", ts=someone_elses["ts"], text="x")
    assert by_name.value.response["error"] == "channel_not_found"
    anonymous = slack_sdk.WebClient(base_url=sandbox.vendor_url("slack") + "/api/")
    with pytest.raises(SlackApiError) as not_authed:
        anonymous.api_call("auth.test")
    assert not_authed.value.response["error"] == "not_authed"


def test_llm_models_and_json_rca_are_deterministic(llm):
    assert "sandbox-rca-1" in {m.id for m in llm.models.list()}
    prompt = "Databricks job failed: java.lang.OutOfMemoryError: Java heap space in stage 3"

    def ask():
        return llm.chat.completions.create(
            model="sandbox-rca-1",
            messages=[{"role": "system", "content": "You are an SRE."}, {"role": "user", "content": prompt}],
            response_format={"type": "json_object"},
        )

    first, second = ask(), ask()
    rca = json.loads(first.choices[0].message.content)
    assert set(rca) == {"root_cause", "recommendations", "severity", "confidence"}
    assert "memory" in rca["root_cause"] and rca["severity"] == "high" and 0 < rca["confidence"] <= 1
    assert first.choices[0].message.content == second.choices[0].message.content and first.id == second.id
    other = llm.chat.completions.create(
        model="sandbox-rca-1",
        messages=[{"role": "user", "content": "ERROR: permission denied for table finance.ledger"}],
        response_format={"type": "json_object"},
    )
    assert "permission" in json.loads(other.choices[0].message.content)["root_cause"]


def test_llm_prose_stream_and_errors(llm, sandbox):
    prose = llm.chat.completions.create(model="sandbox-rca-1", messages=[{"role": "user", "content": "disk full"}])
    assert prose.choices[0].message.content.startswith("Root cause:")
    stream = llm.chat.completions.create(
        model="sandbox-rca-1", messages=[{"role": "user", "content": "disk full"}], stream=True
    )
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream) == prose.choices[0].message.content
    with pytest.raises(openai.NotFoundError):
        llm.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
    anonymous = requests.post(sandbox.vendor_url("llm") + "/v1/chat/completions", json={"model": "sandbox-rca-1"})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "invalid_api_key"

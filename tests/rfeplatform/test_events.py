"""Live events, the service side: emit on commit, persistence, id order, catch-up, pruning."""

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from rfeplatform.events import emit, prune_events
from rfeplatform.events.catchup import catch_up
from rfeplatform.events.delivery import uses_relay
from rfeplatform.events.emitter import ID_ORDER_LOCK, store
from rfeplatform.events.models import Event
from rfeplatform.events.subscription import REMEMBERED_IDS, InvalidSubscription, Subscription

pytestmark = pytest.mark.django_db


def topics_of(user, team_ids, limit=100, **query):
    result = catch_up(user, team_ids, Subscription(**query), limit=limit)
    return [json.loads(text)["topic"] for text in result.texts], result


class TestEmit:
    def test_persists_when_the_transaction_commits_not_before(self, team_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            emit("incident.created", team=team_a, payload={"incident": 7})
            assert not Event.objects.for_team(team_a).exists()
        assert len(callbacks) == 1
        callbacks[0]()
        event = Event.objects.for_team(team_a).get()
        assert (event.topic, event.team_id, event.payload) == ("incident.created", team_a.pk, {"incident": 7})

    def test_rolled_back_transaction_emits_nothing(self, team_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                emit("incident.created", team=team_a.pk)
                raise RuntimeError("the change failed")
        assert callbacks == []
        assert not Event.objects.for_team(team_a).exists()

    def test_payload_is_the_json_the_browser_gets_copied_at_emit_time(self, team_a, django_capture_on_commit_callbacks):
        payload = {"at": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "n": 1}
        with django_capture_on_commit_callbacks(execute=True):
            emit("job.progress", team=team_a, payload=payload)
            payload["n"] = 2
        assert Event.objects.for_team(team_a).get().payload == {"at": "2025-01-02T03:04:05Z", "n": 1}

    @pytest.mark.parametrize(
        "kwargs,error",
        [
            ({"topic": "Incident Created"}, ValueError),
            ({"topic": ""}, ValueError),
            ({"topic": "x" * 101}, ValueError),
            ({"payload": ["not", "a", "dict"]}, TypeError),
            ({"payload": {"obj": object()}}, TypeError),
            ({"payload": {"big": "x" * 40_000}}, ValueError),
            ({"team": "alpha"}, TypeError),
            ({"team": None}, TypeError),
        ],
    )
    def test_invalid_arguments_raise_in_the_caller(self, team_a, kwargs, error, django_capture_on_commit_callbacks):
        arguments = {"topic": "incident.created", "team": team_a, "payload": {}, **kwargs}
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(error):
            emit(arguments.pop("topic"), **arguments)
        assert callbacks == []

    def test_each_event_knows_its_teams_previous_one(self, team_a, team_b):
        first = store("job.a", team_a.pk, {})
        store("job.b", team_b.pk, {})
        second = store("job.a", team_a.pk, {})
        assert first.previous_id is None and second.previous_id == first.pk

    def test_the_delivery_path_follows_the_channel_layer(self, settings):
        from channels.layers import get_channel_layer

        assert uses_relay() == (not settings.REDIS_URL)
        assert uses_relay(get_channel_layer()) == (not settings.REDIS_URL)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers by itself")
def test_inserts_take_ids_in_commit_order_on_postgresql(team_a):
    """An insert waits while another holds the id-order lock, so no id can commit after a higher one."""
    done = threading.Event()

    def insert():
        try:
            store("job.progress", team_a.pk, {})
        finally:
            connection.close()
            done.set()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ID_ORDER_LOCK])
        threading.Thread(target=insert, daemon=True).start()
        time.sleep(0.5)
        assert not done.is_set(), "the insert did not wait for the lock"
    assert done.wait(10)
    assert Event.objects.for_team(team_a).count() == 1


class TestSubscription:
    def test_query_string(self):
        sub = Subscription.from_query_string(b"after=41&topics=job.,incident.&topics=case.")
        assert sub.after == 41 and sub.topics == ("case.", "incident.", "job.")
        assert Subscription.from_query_string(b"").after is None
        assert Subscription.from_query_string(b"").topics == ()

    @pytest.mark.parametrize(
        "query",
        [b"after=-1", b"after=x", b"after=1e3", b"topics=Bad!", b"topics=" + b",".join(b"t%d" % i for i in range(21))],
    )
    def test_invalid_query_string(self, query):
        with pytest.raises(InvalidSubscription):
            Subscription.from_query_string(query)

    def test_admits_each_id_once_above_the_floor_and_matching_topics(self):
        sub = Subscription(topics=("job.",), floor=10)
        assert not sub.admit(10, "job.progress")  # covered by the catch-up
        assert sub.admit(11, "job.progress")
        assert not sub.admit(11, "job.progress")  # a second copy
        assert not sub.admit(12, "incident.created")  # another topic
        assert sub.admit(9 + REMEMBERED_IDS * 2, "job.done")

    def test_tells_from_prev_when_a_teams_event_went_missing(self):
        sub = Subscription(team_last={1: 10})
        assert sub.missed_since(1, None) is None  # predecessor unknown
        assert sub.missed_since(1, 10) is None  # the one before was dealt with
        assert sub.missed_since(2, 30) is None  # a team joined later: nothing to compare with
        assert sub.missed_since(1, 12) == 10  # 11 or 12 never came: re-read after 10
        sub.saw(1, 13)
        sub.saw(1, 12)
        assert sub.team_last == {1: 13}

    def test_remembers_a_bounded_number_of_ids(self):
        sub = Subscription()
        for event_id in range(1, REMEMBERED_IDS * 3):
            assert sub.admit(event_id, "t")
        assert len(sub._sent) == len(sub._order) == REMEMBERED_IDS


def _make(team, topic, **fields):
    event = Event(team=team, topic=topic, **fields)
    event.save()
    return event


class TestCatchUp:
    def test_only_the_users_teams_oldest_first(self, team_a, team_b, viewer_a):
        first = _make(team_a, "incident.created")
        _make(team_b, "incident.created")
        second = _make(team_a, "job.progress")
        topics, result = topics_of(viewer_a, [team_a.pk], after=first.pk - 1)
        assert topics == ["incident.created", "job.progress"]
        assert result.last_id == second.pk and result.gap is None

    def test_membership_is_rechecked_in_the_database(self, team_a, team_b, viewer_a):
        _make(team_b, "incident.created")
        topics, _ = topics_of(viewer_a, [team_a.pk, team_b.pk], after=0)
        assert topics == []

    def test_without_after_nothing_is_replayed_but_the_cursor_is_given(self, team_a, viewer_a):
        event = _make(team_a, "incident.created")
        topics, result = topics_of(viewer_a, [team_a.pk])
        assert topics == [] and result.last_id == event.pk

    def test_topic_prefixes(self, team_a, viewer_a):
        first = _make(team_a, "incident.created")
        _make(team_a, "job.progress")
        _make(team_a, "case.updated")
        topics, _ = topics_of(viewer_a, [team_a.pk], after=first.pk - 1, topics=("incident.", "case."))
        assert topics == ["incident.created", "case.updated"]

    def test_beyond_the_limit_the_newest_are_sent_after_a_gap(self, team_a, viewer_a):
        events = [_make(team_a, f"job.n{i}") for i in range(5)]
        topics, result = topics_of(viewer_a, [team_a.pk], limit=2, after=events[0].pk - 1)
        assert topics == ["job.n3", "job.n4"]
        assert result.gap == (events[0].pk - 1, events[3].pk) and result.last_id == events[4].pk

    def test_pruned_events_are_reported_as_a_gap(self, team_a, viewer_a):
        old = _make(team_a, "job.old", created=timezone.now() - timedelta(days=10))
        kept = _make(team_a, "job.new")
        _make(team_a, "job.newer")
        assert prune_events() == 1
        topics, result = topics_of(viewer_a, [team_a.pk], after=old.pk - 1)
        assert topics == ["job.new", "job.newer"] and result.gap == (old.pk - 1, kept.pk)

    def test_a_cursor_from_the_future_starts_over(self, team_a, viewer_a):
        event = _make(team_a, "job.progress")
        topics, result = topics_of(viewer_a, [team_a.pk], after=event.pk + 1000)
        assert topics == [] and result.last_id == event.pk and result.gap == (0, event.pk + 1)


class TestRetention:
    def test_default_retention_is_72_hours(self, team_a):
        now = timezone.now()
        _make(team_a, "job.a", created=now - timedelta(hours=73))
        _make(team_a, "job.b", created=now - timedelta(hours=71))
        assert prune_events() == 1
        assert list(Event.objects.for_team(team_a).values_list("topic", flat=True)) == ["job.b"]

    def test_setting_and_argument(self, team_a, settings):
        settings.EVENT_RETENTION_HOURS = 1
        _make(team_a, "job.a", created=timezone.now() - timedelta(hours=2))
        _make(team_a, "job.b", created=timezone.now() - timedelta(minutes=10))
        assert prune_events() == 1
        assert prune_events(older_than=timedelta(minutes=5)) == 1
        assert not Event.objects.for_team(team_a).exists()

    def test_deletes_in_batches(self, team_a, monkeypatch):
        from rfeplatform.events import retention

        monkeypatch.setattr(retention, "BATCH_SIZE", 3)
        old = timezone.now() - timedelta(days=5)
        Event.objects.bulk_create([Event(team=team_a, topic="job.x", created=old) for _ in range(8)])
        assert prune_events() == 8


def test_fast_in_memory_layer_does_its_housekeeping_at_most_once_a_second(monkeypatch):
    from channels.layers import InMemoryChannelLayer as ChannelsLayer

    from rfeplatform.events import layers

    calls, now = [], [100.0]
    monkeypatch.setattr(ChannelsLayer, "_clean_expired", lambda self: calls.append(now[0]))
    monkeypatch.setattr(layers.time, "monotonic", lambda: now[0])
    layer = layers.InMemoryChannelLayer()
    for _ in range(5):
        layer._clean_expired()
    now[0] += 1.0
    layer._clean_expired()
    assert calls == [100.0, 101.0]
    assert uses_relay(layer)  # still the embedded default's path

"""factory-boy factories for every model. FACTORIES maps models to factories; the cross-tenant
harness uses it to create an object of any registered model for a given team."""

import factory
from django.contrib.auth import get_user_model

from automation.models import Action, Connection, JobRun, JobSchedule
from customers.models import Customer, Membership, Team
from rfeplatform.accounts.models import ApiToken, generate_key, hash_key
from rfeplatform.audit.models import AuditEvent
from rfeplatform.tenancy.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    timezone = "Europe/Prague"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    account_number = factory.Sequence(lambda n: f"{1000000 + n}")
    sbr_groups = factory.LazyFunction(lambda: ["Ansible"])
    products = factory.LazyFunction(lambda: ["OpenShift"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.VIEWER


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "test token"
    key = factory.LazyFunction(generate_key)
    prefix = factory.LazyAttribute(lambda t: t.key[:12])
    key_hash = factory.LazyAttribute(lambda t: hash_key(t.key))

    @classmethod
    def _create(cls, model_class, *args, key=None, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.key = key
        return token


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    team = factory.SubFactory(TeamFactory)
    actor_name = "system:test"
    source = "system"
    action = "create"
    object_type = "customers.customer"
    object_id = "1"


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    kind = "github"
    name = factory.Sequence(lambda n: f"GitHub {n}")
    base_url = "http://127.0.0.1:8900/github"
    auth_type = "token"
    settings = factory.LazyFunction(lambda: {"repository": "rfeplatform/demo"})

    @factory.post_generation
    def secret(obj, create, extracted, **kwargs):
        obj.set_secret(extracted or "ghp_factory-secret-value")
        if create:
            obj.save(update_fields=["secret_encrypted"])


class JobRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRun

    team = factory.SubFactory(TeamFactory)
    job = "jobs.prune_runs"
    trigger = "manual"


class JobScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSchedule

    team = factory.SubFactory(TeamFactory)
    job = "jobs.prune_runs"
    cron = "30 2 * * *"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    team = factory.SubFactory(TeamFactory)
    connection = factory.SubFactory(ConnectionFactory, team=factory.SelfAttribute("..team"))
    operation = "github.close_issue"
    target = "rfeplatform/demo#1"
    idempotency_key = factory.Sequence(lambda n: f"test-{n}")
    state = "applied"
    before = factory.LazyFunction(lambda: {"state": "open", "state_reason": None, "labels": [], "assignees": []})


# Model -> (factory, keyword that attaches an object to a team). The cross-tenant harness fails for
# any tenant model missing here.
FACTORIES = {
    Team: (TeamFactory, None),
    Customer: (CustomerFactory, "team"),
    Membership: (MembershipFactory, "team"),
    AuditEvent: (AuditEventFactory, "team"),
    Connection: (ConnectionFactory, "team"),
    JobRun: (JobRunFactory, "team"),
    JobSchedule: (JobScheduleFactory, "team"),
    Action: (ActionFactory, "team"),
}


def make_for_team(model, team, **kwargs):
    factory_class, team_kwarg = FACTORIES[model]
    if team_kwarg is None:
        return team if model is Team else factory_class(**kwargs)
    return factory_class(**{team_kwarg: team}, **kwargs)

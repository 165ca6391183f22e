"""Sign-in through django-allauth, audit of sign-ins, SSO providers from settings, closed sign-up."""

import pytest
from django.test import override_settings

from rfeplatform.accounts.sso import build_socialaccount_providers
from rfeplatform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_and_landing(client, viewer_a, password, team_a):
    response = client.post("/accounts/login/", {"login": "viewer-a", "password": password})
    assert response.status_code == 302
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0] == "/t/alpha/"
    assert b"<h1>Alpha</h1>" in landing.content
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert event.actor == viewer_a and event.source == "portal"


def test_failed_login_is_audited_without_the_password(client, viewer_a):
    response = client.post("/accounts/login/", {"login": "viewer-a", "password": "wrong-password-xyz"})
    assert response.status_code == 200
    assert b"not correct" in response.content.lower() or b"incorrect" in response.content.lower()
    event = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert event.object_repr == "viewer-a"
    assert "wrong-password-xyz" not in str(event.after) + event.object_repr + event.actor_name


def test_failed_logins_are_rate_limited(client, viewer_a, password):
    pages = [client.post("/accounts/login/", {"login": "viewer-a", "password": f"wrong-{i}"}) for i in range(6)]
    assert b"Too many failed login attempts" in pages[-1].content
    # Even the right password is refused while the limit holds.
    refused = client.post("/accounts/login/", {"login": "viewer-a", "password": password})
    assert refused.status_code == 200 and b"Too many failed login attempts" in refused.content


def test_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert b"closed" in response.content.lower()


def test_user_without_team_gets_guidance(client_for, outsider):
    page = client_for(outsider).get("/")
    assert page.status_code == 200 and b"not in a team yet" in page.content


ENV = {
    "OIDC_SERVER_URL": "https://id.example.com/realms/support",
    "OIDC_CLIENT_ID": "rfeplatform",
    "OIDC_CLIENT_SECRET": "s3cret",
    "OIDC_PROVIDER_NAME": "Company SSO",
    "SAML_ENTITY_ID": "https://idp.example.com/metadata",
    "SAML_SSO_URL": "https://idp.example.com/sso",
    "SAML_X509CERT": "MIIC...",
    "SAML_PROVIDER_NAME": "Company SAML",
    "SAML_ORGANIZATION": "company",
}


def test_provider_settings_from_environment():
    providers = build_socialaccount_providers(ENV)
    [oidc] = providers["openid_connect"]["APPS"]
    assert oidc["settings"]["server_url"] == ENV["OIDC_SERVER_URL"] and oidc["provider_id"] == "sso"
    [saml] = providers["saml"]["APPS"]
    assert saml["client_id"] == "company" and saml["settings"]["idp"]["sso_url"] == ENV["SAML_SSO_URL"]
    assert build_socialaccount_providers({}) == {}


def test_configured_providers_appear_on_the_login_page(client):
    with override_settings(SOCIALACCOUNT_PROVIDERS=build_socialaccount_providers(ENV)):
        page = client.get("/accounts/login/").content.decode()
    assert "Company SSO" in page and "/accounts/oidc/sso/login/" in page
    assert "Company SAML" in page and "/accounts/saml/company/login/" in page
    assert "s3cret" not in page


def test_no_provider_buttons_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/oidc/" not in page and "/accounts/saml/" not in page

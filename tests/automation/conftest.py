"""The simulated upstreams for connector and sandbox tests: one sandbox per test session on a free port,
put back to its seeded state (data, faults, settings, request log) before every test that uses it."""

import pytest
import requests

from automation.sandbox import start

SSO_TOKEN_PATH = "/sso/auth/realms/redhat-external/protocol/openid-connect/token"


@pytest.fixture(scope="session")
def sandbox_session():
    handle = start(port=0, seed=42, cases=300, issues=250)
    yield handle
    handle.stop()


@pytest.fixture
def sandbox(sandbox_session):
    sandbox_session.reset()
    return sandbox_session


def access_token(url: str, offline_token: str = "offline-token") -> str:
    response = requests.post(
        url + SSO_TOKEN_PATH,
        data={"grant_type": "refresh_token", "client_id": "rhsm-api", "refresh_token": offline_token},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()["access_token"]


@pytest.fixture
def portal(sandbox):
    """A requests session for the portal with a fresh SSO access token, and the portal base URL."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {access_token(sandbox.url)}"
    session.base = sandbox.vendor_url("portal")
    yield session
    session.close()

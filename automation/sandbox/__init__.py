"""Simulated upstreams ("the sandbox"): Red Hat SSO and Customer Portal, JIRA, Bugzilla, GitHub, Slack,
an OpenAI-compatible LLM and Databricks, served over real HTTP on one port, each under its own prefix,
with deterministic seeded data and fault injection. See README.md in this folder.

    handle = automation.sandbox.start(port=0, seed=42, cases=200, issues=150)
    JIRA(server=handle.vendor_url("jira"), token_auth="x")
    handle.fault("github", status=503, count=1)
    handle.reset(); handle.stop()

It needs neither Django nor a database.
"""

from automation.sandbox.server import SandboxHandle, serve, start

__all__ = ["SandboxHandle", "serve", "start"]

"""Databricks Jobs API: a run's state and its output (error and trace), to enrich failure webhooks."""

from __future__ import annotations

from automation.connectors.base import BaseConnector


class DatabricksConnector(BaseConnector):
    vendor = "databricks"

    def authenticate(self, request):
        request.headers["Authorization"] = f"Bearer {self.secret}"

    def check(self) -> str:
        self.get("/api/2.1/jobs/runs/list", params={"limit": 1})
        return "The Jobs API answers with this token."

    def run(self, run_id: int) -> dict:
        return self.get("/api/2.1/jobs/runs/get", params={"run_id": run_id}).json()

    def run_output(self, run_id: int) -> dict:
        return self.get("/api/2.1/jobs/runs/get-output", params={"run_id": run_id}).json()

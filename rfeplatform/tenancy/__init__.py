"""Tenancy, written once: the Team is the tenant and every domain row is scoped to it.

- `scope`: the current tenant scope (per request, per job) and the fail-closed manager.
- `roles`: membership roles and checks.
- `admin`, `api`, `consumers`: the admin mixin, DRF base viewset/permission and WebSocket base that
  every surface uses.
"""

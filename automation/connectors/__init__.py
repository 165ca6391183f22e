"""Connectors to outside systems, one module per vendor, all on the HTTP seam in `http.py`."""

from importlib import import_module

# kind -> "module:Class"; modules are imported on first use.
CONNECTORS = {
    "portal": "automation.connectors.portal:PortalConnector",
    "jira": "automation.connectors.jira:JiraConnector",
    "bugzilla": "automation.connectors.bugzilla:BugzillaConnector",
    "github": "automation.connectors.github:GitHubConnector",
    "slack": "automation.connectors.slack:SlackConnector",
    "llm": "automation.connectors.llm:LLMConnector",
    "databricks": "automation.connectors.databricks:DatabricksConnector",
    "storage": "automation.connectors.storage:StorageConnector",
    "smtp": "automation.connectors.smtp:SmtpConnector",
}


def connector_for(connection):
    """The connector of a Connection's kind."""
    from automation.connectors.errors import ConnectorError

    path = CONNECTORS.get(connection.kind)
    if path is None:
        raise ConnectorError(f"No connector for {connection.kind} connections yet.", permanent=True)
    module, name = path.split(":")
    return getattr(import_module(module), name)(connection)

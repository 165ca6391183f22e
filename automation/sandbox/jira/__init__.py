"""The simulated JIRA (Data Center or Cloud flavour) with the Agile API."""

"""The team-wide web portal at /: layout, navigation, team landing pages and personal settings."""

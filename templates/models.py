"""Models of the templates app; see apps.py for what the app owns."""

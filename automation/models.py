"""Models of the automation app; see apps.py for what the app owns."""

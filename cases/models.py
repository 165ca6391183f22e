"""Models of the cases app; see apps.py for what the app owns."""

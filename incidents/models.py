"""Models of the incidents app; see apps.py for what the app owns."""

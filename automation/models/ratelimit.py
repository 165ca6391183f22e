"""RateBucket: the database side of the shared per-connection token bucket (no Redis)."""

from django.db import models


class RateBucket(models.Model):
    """Tokens left in one connection's bucket and when they were counted. Bookkeeping: not audited."""

    name = models.CharField(max_length=200, unique=True)
    tokens = models.FloatField()
    stamp = models.FloatField(help_text="Unix time of the last update.")

    def __str__(self):
        return f"{self.name}: {self.tokens:.1f} tokens"

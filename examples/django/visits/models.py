from django.db import models


class Visit(models.Model):
    """One request to the page: the count of these rows is the page's visit count."""

    at = models.DateTimeField(auto_now_add=True)
    pod = models.CharField(max_length=253)

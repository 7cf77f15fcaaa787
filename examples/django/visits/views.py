import socket

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse

from .models import Visit

cache = redis.Redis(host=settings.REDIS_HOST, port=settings.REDIS_PORT, socket_timeout=2, decode_responses=True)


def index(request):
    """Counts the visit in PostgreSQL and keeps the count in Redis, showing where each came from."""
    previous = cache.get("visits")
    Visit.objects.create(pod=socket.gethostname())
    visits = Visit.objects.count()
    cache.set("visits", visits)
    hits = cache.incr("hits")
    lines = [
        f"Hello from Django on {socket.gethostname()}",
        f"visits: {visits} (counted in PostgreSQL {connection.pg_version // 10000} at {connection.settings_dict['HOST']})",
        f"cached visits before this one: {previous} (Redis at {settings.REDIS_HOST}:{settings.REDIS_PORT})",
        f"page hits since Redis started: {hits}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def healthz(request):
    """Ready when both PostgreSQL and Redis answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.ping()
    return HttpResponse("ok\n", content_type="text/plain")

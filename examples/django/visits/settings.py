"""The visits example: PostgreSQL from the POSTGRES_* variables (the postgres-credentials Secret
and the postgres-service Service), Redis at REDIS_HOST (redis-service) as a cache."""
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "kctl-example-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["visits"]
MIDDLEWARE = []
ROOT_URLCONF = "visits.urls"
WSGI_APPLICATION = "visits.wsgi.application"
USE_TZ = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("POSTGRES_HOST", "postgres-service"),
        "PORT": os.environ.get("POSTGRES_PORT", "5432"),
        "USER": os.environ.get("POSTGRES_USER", "postgres"),
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
        "NAME": os.environ.get("POSTGRES_DB") or os.environ.get("POSTGRES_USER", "postgres"),
        "CONN_MAX_AGE": 0,
    }
}

# Debian 12's Django (3.2) has no Redis cache backend: views.py talks to Redis with redis-py.
REDIS_HOST = os.environ.get("REDIS_HOST", "redis-service")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

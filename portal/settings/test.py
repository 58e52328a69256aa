"""Fast, isolated settings for the test suite; DATABASE_URL and CELERY_BROKER_URL still apply."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Tiles from a port where nothing listens: tests never reach the network, and the map must cope.
MAP_TILE_URL = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],  # noqa: F405
        "img-src": ["'self'", "data:", "blob:", *tile_origins(MAP_TILE_URL)],  # noqa: F405
    }
}

# The test run gets a broker folder of its own, so that it never picks up messages of a `make run`.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    import tempfile

    _broker_dir = tempfile.mkdtemp(prefix="portal-test-broker-")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker_dir,
        "data_folder_out": _broker_dir,
        "control_folder": _broker_dir,
    }

# Notice providers on a port where nothing listens; a test starts its own server and points there.
ALIYUN_SMS_BASE_URL = "http://127.0.0.1:9"
TENCENT_SMS_BASE_URL = "http://127.0.0.1:9"
WECOM_BASE_URL = "http://127.0.0.1:9"

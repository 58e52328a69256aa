import os
import shutil

import pytest
from rest_framework.test import APIClient

from tests.factories import SecretaryFactory, StaffFactory, SubdistrictFactory, UserFactory
from tests.helpers import BROWSER_TIMEOUT_MS, client_for
from tests.smtp import SMTPServer

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run beside one
# unless told that this thread is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    # Tests that run a Celery worker share one broker queue: under xdist they go to one process
    # (`make test` runs with --dist loadgroup), so that no worker takes another test's tasks.
    for item in items:
        if item.get_closest_marker("broker"):
            item.add_marker(pytest.mark.xdist_group("broker"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters and cached figures do not leak."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def region(db):
    return SubdistrictFactory(
        code="310112008",
        name="新虹街道",
        parent__code="310112",
        parent__name="闵行区",
        parent__parent__code="310000",
        parent__parent__name="上海市",
    )


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="staff-user")


@pytest.fixture
def secretary_user(region):
    return SecretaryFactory(username="secretary-user", region=region)


@pytest.fixture
def unit_user(db):
    return UserFactory(username="unit-user")


@pytest.fixture
def inactive_user(db):
    return StaffFactory(username="inactive-user", is_active=False)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_client(client, staff_user):
    """The test client signed in as `staff_user`."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def staff_api(staff_user):
    return client_for(staff_user)


@pytest.fixture
def secretary_api(secretary_user):
    return client_for(secretary_user)


@pytest.fixture
def unit_api(unit_user):
    return client_for(unit_user)


@pytest.fixture
def smtp_server(settings):
    """Mail goes through a real SMTP server on loopback; `smtp_server.messages` holds what arrived."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; Playwright never downloads a browser of its own."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                f"Chromium is required in CI but {CHROMIUM} is missing (apt-get install chromium)"
            )
        pytest.skip(f"{CHROMIUM} is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


# A 390×844 phone (an iPhone 12-14's viewport), touch and all, for the journeys on a phone.
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()

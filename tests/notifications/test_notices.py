"""Notices on SMS and WeCom: each provider against its API on loopback, the sweep's retries, quiet
hours, rate limit and exactly-once."""

import base64
import datetime
import hashlib
import hmac
import json
import zoneinfo
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from portal.notifications.models import NoticeDelivery
from portal.notifications.notices import notice_store, notices_send, quiet_hours_end
from portal.notifications.tasks import send_pending_notices
from tests.factories import AllianceFactory, SecretaryFactory, UserFactory
from tests.helpers import at_once, free_port
from tests.providers import start_provider

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def provider():
    started = []

    def start(answer):
        started.append(start_provider(answer))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def aliyun(settings, url):
    settings.SMS_PROVIDER = "aliyun"
    settings.ALIYUN_SMS_BASE_URL = url
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAIkey"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "s3cret"
    settings.ALIYUN_SMS_SIGN_NAME = "联盟门户"
    settings.SMS_TEMPLATE_CODES = {"default": "SMS_100", "meeting_reminder": "SMS_200"}
    settings.SMS_QUIET_HOURS = ""


def tencent(settings, url):
    settings.SMS_PROVIDER = "tencent"
    settings.TENCENT_SMS_BASE_URL = url
    settings.TENCENT_SMS_SECRET_ID = "AKIDid"
    settings.TENCENT_SMS_SECRET_KEY = "tkey"
    settings.TENCENT_SMS_SDK_APP_ID = "1400000001"
    settings.TENCENT_SMS_SIGN_NAME = "联盟门户"
    settings.SMS_TEMPLATE_CODES = {"default": "123456"}
    settings.SMS_QUIET_HOURS = ""


def wecom(settings, url):
    settings.WECOM_BASE_URL = url
    settings.WECOM_CORP_ID = "ww1"
    settings.WECOM_AGENT_ID = "1000002"
    settings.WECOM_SECRET = "corpsecret"


def sms_row(**fields):
    user = fields.pop("user", None) or UserFactory(phone="13812345678")
    return NoticeDelivery.objects.create(
        kind=fields.pop("kind", "meeting_reminder"),
        notice_key=fields.pop("key", f"test:{user.pk}"),
        user=user,
        channel=fields.pop("channel", "sms"),
        text=fields.pop("text", "会议提醒：明天 9:00"),
        **fields,
    )


# --- Aliyun -------------------------------------------------------------------------------------


def aliyun_signature_ok(query: dict[str, str], secret: str) -> bool:
    """The server's check, as Aliyun documents the v1.0 RPC signature."""
    params = {k: v for k, v in query.items() if k != "Signature"}

    def enc(value):
        return quote(value, safe="~")

    canonical = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    string_to_sign = "GET&%2F&" + enc(canonical)
    expected = base64.b64encode(
        hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
    ).decode()
    return hmac.compare_digest(expected, query.get("Signature", ""))


def test_aliyun_sms_is_a_signed_sendsms_request_and_ok_marks_it_sent(settings, provider):
    def answer(request):
        q = request.query
        assert request.method == "GET" and request.path == "/"
        assert aliyun_signature_ok(q, "s3cret"), q
        assert q["Action"] == "SendSms" and q["Version"] == "2017-05-25"
        assert q["SignatureMethod"] == "HMAC-SHA1" and q["SignatureVersion"] == "1.0"
        assert q["AccessKeyId"] == "LTAIkey" and q["Format"] == "JSON"
        assert q["PhoneNumbers"] == "13812345678" and q["SignName"] == "联盟门户"
        assert q["TemplateCode"] == "SMS_200"
        assert json.loads(q["TemplateParam"]) == {"content": "会议提醒：明天 9:00"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": "900^1", "RequestId": "r1"}

    server = provider(answer)
    aliyun(settings, server.url)
    row = sms_row()

    assert notices_send().sent == 1
    row.refresh_from_db()
    assert (row.status, row.provider_message_id, row.attempts) == ("sent", "900^1", 1)
    assert len(server.requests) == 1


def test_aliyun_refusing_keeps_the_sms_pending_for_a_later_attempt(settings, provider):
    server = provider(
        lambda request: (
            200,
            {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控", "RequestId": "r"},
        )
    )
    aliyun(settings, server.url)
    row = sms_row()

    result = notices_send()
    row.refresh_from_db()
    assert result.failed == 1 and row.status == "pending" and row.attempts == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in row.last_error
    assert row.next_attempt_at > row.created_at + datetime.timedelta(seconds=50)
    # Not due again in this minute: a second sweep sends nothing.
    assert notices_send().failed == 0 and len(server.requests) == 1


# --- Tencent Cloud ------------------------------------------------------------------------------


def tencent_signature_ok(request, secret_id: str, secret_key: str) -> bool:
    """The server's check, as Tencent Cloud documents TC3-HMAC-SHA256."""
    headers = request.headers
    timestamp = int(headers["x-tc-timestamp"])
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    canonical = (
        "POST\n/\n\n"
        f"content-type:{headers['content-type']}\nhost:{headers['host']}\n\n"
        "content-type;host\n" + hashlib.sha256(request.body).hexdigest()
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
    )

    def sign(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = sign(sign(sign(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    expected = (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )
    return headers.get("authorization") == expected


def test_tencent_sms_is_a_tc3_signed_sendsms_call(settings, provider):
    def answer(request):
        assert request.method == "POST" and request.path == "/"
        assert tencent_signature_ok(request, "AKIDid", "tkey"), request.headers
        assert request.headers["x-tc-action"] == "SendSms"
        assert request.headers["x-tc-version"] == "2021-01-11"
        assert request.headers["x-tc-region"] == "ap-guangzhou"
        body = request.json()
        assert body == {
            "PhoneNumberSet": ["+8613812345678"],
            "SmsSdkAppId": "1400000001",
            "SignName": "联盟门户",
            "TemplateId": "123456",
            "TemplateParamSet": ["会议提醒：明天 9:00"],
        }
        return 200, {
            "Response": {
                "SendStatusSet": [{"SerialNo": "2019:1", "Code": "Ok", "Message": "send success"}],
                "RequestId": "r",
            }
        }

    server = provider(answer)
    tencent(settings, server.url)
    row = sms_row()

    assert notices_send().sent == 1
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == ("sent", "2019:1")


def test_tencent_errors_are_recorded_and_retried(settings, provider):
    server = provider(
        lambda request: (
            200,
            {
                "Response": {
                    "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"},
                    "RequestId": "r",
                }
            },
        )
    )
    tencent(settings, server.url)
    row = sms_row()
    assert notices_send().failed == 1
    row.refresh_from_db()
    assert row.status == "pending" and "AuthFailure.SignatureFailure" in row.last_error


# --- WeCom --------------------------------------------------------------------------------------


def test_wecom_caches_the_token_and_refreshes_it_once_when_expired(settings, provider):
    tokens = iter(["tok1", "tok2"])
    sent = []

    def answer(request):
        if request.path == "/cgi-bin/gettoken":
            assert request.query == {"corpid": "ww1", "corpsecret": "corpsecret"}
            return 200, {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": next(tokens),
                "expires_in": 7200,
            }
        assert request.path == "/cgi-bin/message/send"
        body = request.json()
        assert body["touser"] == "zhangsan" and body["agentid"] == 1000002
        assert body["msgtype"] == "markdown" and body["markdown"]["content"]
        sent.append(request.query["access_token"])
        if request.query["access_token"] == "tok1" and len(sent) > 1:
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": f"m{len(sent)}"}

    server = provider(answer)
    wecom(settings, server.url)
    user = UserFactory(wecom_userid="zhangsan")
    first = sms_row(user=user, channel="wecom", key="a", text="**会议提醒**")
    assert notices_send().sent == 1
    second = sms_row(user=user, channel="wecom", key="b", text="**会议提醒**")
    assert notices_send().sent == 1

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("sent", "sent")
    # The first token was cached (one gettoken), then expired: fetched again, the send retried once.
    assert sent == ["tok1", "tok1", "tok2"]
    assert [r.path for r in server.requests].count("/cgi-bin/gettoken") == 2
    assert cache.get("wecom-token:ww1:1000002") == "tok2"


def test_the_group_robot_posts_markdown_to_the_alliances_webhook(settings, provider):
    def answer(request):
        assert request.path == "/cgi-bin/webhook/send" and request.query == {"key": "robot-key"}
        assert request.json()["msgtype"] == "markdown"
        return 200, {"errcode": 0, "errmsg": "ok"}

    server = provider(answer)
    settings.WECOM_BASE_URL = server.url
    alliance = AllianceFactory(wecom_robot_key="robot-key")
    row = NoticeDelivery.objects.create(
        kind="meeting_invitation",
        notice_key="m1",
        alliance=alliance,
        channel="wecom_robot",
        text="x",
    )
    assert notices_send().sent == 1
    row.refresh_from_db()
    assert row.status == "sent"


# --- the sweep ----------------------------------------------------------------------------------


def test_a_provider_that_is_down_loses_nothing_and_the_sms_goes_once_it_is_back(
    settings, provider, time_machine
):
    time_machine.move_to(NOON, tick=False)
    aliyun(settings, f"http://127.0.0.1:{free_port()}")
    row, other = sms_row(), sms_row()

    result = notices_send()
    row.refresh_from_db(), other.refresh_from_db()
    # Refused: the first row waits a minute, the rest of the channel waits for the next run.
    assert result.failed == 1 and result.sent == 0
    assert row.status == "pending" and row.next_attempt_at == NOON + datetime.timedelta(minutes=1)
    assert other.attempts == 0

    server = provider(lambda request: (200, {"Code": "OK", "BizId": "b"}))
    settings.ALIYUN_SMS_BASE_URL = server.url
    time_machine.move_to(NOON + datetime.timedelta(minutes=2), tick=False)
    assert notices_send().sent == 2
    assert notices_send().sent == 0
    assert len(server.requests) == 2


def test_an_answer_of_500_is_a_provider_away(settings, provider):
    server = provider(lambda request: (503, {}))
    aliyun(settings, server.url)
    row = sms_row()
    notices_send()
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error


def test_a_notice_is_given_up_after_the_configured_attempts(settings, provider, time_machine):
    time_machine.move_to(NOON, tick=False)
    server = provider(lambda request: (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL"}))
    aliyun(settings, server.url)
    settings.NOTICE_MAX_ATTEMPTS = 2
    row = sms_row()
    notices_send()
    time_machine.move_to(NOON + datetime.timedelta(minutes=5), tick=False)
    assert notices_send().given_up == 1
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2


def test_no_sms_in_quiet_hours_it_goes_in_the_morning(settings, provider, time_machine):
    server = provider(lambda request: (200, {"Code": "OK", "BizId": "b"}))
    aliyun(settings, server.url)
    settings.SMS_QUIET_HOURS = "22-8"
    night = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI)
    time_machine.move_to(night, tick=False)
    row = sms_row()
    assert quiet_hours_end(night) == datetime.datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert notices_send().sent == 0 and server.requests == []
    time_machine.move_to(datetime.datetime(2026, 3, 3, 7, 59, tzinfo=SHANGHAI), tick=False)
    assert notices_send().sent == 0
    time_machine.move_to(datetime.datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI), tick=False)
    assert notices_send().sent == 1
    row.refresh_from_db()
    assert row.status == "sent"


def test_the_rate_limit_leaves_the_rest_pending_for_the_next_minute(
    settings, provider, time_machine
):
    time_machine.move_to(NOON, tick=False)
    server = provider(lambda request: (200, {"Code": "OK", "BizId": "b"}))
    aliyun(settings, server.url)
    settings.NOTICE_RATE_LIMITS = {**settings.NOTICE_RATE_LIMITS, "sms": 3}
    for _ in range(5):
        sms_row()
    assert notices_send().sent == 3
    assert notices_send().sent == 0
    assert NoticeDelivery.objects.filter(status="pending").count() == 2
    time_machine.move_to(NOON + datetime.timedelta(minutes=1, seconds=1), tick=False)
    assert notices_send().sent == 2


def test_an_unconfigured_channel_is_recorded_skipped(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = ""
    secretary = SecretaryFactory(phone="13812345678", wecom_userid="li")
    rows = notice_store(
        kind="meeting_reminder",
        key="meeting:1:reminder",
        users=[secretary],
        context={"meeting": {"title": "例会"}, "offset": "1 小时"},
    )
    assert {(r.channel, r.status, r.last_error) for r in rows} == {
        ("wecom", "skipped", "channel not configured"),
        ("sms", "skipped", "channel not configured"),
    }


def test_a_notice_is_stored_once_per_recipient_and_channel(settings):
    wecom(settings, "http://127.0.0.1:9")
    secretary = SecretaryFactory(wecom_userid="li")
    context = {"meeting": {"title": "例会"}, "offset": "1 小时"}
    for _ in range(2):
        notice_store(kind="meeting_reminder", key="k", users=[secretary], context=context)
    row = NoticeDelivery.objects.get(channel="wecom")
    assert row.status == "pending" and "例会" in row.text
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeDelivery.objects.create(
            kind="meeting_reminder", notice_key="k", user=secretary, channel="wecom"
        )


def test_the_beat_sends_pending_notices_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-notices"]
    assert entry["task"] == send_pending_notices.name and entry["schedule"] == 60


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_notice_exactly_once(settings, provider):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")
    server = provider(lambda request: (200, {"Code": "OK", "BizId": "b"}))
    aliyun(settings, server.url)
    for _ in range(6):
        sms_row()
    outcomes = at_once(notices_send, notices_send)
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert sum(o.sent for o in outcomes) == 6
    assert len(server.requests) == 6
    assert len({r.query["PhoneNumbers"] + r.query["SignatureNonce"] for r in server.requests}) == 6

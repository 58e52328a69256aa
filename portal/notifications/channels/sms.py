"""SMS through Aliyun (dysmsapi, RPC `SendSms`, signature v1.0 HMAC-SHA1) or Tencent Cloud (API 3.0
`SendSms` 2021-01-11, TC3-HMAC-SHA256), chosen by SMS_PROVIDER; docs/configuration.md, "SMS".

Both send an approved template: the template code of the notice's kind (SMS_TEMPLATE_CODES, else
its "default") with the rendered text as the parameter `content` (or the row's own `params`)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import re
import uuid
from urllib.parse import quote, urlsplit

from django.conf import settings

from .base import Channel, SendResult, guarded, http

MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def mainland_number(phone: str) -> str:
    """The 11 digits of a mainland mobile number, or "" when `phone` is none."""
    match = MAINLAND_MOBILE.match((phone or "").replace(" ", "").replace("-", ""))
    return match.group(1) if match else ""


def template_code(kind: str) -> str:
    codes = settings.SMS_TEMPLATE_CODES
    return codes.get(kind) or codes.get("default", "")


def template_params(delivery) -> dict[str, str]:
    return dict(delivery.payload.get("params") or {"content": delivery.text})


# --- Aliyun -------------------------------------------------------------------------------------


def aliyun_encode(value: str) -> str:
    """Aliyun's percent-encoding: UTF-8, RFC 3986 unreserved characters kept (so space is %20,
    `*` is %2A and `~` stays)."""
    return quote(str(value), safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The v1.0 signature: HMAC-SHA1 with key `secret&` over
    `GET&%2F&<encoded canonical query>`, the query sorted by name and percent-encoded."""
    canonical = "&".join(
        f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in sorted(params.items())
    )
    string_to_sign = f"{method}&{aliyun_encode('/')}&{aliyun_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms(Channel):
    name = "sms"

    def is_configured(self) -> bool:
        return bool(
            settings.ALIYUN_SMS_ACCESS_KEY_ID
            and settings.ALIYUN_SMS_ACCESS_KEY_SECRET
            and settings.ALIYUN_SMS_SIGN_NAME
            and settings.SMS_TEMPLATE_CODES
        )

    def address(self, delivery) -> str:
        return mainland_number(delivery.user.phone if delivery.user else "")

    @guarded
    def send(self, delivery) -> SendResult:
        params = {
            "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": settings.ALIYUN_SMS_REGION,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": self.address(delivery),
            "SignName": settings.ALIYUN_SMS_SIGN_NAME,
            "TemplateCode": template_code(delivery.kind),
            "TemplateParam": json.dumps(template_params(delivery), ensure_ascii=False),
        }
        params["Signature"] = aliyun_signature(params, settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
        answer = http("GET", settings.ALIYUN_SMS_BASE_URL.rstrip("/") + "/", params=params)
        if answer.get("Code") == "OK":
            return SendResult(ok=True, message_id=str(answer.get("BizId", "")))
        return SendResult(ok=False, error=f"{answer.get('Code')}: {answer.get('Message', '')}")


# --- Tencent Cloud ------------------------------------------------------------------------------

TENCENT_SERVICE = "sms"
TENCENT_VERSION = "2021-01-11"
TENCENT_CONTENT_TYPE = "application/json; charset=utf-8"


def _hmac256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tencent_authorization(
    *, secret_id: str, secret_key: str, host: str, body: bytes, timestamp: int
) -> str:
    """The TC3-HMAC-SHA256 Authorization header of a POST / with a JSON body, signing the
    content-type and host headers."""
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{TENCENT_CONTENT_TYPE}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{TENCENT_SERVICE}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = _hmac256(f"TC3{secret_key}".encode(), date)
    key = _hmac256(key, TENCENT_SERVICE)
    key = _hmac256(key, "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


class TencentSms(Channel):
    name = "sms"

    def is_configured(self) -> bool:
        return bool(
            settings.TENCENT_SMS_SECRET_ID
            and settings.TENCENT_SMS_SECRET_KEY
            and settings.TENCENT_SMS_SDK_APP_ID
            and settings.TENCENT_SMS_SIGN_NAME
            and settings.SMS_TEMPLATE_CODES
        )

    def address(self, delivery) -> str:
        number = mainland_number(delivery.user.phone if delivery.user else "")
        return f"+86{number}" if number else ""

    @guarded
    def send(self, delivery) -> SendResult:
        base = settings.TENCENT_SMS_BASE_URL.rstrip("/")
        host = urlsplit(base).netloc
        body = json.dumps(
            {
                "PhoneNumberSet": [self.address(delivery)],
                "SmsSdkAppId": settings.TENCENT_SMS_SDK_APP_ID,
                "SignName": settings.TENCENT_SMS_SIGN_NAME,
                "TemplateId": template_code(delivery.kind),
                "TemplateParamSet": [str(v) for v in template_params(delivery).values()],
            },
            ensure_ascii=False,
        ).encode()
        timestamp = int(datetime.datetime.now(datetime.UTC).timestamp())
        headers = {
            "Authorization": tencent_authorization(
                secret_id=settings.TENCENT_SMS_SECRET_ID,
                secret_key=settings.TENCENT_SMS_SECRET_KEY,
                host=host,
                body=body,
                timestamp=timestamp,
            ),
            "Content-Type": TENCENT_CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": TENCENT_VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": settings.TENCENT_SMS_REGION,
        }
        answer = http("POST", base + "/", data=body, headers=headers).get("Response", {})
        if "Error" in answer:
            error = answer["Error"]
            return SendResult(ok=False, error=f"{error.get('Code')}: {error.get('Message', '')}")
        status = (answer.get("SendStatusSet") or [{}])[0]
        if status.get("Code") == "Ok":
            return SendResult(ok=True, message_id=str(status.get("SerialNo", "")))
        return SendResult(ok=False, error=f"{status.get('Code')}: {status.get('Message', '')}")


def sms_channel() -> Channel:
    """The SMS provider SMS_PROVIDER names (aliyun or tencent); Aliyun when none is named."""
    return TencentSms() if settings.SMS_PROVIDER == "tencent" else AliyunSms()

"""WeCom (企业微信): application messages to one member (`/cgi-bin/message/send` with an access
token from `/cgi-bin/gettoken`, cached until shortly before it expires and fetched again when WeCom
says it expired) and the group robot webhook of an alliance's group chat (`/cgi-bin/webhook/send`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .base import Channel, SendResult, guarded, http

# WeCom's answers for an access token that expired or is not valid: fetch a new one, try once more.
TOKEN_ERRORS = {40014, 42001}
# The token is dropped from the cache this long before WeCom says it expires.
TOKEN_MARGIN_SECONDS = 300
MARKDOWN_LIMIT = 4096  # bytes WeCom accepts in a markdown message


def _markdown(delivery) -> str:
    content = delivery.payload.get("markdown") or delivery.text
    encoded = content.encode()
    return (
        content
        if len(encoded) <= MARKDOWN_LIMIT
        else encoded[:MARKDOWN_LIMIT].decode(errors="ignore")
    )


def _answer(answer: dict) -> SendResult:
    if answer.get("errcode") == 0:
        return SendResult(ok=True, message_id=str(answer.get("msgid", "")))
    return SendResult(ok=False, error=f"{answer.get('errcode')}: {answer.get('errmsg', '')}")


class WeComApp(Channel):
    name = "wecom"

    def is_configured(self) -> bool:
        return bool(settings.WECOM_CORP_ID and settings.WECOM_AGENT_ID and settings.WECOM_SECRET)

    def address(self, delivery) -> str:
        return (delivery.user.wecom_userid if delivery.user else "") or ""

    def _cache_key(self) -> str:
        return f"wecom-token:{settings.WECOM_CORP_ID}:{settings.WECOM_AGENT_ID}"

    def access_token(self, *, fresh: bool = False) -> str:
        """The application's access token, from the cache unless `fresh`."""
        key = self._cache_key()
        token = None if fresh else cache.get(key)
        if token:
            return token
        answer = http(
            "GET",
            f"{settings.WECOM_BASE_URL.rstrip('/')}/cgi-bin/gettoken",
            params={"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET},
        )
        if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
            raise ValueError(f"gettoken {answer.get('errcode')}: {answer.get('errmsg', '')}")
        token = answer["access_token"]
        lifetime = int(answer.get("expires_in", 7200)) - TOKEN_MARGIN_SECONDS
        if lifetime > 0:
            cache.set(key, token, lifetime)
        return token

    def _post(self, token: str, delivery) -> dict:
        return http(
            "POST",
            f"{settings.WECOM_BASE_URL.rstrip('/')}/cgi-bin/message/send",
            params={"access_token": token},
            json={
                "touser": self.address(delivery),
                "msgtype": "markdown",
                "agentid": int(settings.WECOM_AGENT_ID),
                "markdown": {"content": _markdown(delivery)},
            },
        )

    @guarded
    def send(self, delivery) -> SendResult:
        answer = self._post(self.access_token(), delivery)
        if answer.get("errcode") in TOKEN_ERRORS:
            cache.delete(self._cache_key())
            answer = self._post(self.access_token(fresh=True), delivery)
        return _answer(answer)


class WeComRobot(Channel):
    name = "wecom_robot"

    def is_configured(self) -> bool:
        return True  # each alliance brings its own key

    def address(self, delivery) -> str:
        return (delivery.alliance.wecom_robot_key if delivery.alliance else "") or ""

    @guarded
    def send(self, delivery) -> SendResult:
        answer = http(
            "POST",
            f"{settings.WECOM_BASE_URL.rstrip('/')}/cgi-bin/webhook/send",
            params={"key": self.address(delivery)},
            json={"msgtype": "markdown", "markdown": {"content": _markdown(delivery)}},
        )
        return _answer(answer)

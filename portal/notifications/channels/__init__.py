"""The channels a notice goes out on, behind one interface (`Channel`): e-mail, SMS (Aliyun or
Tencent Cloud), WeCom application messages and WeCom group robots."""

from __future__ import annotations

from .base import Channel, ProviderAway, SendResult
from .email import EmailChannel
from .sms import AliyunSms, TencentSms, mainland_number, sms_channel
from .wecom import WeComApp, WeComRobot

__all__ = [
    "AliyunSms",
    "Channel",
    "EmailChannel",
    "ProviderAway",
    "SendResult",
    "TencentSms",
    "WeComApp",
    "WeComRobot",
    "get_channel",
    "mainland_number",
]


def get_channel(name: str) -> Channel:
    """The channel called `name` (a ChannelName), built from the current settings."""
    if name == "sms":
        return sms_channel()
    return {"email": EmailChannel, "wecom": WeComApp, "wecom_robot": WeComRobot}[name]()

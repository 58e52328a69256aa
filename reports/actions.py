"""Writes of the reports: building a quarter's report (again), mailing it to subscribers exactly once,
and keeping a user's subscriptions."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliances.models import Alliance
from portal.core.mail import absolute_url
from portal.core.metrics import job_outcome

from .choices import DeliveryStatus, ReportScope
from .indicators import Scope, quarter_indicators
from .models import QuarterlyReport, ReportDelivery, ReportSubscription
from .pdf import build_pdf
from .periods import Quarter
from .presentation import district_name, headline, report_sections, report_title
from .xlsx import build_xlsx

if TYPE_CHECKING:
    from portal.accounts.models import User

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A delivery claimed this long ago and never marked sent is taken to be a dead worker's, and retried.
STALE_CLAIM = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5


# --- building -----------------------------------------------------------------------------------


def _scope_name(alliance: Alliance | None) -> str:
    return alliance.name if alliance is not None else district_name()


def report_files(
    *, indicators: dict[str, Any], quarter: Quarter, alliance: Alliance | None
) -> tuple[bytes, bytes]:
    """The XLSX and the PDF of a report, in the report language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = report_title(scope_name=_scope_name(alliance), quarter=quarter)
        xlsx = build_xlsx(indicators, title=title)
        trend = indicators.get("trend") or {}
        pdf = build_pdf(
            {
                "title": title,
                "indicators": indicators,
                "headline": headline(indicators),
                "sections": report_sections(indicators),
                "trend": [
                    {
                        "month": month,
                        "activities": trend["activities"][i],
                        "participants": trend["participants"][i],
                        "collected": trend["demands_collected"][i],
                        "resolved": trend["demands_resolved"][i],
                    }
                    for i, month in enumerate(trend.get("months", []))
                ],
                "built_at": timezone.localtime(),
            }
        )
    return xlsx, pdf


def quarterly_report_build(
    *, quarter: Quarter, alliance: Alliance | None = None, by: User | None = None
) -> QuarterlyReport:
    """Build the report of `quarter` for the district (or `alliance`); building again replaces it.

    The indicators are counted and the files made before the row is locked, so a slow build
    holds no lock; the last build to finish wins. The replaced files are deleted after the commit.
    """
    if by is not None and not by.is_district_staff:
        raise PermissionDenied(_("Only district staff build reports."))
    with job_outcome("quarterly_report"):
        return _build(quarter=quarter, alliance=alliance, by=by)


def _build(*, quarter: Quarter, alliance: Alliance | None, by: User | None) -> QuarterlyReport:
    started = time.monotonic()
    scope = Scope.for_alliance(alliance) if alliance is not None else Scope.district()
    indicators = quarter_indicators(scope, quarter)
    xlsx, pdf = report_files(indicators=indicators, quarter=quarter, alliance=alliance)
    lookup = {
        "scope": ReportScope.ALLIANCE if alliance is not None else ReportScope.DISTRICT,
        "alliance": alliance,
        "year": quarter.year,
        "quarter": quarter.quarter,
    }
    with transaction.atomic():
        report, created = QuarterlyReport.objects.select_for_update(of=("self",)).get_or_create(
            **lookup, defaults={"indicators": indicators}
        )
        old_files = [f.name for f in (report.xlsx, report.pdf) if f]
        report.indicators = indicators
        report.built_by = by
        if not created:
            report.rebuilt_at = timezone.now()
            report.build_count = F("build_count") + 1
        report.xlsx.save(f"{report.file_stem}.xlsx", ContentFile(xlsx), save=False)
        report.pdf.save(f"{report.file_stem}.pdf", ContentFile(pdf), save=False)
        report.build_seconds = round(time.monotonic() - started, 3)
        report.save()
        storage = report.xlsx.storage
        replaced = [name for name in old_files if name not in (report.xlsx.name, report.pdf.name)]
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])
    report.refresh_from_db()
    logger.info("Built %s in %.2f s", report, report.build_seconds)
    return report


def quarter_scopes() -> list[Alliance | None]:
    """What the quarterly job builds: the district (None) and every active alliance."""
    return [None, *Alliance.objects.active().order_by("name", "pk")]


# --- mailing ------------------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    claimed: int = 0
    reclaimed: int = 0
    sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def report_subscribers(report: QuarterlyReport) -> list[User]:
    """Active district staff with an e-mail address who subscribe to the report's scope."""
    subscriptions = ReportSubscription.objects.filter(scope=report.scope)
    if report.scope == ReportScope.ALLIANCE:
        subscriptions = subscriptions.filter(alliance_id=report.alliance_id)
    from portal.accounts.models import User

    users = User.objects.filter(pk__in=subscriptions.values("user_id"), is_active=True).exclude(
        email=""
    )
    return [user for user in users.order_by("pk") if user.is_district_staff]


def report_deliveries_send(*, report: QuarterlyReport) -> DeliveryResult:
    """Mail `report` with its XLSX to each subscriber who has not had it: exactly once each.

    One `ReportDelivery` row per report and subscriber (unique): the run that inserts it sends; a
    row left claimed by a worker that died is retaken after STALE_CLAIM. The window for a second
    mail is between the SMTP server's acceptance and the row's update, as for meeting reminders.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    result = DeliveryResult()
    subscribers = report_subscribers(report)
    if subscribers:
        ReportDelivery.objects.bulk_create(
            [
                ReportDelivery(
                    report=report, user=user, email=user.email, claim_token=token, claimed_at=now
                )
                for user in subscribers
            ],
            ignore_conflicts=True,
        )
    result.reclaimed = ReportDelivery.objects.filter(
        report=report,
        status=DeliveryStatus.CLAIMED,
        claimed_at__lt=now - STALE_CLAIM,
    ).update(claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    claimed = list(
        ReportDelivery.objects.filter(
            report=report, claim_token=token, status=DeliveryStatus.CLAIMED
        ).select_related("user")
    )
    result.claimed = len(claimed) - result.reclaimed
    if not claimed:
        return result
    subject, body = _render_mail(report)
    attachment = (f"{report.file_stem}.xlsx", _read(report.xlsx), XLSX_TYPE)
    connection = get_connection()
    try:
        for delivery in claimed:
            outcome = _deliver(delivery, token, subject, body, attachment, connection)
            setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        connection.close()
    return result


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _render_mail(report: QuarterlyReport) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "title": report_title(scope_name=_scope_name(report.alliance), quarter=report.period),
            "headline": headline(report.indicators),
            "url": absolute_url(report.get_absolute_url()),
        }
        subject = " ".join(render_to_string("reports/email/report_subject.txt", context).split())
        body = render_to_string("reports/email/report.txt", context)
    return subject, body


def _finish(delivery: ReportDelivery, token: str, **fields) -> int:
    return ReportDelivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=DeliveryStatus.CLAIMED
    ).update(**fields)


def _deliver(delivery, token, subject, body, attachment, connection) -> str:
    if delivery.attempts > MAX_ATTEMPTS:
        _finish(delivery, token, status=DeliveryStatus.FAILED)
        return "failed"
    message = EmailMessage(subject, body, None, [delivery.email], connection=connection)
    message.attach(*attachment)
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 — any transport error: the claim goes stale and is retried
        logger.warning("Report %s not mailed to %s: %s", delivery.report_id, delivery.email, exc)
        _finish(delivery, token, error=str(exc)[:500])
        return "failed"
    _finish(delivery, token, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return "sent"


# --- subscriptions ------------------------------------------------------------------------------


@transaction.atomic
def report_subscriptions_set(
    *, user: User, district: bool, alliances: list[Alliance]
) -> list[ReportSubscription]:
    """Make `user`'s subscriptions exactly the district report (if `district`) and `alliances`."""
    if not user.is_district_staff:
        raise PermissionDenied(_("Only district staff subscribe to reports."))
    mine = ReportSubscription.objects.select_for_update(of=("self",)).filter(user=user).order_by()
    wanted = {a.pk for a in alliances}
    mine.filter(scope=ReportScope.ALLIANCE).exclude(alliance_id__in=wanted).delete()
    if not district:
        mine.filter(scope=ReportScope.DISTRICT).delete()
    have = set(mine.filter(scope=ReportScope.ALLIANCE).values_list("alliance_id", flat=True))
    rows = [
        ReportSubscription(user=user, scope=ReportScope.ALLIANCE, alliance_id=pk)
        for pk in wanted - have
    ]
    if district and not mine.filter(scope=ReportScope.DISTRICT).exists():
        rows.append(ReportSubscription(user=user, scope=ReportScope.DISTRICT))
    ReportSubscription.objects.bulk_create(rows, ignore_conflicts=True)
    return list(ReportSubscription.objects.filter(user=user).select_related("alliance"))

from celery import shared_task

from alliances.models import Alliance

from .actions import quarter_scopes, quarterly_report_build, report_deliveries_send
from .periods import Quarter


@shared_task
def build_quarterly_reports(period: str | None = None) -> dict[str, object]:
    """Queue one build for the district and one for each active alliance (the quarter just ended
    unless `period`, e.g. "2026Q3", says otherwise)."""
    quarter = Quarter.parse(period) if period else Quarter.last_completed()
    scopes = quarter_scopes()
    for alliance in scopes:
        build_quarterly_report.delay(str(quarter), alliance.pk if alliance is not None else None)
    return {"quarter": str(quarter), "queued": len(scopes)}


@shared_task
def build_quarterly_report(period: str, alliance_id: int | None = None) -> dict[str, object]:
    """Build (or build again) one report and mail it to the subscribers who have not had it."""
    alliance = Alliance.objects.get(pk=alliance_id) if alliance_id is not None else None
    report = quarterly_report_build(quarter=Quarter.parse(period), alliance=alliance)
    return {"report": report.pk, **report_deliveries_send(report=report).as_dict()}


@shared_task
def build_open_data() -> dict[str, object]:
    """Write the public datasets (reports/opendata.py) afresh; beat runs it daily."""
    from .opendata import open_data_build

    entries = open_data_build()
    return {"datasets": len(entries), "rows": sum(e["rows"] for e in entries)}

"""Reads of the services app; helpers shared by its selectors."""

from django.db.models import OuterRef, Subquery


def related_value(model, key: str, attr: str = "name") -> Subquery:
    """`attr` of the `model` row that the outer row's `key` points at, as a correlated subquery.

    Annotated on a list, PostgreSQL runs it for the page's rows only, where a join is planned for
    every page and builds a model instance per row (portal.api.fields.RelatedNameField reads it)."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).values(attr)[:1])

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from .choices import LEVEL_RANK, RegionLevel

PATH_SEPARATOR = "/"


class RegionQuerySet(ScopedQuerySet):
    def subtree(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it."""
        return self.filter(path__startswith=region.path)

    def scope_for(self, user, action: str) -> "RegionQuerySet":
        # The region tree is reference data that every signed-in user (and the registration form) reads.
        return self if action == "view" else self.none()

    def scope_anonymous(self, action: str) -> "RegionQuerySet":
        return self.filter(is_active=True) if action == "view" else self.none()


class Region(models.Model):
    """A node of the administrative tree: province > city > district > subdistrict > community > grid."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]+$", _("Use digits, letters and hyphens only."))],
        help_text=_("GB/T 2260 code down to district level; a local code below it."),
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    # Materialized path of codes ("310000/310112/310112008/"): a subtree is one indexed prefix match.
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "path"], name="region_level_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="region_not_own_parent",
                violation_error_message=_("A region cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived state: keep it, and every descendant's, right whoever saves.
        old_path = self.path
        self.path = self.compute_path()
        self.depth = self.path.count(PATH_SEPARATOR) - 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                    depth=F("depth")
                    + (self.path.count(PATH_SEPARATOR) - old_path.count(PATH_SEPARATOR)),
                )

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.pk])

    def clean(self) -> None:
        if self.level not in LEVEL_RANK:
            return
        if self.parent is None:
            if self.level != RegionLevel.PROVINCE:
                raise ValidationError(
                    {"parent": _("Only a province can stand at the top of the tree.")}
                )
            return
        if LEVEL_RANK[self.parent.level] >= LEVEL_RANK[self.level]:
            raise ValidationError(
                {
                    "parent": _("The parent must be at a higher level than %(level)s.")
                    % {"level": self.get_level_display()}
                }
            )
        if self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A region cannot be moved below itself.")})

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    def ancestors(self) -> models.QuerySet["Region"]:
        """The regions above this one, from the top down, in one query."""
        codes = self.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
        return Region.objects.filter(code__in=codes).order_by("depth")

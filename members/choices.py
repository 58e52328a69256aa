from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    GOVERNMENT_DEPARTMENT = "government_department", _("Government department")
    SUBDISTRICT_COMMITTEE = "subdistrict_committee", _("Subdistrict or town party committee")
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
    FOREIGN_ENTERPRISE = "foreign_enterprise", _("Foreign-invested enterprise")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    COMMUNITY_COMMITTEE = "community_committee", _("Community committee")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    OTHER = "other", _("Other")


# Enterprises and social organizations always have a unified social credit code.
CREDIT_CODE_REQUIRED = {
    UnitType.STATE_OWNED_ENTERPRISE,
    UnitType.PRIVATE_ENTERPRISE,
    UnitType.FOREIGN_ENTERPRISE,
    UnitType.SOCIAL_ORGANIZATION,
}


class PartyOrgType(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("Joint party branch")
    NONE = "none", _("No party organization")


class Industry(models.TextChoices):
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    HIGH_END_EQUIPMENT = "high_end_equipment", _("High-end equipment")
    DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
    ARTIFICIAL_INTELLIGENCE = "artificial_intelligence", _("Artificial intelligence")
    FINANCE = "finance", _("Finance")
    LEGAL_SERVICES = "legal_services", _("Legal services")
    LOGISTICS = "logistics", _("Logistics and express delivery")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    COMMERCE = "commerce", _("Trade and commerce")
    PROPERTY = "property", _("Real estate and property services")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")
    EDUCATION_HEALTH = "education_health", _("Education and health")
    PUBLIC_SERVICE = "public_service", _("Public administration and services")
    OTHER = "other", _("Other")


class UnitStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    INACTIVE = "inactive", _("Inactive")


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("E-mail not yet confirmed")
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# A credit code may be under review in one registration at a time.
REGISTRATION_PENDING = [RegistrationStatus.UNCONFIRMED, RegistrationStatus.SUBMITTED]


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a unit contact changes only with staff's approval; the rest of the profile applies at once.
REVIEWED_FIELDS = ("name", "credit_code", "unit_type")
# The profile a unit contact keeps; coverage, instructor and key-target flags are staff's to set.
SELF_SERVICE_FIELDS = (
    *REVIEWED_FIELDS,
    "region",
    "address",
    "industry",
    "employee_count",
    "party_org_type",
    "party_member_count",
    "contact_name",
    "contact_phone",
    "contact_email",
)

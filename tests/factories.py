import datetime
import random

import factory
from factory.django import DjangoModelFactory

from members import credit_code
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试地区{n}")
    level = RegionLevel.PROVINCE
    parent = None


class DistrictFactory(RegionFactory):
    level = RegionLevel.DISTRICT
    parent = factory.SubFactory(RegionFactory)


class SubdistrictFactory(RegionFactory):
    level = RegionLevel.SUBDISTRICT
    parent = factory.SubFactory(DistrictFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.UNIT_CONTACT
    unit = factory.Maybe(
        factory.LazyAttribute(lambda u: u.role == Role.UNIT_CONTACT),
        yes_declaration=factory.SubFactory("tests.factories.MemberUnitFactory"),
        no_declaration=None,
    )
    password = factory.django.Password("Test-pass-2026")


class StaffFactory(UserFactory):
    role = Role.DISTRICT_STAFF
    is_staff = True


class SecretaryFactory(UserFactory):
    role = Role.STREET_SECRETARY
    region = factory.SubFactory(SubdistrictFactory)


class MemberUnitFactory(DjangoModelFactory):
    class Meta:
        model = "members.MemberUnit"

    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    credit_code = factory.Sequence(lambda n: credit_code.generate(random.Random(n)))
    unit_type = "private_enterprise"
    region = factory.SubFactory(SubdistrictFactory)
    industry = "digital_economy"
    party_org_type = "branch"
    party_member_count = 5
    org_covered = True
    contact_name = "张联络"
    contact_phone = factory.Sequence(lambda n: f"139{n:08d}")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")


class AllianceFactory(DjangoModelFactory):
    class Meta:
        model = "alliances.Alliance"

    name = factory.Sequence(lambda n: f"测试党建联盟{n}")
    kind = "industry_cluster"
    meeting_cadence = "quarterly"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = "alliances.Membership"

    alliance = factory.SubFactory(AllianceFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    role = "member"


class JoinRequestFactory(DjangoModelFactory):
    class Meta:
        model = "alliances.JoinRequest"

    alliance = factory.SubFactory(AllianceFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    status = "pending"
    source = "self_service"


class ServiceCategoryFactory(DjangoModelFactory):
    class Meta:
        model = "services.ServiceCategory"
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"服务项目{n}")
    code = factory.Sequence(lambda n: f"service-{n}")


class ServiceStationFactory(DjangoModelFactory):
    class Meta:
        model = "services.ServiceStation"

    name = factory.Sequence(lambda n: f"测试党群服务站{n}")
    kind = "party_station"
    region = factory.SubFactory(SubdistrictFactory)
    address = factory.Sequence(lambda n: f"申长路{n}号")
    latitude = "31.190000"
    longitude = "121.320000"
    opening_hours = "周一至周五 9:00–17:00"
    is_public = True


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = "services.Activity"

    title = factory.Sequence(lambda n: f"测试活动{n}")
    activity_type = "party_lecture"
    held_on = datetime.date(2026, 11, 20)
    region = factory.SubFactory(SubdistrictFactory)
    participant_count = 30
    party_member_count = 10
    recorded_by = factory.SubFactory(StaffFactory)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = "alliances.Meeting"

    alliance = factory.SubFactory(AllianceFactory)
    organizer = factory.SubFactory(StaffFactory)
    kind = "regular"
    title = factory.Sequence(lambda n: f"联盟例会{n}")
    start_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 12, 10, 14, 0, tzinfo=datetime.UTC)
    )
    end_at = factory.LazyAttribute(lambda m: m.start_at + datetime.timedelta(hours=2))
    address = "闵行区申长路 988 号"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = "alliances.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    unit = factory.SubFactory(MemberUnitFactory)


class ResourceOfferFactory(DjangoModelFactory):
    class Meta:
        model = "services.ResourceOffer"

    unit = factory.SubFactory(MemberUnitFactory)
    category = "venue"
    title = factory.Sequence(lambda n: f"共享会议室{n}")
    description = "可容纳 50 人，配投影。"
    region = factory.LazyAttribute(lambda o: o.unit.region)
    is_active = True


class DemandCampaignFactory(DjangoModelFactory):
    class Meta:
        model = "services.DemandCampaign"

    title = factory.Sequence(lambda n: f"2026年第三季度专项征集{n}")
    theme = "企业发展难题"
    opens_on = datetime.date(2026, 7, 1)
    closes_on = datetime.date(2026, 9, 30)


class DemandFactory(DjangoModelFactory):
    class Meta:
        model = "services.Demand"

    title = factory.Sequence(lambda n: f"融资对接需求{n}")
    description = "希望对接银行，解决流动资金周转问题。"
    category = "financing"
    source = "online"
    unit = factory.SubFactory(MemberUnitFactory)
    region = factory.LazyAttribute(lambda o: o.unit.region if o.unit else SubdistrictFactory())
    status = "submitted"


class JointProjectFactory(DjangoModelFactory):
    class Meta:
        model = "services.JointProject"

    title = factory.Sequence(lambda n: f"楼宇党建共建项目{n}")
    description = "联合开展人才招聘与政策宣讲。"
    alliance = factory.SubFactory(AllianceFactory)
    lead_unit = factory.SubFactory(MemberUnitFactory)
    category = "talent"
    region = factory.LazyAttribute(lambda o: o.lead_unit.region if o.lead_unit else None)
    status = "open"


class ProjectParticipantFactory(DjangoModelFactory):
    class Meta:
        model = "services.ProjectParticipant"

    project = factory.SubFactory(JointProjectFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    role = "participant"
    joined_on = datetime.date(2026, 9, 1)


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = "services.Claim"

    kind = "unit_claims_project"
    project = factory.SubFactory(JointProjectFactory)
    unit = factory.SubFactory(MemberUnitFactory)
    status = "pending"

"""The alliances of the demo network (DESIGN.md §8) and who is in them.

Names of alliances and places, the nesting, the cadences and the descriptions come from the seed
articles; the member units are the invented ones of `devtools.demo.units`. Dates not written out below are
drawn from a random generator seeded with the alliance and the unit, so every load is the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliances.choices import AllianceKind as K
from alliances.choices import AllianceStatus
from alliances.choices import MeetingCadence as C
from alliances.choices import MembershipRole as R
from alliances.models import Alliance, Membership
from devtools.demo.units import (
    CAOHEJING,
    HONGMEI,
    HONGQIAO,
    HUACAO,
    JIANGCHUAN,
    MAQIAO,
    MINHANG,
    PUJIANG,
    QIBAO,
    SEED,
    TIANLIN,
    UNITS_BY_KEY,
    XINHONG,
    ZHUANQIAO,
    representative_of,
    units_by_key,
)
from members.choices import Industry as I  # noqa: E741
from portal.regions.models import Region

# Members who joined after an alliance was founded did so by this day.
AS_OF = date(2025, 6, 30)


@dataclass(frozen=True)
class M:
    """A membership: the unit's key, its role, and the days it joined (None: drawn) and left."""

    unit: str
    role: str = R.MEMBER
    joined: date | None = None
    left: date | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoAlliance:
    name: str
    short_name: str
    kind: str
    founded_on: date
    lead: str | None  # a unit key; the lead unit is also a member with role `lead`
    regions: tuple[str, ...]
    members: tuple[str | M, ...]
    parent: str | None = None  # the parent alliance's name; parents come first in ALLIANCES
    industry: str = ""
    status: str = AllianceStatus.ACTIVE
    meeting_cadence: str = C.QUARTERLY
    description: str = ""
    mechanisms: tuple[str, ...] = field(default=())


A = DemoAlliance


def keys(text: str) -> tuple[str, ...]:
    """Unit keys written as one space-separated string."""
    return tuple(text.split())


# The seven cities of the "city corridor" (seed 000).
CORRIDOR_CITIES = ("320500", "320600", "320900", "330200", "330400", "330800", "340200")
# The five riverside districts and twenty streets and towns along the Huangpu (seed 001).
RIVERSIDE = (
    "310101", "310104", "310109", "310110", "310115",
    "310101002", "310101013", "310101015", "310101017",
    "310104007", "310104010", "310104016", "310104103",
    "310109016",
    "310110001", "310110006", "310110008", "310110018",
    "310115005", "310115004", "310115008", "310115010", "310115007", "310115009", "310115013",
)  # fmt: skip

FIVE_LINKS = ("党群联动", "发展联推", "社会联治", "服务联手", "人才联育")
HUB = "闵行区枢纽党建共同体"
BIOMEDICINE = "闵行区生物医药产业集群党建联盟"
XINHONG_AREA = "虹桥商务区新虹片区党建共同体"
CAOHEJING_ALLIANCE = "漕河泾开发园区共建共治联盟"

ALLIANCES: list[DemoAlliance] = [
    # --- Minhang's "1+4+X" (seed 000) ---
    A(
        HUB,
        "枢纽党建共同体",
        K.HUB,
        date(2021, 1, 15),
        "mh-org",
        (MINHANG, XINHONG, HONGQIAO, HUACAO, QIBAO),
        (
            *keys("mh-econ mh-invest mh-sci mh-sasac mh-finance xinhong hongqiao huacao qibao"),
            *keys("minshu-group hq-guarantee hongzhen-assets qibao-tourism hq-property"),
        ),
        description=(
            "“1+4+X”组织架构中的“1”：由区委组织部牵头，经委、投促中心、科委、国资委、财政局等职能部门、"
            "商务区周边街镇以及部分区域化党建单位为成员。定期召集会议，研究协调区域党的建设、招商引资、"
            "项目建设、社会治理等工作。"
        ),
        mechanisms=FIVE_LINKS,
    ),
    A(
        BIOMEDICINE,
        "生物医药联盟",
        K.INDUSTRY_CLUSTER,
        date(2021, 3, 26),
        "mh-econ",
        (MINHANG,),
        (
            M("mh-bio-assoc", R.SECRETARIAT),
            M("hukang-antibody", R.DEPUTY),
            *keys("mh-sci hongrun-bio ruiqiao-pharma shenhui-med ruientai lingwan-cell qiheng-bio"),
            *keys("minqing-lab kangyuan-pharma chengming-bio jiangpu-pharma hongyi-equip"),
            *keys("lingwan-incubator"),
            M(
                "boqin-gene",
                joined=date(2021, 3, 26),
                left=date(2022, 8, 31),
                note="经营调整期间退出",
            ),
            M("boqin-gene", joined=date(2024, 3, 1), note="恢复研发后重新加入"),
        ),
        parent=HUB,
        industry=I.BIOMEDICINE,
        description=(
            "结合生物医药优势产业集聚的特点，率先做实生物医药产业集群党建，构建区级和北部大虹桥、"
            "南部大零号湾、东部大浦江的“1+3”生物医药产业集群党建联盟。召开季度集思会，吸纳220余家"
            "生物医药企业开展党建联建。"
        ),
        mechanisms=(*FIVE_LINKS, "季度集思会", "“双向认领”项目"),
    ),
    A(
        "大虹桥生物医药产业集群党建联盟",
        "大虹桥生物医药",
        K.INDUSTRY_CLUSTER,
        date(2021, 6, 30),
        "hongqiao",
        (XINHONG, HONGQIAO, HUACAO),
        (
            *keys("xinhong huacao hongrun-bio ruiqiao-pharma hukang-antibody shenhui-med"),
            "ruientai",
            M("boqin-gene", joined=date(2024, 3, 1)),
        ),
        parent=BIOMEDICINE,
        industry=I.BIOMEDICINE,
        description="“1+3”生物医药产业集群党建联盟的北部联盟，联结虹桥商务区周边街镇的生物医药企业党组织。",
        mechanisms=("季度集思会", "企业走访", "“双向认领”项目"),
    ),
    A(
        "大零号湾生物医药产业集群党建联盟",
        "大零号湾生物医药",
        K.INDUSTRY_CLUSTER,
        date(2021, 8, 20),
        "jiangchuan",
        (JIANGCHUAN, ZHUANQIAO, MAQIAO),
        (
            M("lingwan-incubator", R.SECRETARIAT),
            *keys("lingwan-cell qiheng-bio minqing-lab kangyuan-pharma hongyi-equip"),
        ),
        parent=BIOMEDICINE,
        industry=I.BIOMEDICINE,
        description="“1+3”生物医药产业集群党建联盟的南部联盟，聚焦大零号湾的生物医药研发与成果转化企业。",
        mechanisms=("季度集思会", "产学研对接"),
    ),
    A(
        "大浦江生物医药产业集群党建联盟",
        "大浦江生物医药",
        K.INDUSTRY_CLUSTER,
        date(2021, 10, 15),
        "pujiang",
        (PUJIANG,),
        ("chengming-bio", "jiangpu-pharma", "pujiang-heavy"),
        parent=BIOMEDICINE,
        industry=I.BIOMEDICINE,
        description="“1+3”生物医药产业集群党建联盟的东部联盟，联结浦江镇的生物医药企业党组织。",
        mechanisms=("季度集思会",),
    ),
    A(
        "闵行区高端装备产业集群党建联盟",
        "高端装备联盟",
        K.INDUSTRY_CLUSTER,
        date(2021, 7, 9),
        "mh-sasac",
        (MINHANG,),
        (
            M("mindian-precision", R.DEPUTY),
            *keys("shenhang-equip honggong-aero zhuanqiao-hydraulic xinchen-robot deruisen"),
            *keys("meilong-cnc pujiang-heavy hongyi-equip hq-autodrive"),
        ),
        parent=HUB,
        industry=I.HIGH_END_EQUIPMENT,
        description="闵行区四大产业集群党建联盟之一，把高端装备产业链上的重要企业、职能部门和驻区单位组织起来。",
        mechanisms=FIVE_LINKS,
    ),
    A(
        "闵行区数字经济产业集群党建联盟",
        "数字经济联盟",
        K.INDUSTRY_CLUSTER,
        date(2021, 7, 9),
        "mh-sci",
        (MINHANG,),
        (
            M("minshu-group", R.DEPUTY),
            *keys("hongshu-info yunqiao-data shenlian-tech qibao-net gumei-media zhihui-ecommerce"),
            *keys("xinhong-compute"),
            M("honglian-scm", left=date(2023, 12, 31), note="业务调整后退出"),
        ),
        parent=HUB,
        industry=I.DIGITAL_ECONOMY,
        description="闵行区四大产业集群党建联盟之一，把数字经济领域的重要企业、职能部门和驻区单位组织起来。",
        mechanisms=FIVE_LINKS,
    ),
    A(
        "闵行区人工智能产业集群党建联盟",
        "人工智能联盟",
        K.INDUSTRY_CLUSTER,
        date(2021, 9, 15),
        "mh-invest",
        (MINHANG,),
        (
            M("hongzhi-assoc", R.SECRETARIAT),
            M("xinhong-compute", R.DEPUTY),
            *keys("chengshi-vision yuheng-ai hq-autodrive shuniu-vision zhiwei-algo"),
            *keys("shengpai-voice yunqiao-data"),
        ),
        parent=HUB,
        industry=I.ARTIFICIAL_INTELLIGENCE,
        description="闵行区四大产业集群党建联盟之一，推动人工智能产业链上下游企业党组织联建共建。",
        mechanisms=FIVE_LINKS,
    ),
    A(
        XINHONG_AREA,
        "新虹片区",
        K.FUNCTIONAL_ZONE,
        date(2021, 3, 5),
        "xinhong",
        (XINHONG,),
        (
            *keys("hongrun-bio hongshu-info xinhong-compute minshu-group hq-guarantee"),
            *keys("shenhong-equity hq-property hongyu-apartment aibo-1 huamei-road hanghua-1"),
            *keys("shuniu-station"),
        ),
        parent=HUB,
        description=(
            "“1+4+X”中的片区，由新虹街道党工委牵头统筹推进工作。街道党工委重点打造商务区党群服务中心"
            "“欣虹空间”和5家“欣虹V空间”党群服务站，为商务区白领打造8小时以外生活平台。"
        ),
        meeting_cadence=C.YEARLY,
        mechanisms=(*FIVE_LINKS, "每年召开联席会议"),
    ),
    A(
        "虹桥商务区虹桥镇片区党建共同体",
        "虹桥镇片区",
        K.FUNCTIONAL_ZONE,
        date(2021, 3, 12),
        "hongqiao",
        (HONGQIAO,),
        (
            *keys("hukang-antibody yunqiao-data shuniu-vision mh-leasing hongzhen-assets"),
            "shenheng-law",
            M("honglian-scm", left=date(2023, 12, 31)),
        ),
        parent=HUB,
        description=(
            "“1+4+X”中的片区，由虹桥镇党委牵头。依托党建网格阵地建立“心驿税务小课堂”，"
            "派专员蹲点为企业和外商提供税务咨询。"
        ),
        meeting_cadence=C.YEARLY,
        mechanisms=(*FIVE_LINKS, "每年召开联席会议"),
    ),
    A(
        "虹桥商务区前湾片区党建共同体",
        "前湾片区",
        K.FUNCTIONAL_ZONE,
        date(2021, 4, 20),
        "huacao",
        (HUACAO,),
        (
            *keys("ruiqiao-pharma boqin-gene shenhang-equip honggong-aero hq-autodrive"),
            *keys("zhihui-ecommerce huacao-credit qianwan-property hq-intl-community"),
        ),
        parent=HUB,
        description="“1+4+X”中的片区，由华漕镇党委牵头，依托虹桥前湾建设统筹区域内企业、学校和国际社区党组织。",
        meeting_cadence=C.YEARLY,
        mechanisms=(*FIVE_LINKS, "每年召开联席会议"),
    ),
    A(
        "虹桥商务区七宝片区党建共同体",
        "七宝片区",
        K.FUNCTIONAL_ZONE,
        date(2021, 5, 18),
        "qibao",
        (QIBAO,),
        (
            M("qibao-chamber", R.SECRETARIAT),
            *keys("shenlian-tech qibao-net zhiwei-algo qibao-tourism baoxiang-commerce"),
        ),
        parent=HUB,
        description=(
            "“1+4+X”中的片区，由七宝镇党委牵头。在商务区建立16家企业服务站，将镇机关的党群服务、"
            "行政服务、物业服务等资源下沉到站点，为企业提供“一站式”服务。"
        ),
        meeting_cadence=C.YEARLY,
        mechanisms=(*FIVE_LINKS, "企业服务站“一站式”服务"),
    ),
    A(
        "虹桥商务区金融行业党建联盟",
        "金融联盟",
        K.SECTOR,
        date(2021, 11, 10),
        "mh-finance",
        (MINHANG,),
        ("hq-guarantee", "shenhong-equity", "huacao-credit", "mh-leasing"),
        industry=I.FINANCE,
        description="聚焦区域内的相关机构和功能平台建立的行业党建联盟，形成金融行业细分领域的工作合力。",
        meeting_cadence=C.HALF_YEARLY,
        mechanisms=("行业党建联建", "招商服务先锋队"),
    ),
    A(
        "华漕镇国际教育党建联盟",
        "国际教育联盟",
        K.SECTOR,
        date(2022, 3, 18),
        "huacao",
        (HUACAO,),
        ("qianwan-school", "huacao-school", "hq-intl-community", "qianwan-property"),
        industry=I.EDUCATION_HEALTH,
        description=(
            "华漕镇党委依托虹桥前湾建设，联合区域内国际学校及中小学校党组织组建，同步建设产业学院，"
            "搭建科研机构、智库、政府、行业、企业多方之间跨界融合的平台。"
        ),
        meeting_cadence=C.HALF_YEARLY,
        mechanisms=("产业学院", "跨界融合平台"),
    ),
    # --- Across the Yangtze Delta (seeds 000 and 004) ---
    A(
        "沪昆嘉党建服务联盟",
        "沪昆嘉联盟",
        K.CROSS_REGIONAL,
        date(2019, 11, 20),
        "xinhong",
        (MINHANG, "320583", "330400"),
        (
            M("hongzhi-assoc", R.SECRETARIAT),
            *keys("chengshi-vision"),
            M("ks-hongkun", left=date(2021, 5, 27), note="转入长三角人工智能党建联盟"),
            M("jx-hezhi", left=date(2021, 5, 27), note="转入长三角人工智能党建联盟"),
            M("shengpai-voice", left=date(2021, 5, 27), note="转入长三角人工智能党建联盟"),
        ),
        industry=I.ARTIFICIAL_INTELLIGENCE,
        status=AllianceStatus.DORMANT,
        meeting_cadence=C.NONE,
        description="长三角人工智能党建联盟的前身：新虹街道党工委指导协会在“沪昆嘉党建服务联盟”基础上升级，成立辐射力更大的长三角人工智能党建联盟。",
        mechanisms=("党建服务联动",),
    ),
    A(
        "长三角人工智能党建联盟",
        "长三角AI联盟",
        K.CROSS_REGIONAL,
        date(2021, 5, 28),
        "xinhong",
        (MINHANG, "320100", "320500", "320583", "330100", "330200", "330400", "340100", "340200"),
        (
            M("hongzhi-assoc", R.SECRETARIAT),
            M("xinhong-compute", R.DEPUTY),
            *keys("chengshi-vision yuheng-ai shuniu-vision"),
            M("shengpai-voice", joined=date(2021, 5, 28)),
            M("ks-hongkun", joined=date(2021, 5, 28)),
            M("jx-hezhi", joined=date(2021, 5, 28)),
            *keys("sz-chengzhi nj-zhongshan sz-ai-assoc hz-xixi nb-yongxin hf-luzhou hf-ai-assoc"),
            *keys("wh-jiangcheng"),
        ),
        industry=I.ARTIFICIAL_INTELLIGENCE,
        description=(
            "在闵行区委组织部指导下，新虹街道党工委联合沪、苏、浙、皖等长三角地区人工智能相关协会、学会、"
            "重点企业党组织共同发起成立，覆盖服务超过1600家人工智能相关企业，已开展“长三角智能制造协同"
            "发展论坛”等18项活动。"
        ),
        mechanisms=(
            "常态化协商",
            "项目化管理",
            "多元化交流",
            "产业组织共建",
            "资源技术共享",
            "活动项目共办",
            "企业发展共促",
            "人才队伍共育",
        ),
    ),
    A(
        "长三角医药产业链党建联盟",
        "长三角医药链联盟",
        K.CROSS_REGIONAL,
        date(2022, 7, 6),
        "hongyi-equip",
        (
            MINHANG,
            "320500",
            "320600",
            "320900",
            "330100",
            "330200",
            "330400",
            "330800",
            "340100",
            "340200",
        ),
        (
            M("hukang-antibody", R.DEPUTY),
            *keys("hongrun-bio qiheng-bio kangyuan-pharma sz-hengji wj-runhe nt-haisheng"),
            *keys("yc-yanhai hz-qiantang nb-yongkang jx-herun qz-qukang hf-luyang wh-jiujiang"),
        ),
        industry=I.BIOMEDICINE,
        description=(
            "龙头企业党委联合长三角医药产业链上的40余家单位党组织结成，先后组织开展专题研讨、考察交流、"
            "项目洽谈、行业研究等对接活动。成立2个月，成员单位在产学研销方面已达成合作金额超5亿元。"
        ),
        mechanisms=("专题研讨", "考察交流", "项目洽谈", "行业研究"),
    ),
    A(
        "枢纽党建·城市连廊",
        "城市连廊",
        K.CROSS_REGIONAL,
        date(2021, 11, 18),
        "mh-org",
        (MINHANG, *CORRIDOR_CITIES),
        ("sz-org", "nt-org", "yc-org", "nb-org", "jx-org", "qz-org", "wh-org"),
        meeting_cadence=C.YEARLY,
        description=(
            "闵行区委组织部牵头与江苏省苏州市、南通市、盐城市，浙江省宁波市、嘉兴市、衢州市，安徽省芜湖市"
            "等7城市组织部门对接联动，打造80个基层干部实训点，以组织纽带架起“三省一市”沟通桥梁。"
        ),
        mechanisms=("组织部门对接联动", "基层干部实训点"),
    ),
    # --- Xuhui: Caohejing (seed 002) and urban renewal (seed 001) ---
    A(
        CAOHEJING_ALLIANCE,
        "漕河泾共建共治联盟",
        K.FUNCTIONAL_ZONE,
        date(2022, 6, 16),
        "hongmei",
        (HONGMEI, CAOHEJING, TIANLIN),
        (
            M("caojing-service", R.DEPUTY),
            M("hongmeiting", R.SECRETARIAT),
            *keys("xh-org caohejing tianlin caoyuan-digital caoxin-micro caokang-bio"),
            *keys("tanhui-energy caoxi-creative"),
        ),
        meeting_cadence=C.HALF_YEARLY,
        description=(
            "基于园区内产业集群发展需要探索成立，先后组建元宇宙、集成电路、生命健康、绿色低碳、复合产业等"
            "5个产业发展共同体。引导3100余家区域单位和非公企业在片区报到，近50家非公企业和居民区结对共建。"
        ),
        mechanisms=(
            "同步建立党组织",
            "同步配备党建指导员",
            "同步开展党建活动",
            "“党建+营商”全岗通",
            "园区公共事务议事小组",
        ),
    ),
    A(
        "漕河泾元宇宙产业发展共同体",
        "元宇宙共同体",
        K.INDUSTRY_CLUSTER,
        date(2022, 9, 8),
        "caoyuan-digital",
        (HONGMEI, CAOHEJING),
        ("huanwei-vr", "yijing-meta"),
        parent=CAOHEJING_ALLIANCE,
        industry=I.DIGITAL_ECONOMY,
        description="漕河泾开发园区共建共治联盟的5个产业发展共同体之一，聚焦元宇宙产业。",
        mechanisms=("结对共建", "片区报到"),
    ),
    A(
        "漕河泾集成电路产业发展共同体",
        "集成电路共同体",
        K.INDUSTRY_CLUSTER,
        date(2022, 9, 8),
        "caoxin-micro",
        (HONGMEI, TIANLIN),
        (
            "guixin-ic",
            "guiping-optics",
            M("taiwei-semi", left=date(2024, 10, 31), note="研发中心迁出园区"),
        ),
        parent=CAOHEJING_ALLIANCE,
        industry=I.MANUFACTURING,
        description="漕河泾开发园区共建共治联盟的5个产业发展共同体之一，聚焦集成电路设计与制造。",
        mechanisms=("结对共建", "片区报到"),
    ),
    A(
        "漕河泾生命健康产业发展共同体",
        "生命健康共同体",
        K.INDUSTRY_CLUSTER,
        date(2022, 12, 2),
        "caokang-bio",
        (HONGMEI, CAOHEJING),
        ("huijian-med", "hongrun-bio"),
        parent=CAOHEJING_ALLIANCE,
        industry=I.BIOMEDICINE,
        description="漕河泾开发园区共建共治联盟的5个产业发展共同体之一，聚焦生命健康产业。",
        mechanisms=("结对共建", "片区报到"),
    ),
    A(
        "漕河泾绿色低碳产业发展共同体",
        "绿色低碳共同体",
        K.INDUSTRY_CLUSTER,
        date(2023, 3, 21),
        "tanhui-energy",
        (HONGMEI, CAOHEJING),
        ("lvcao-env",),
        parent=CAOHEJING_ALLIANCE,
        industry=I.OTHER,
        description="漕河泾开发园区共建共治联盟的5个产业发展共同体之一，聚焦绿色低碳产业。",
        mechanisms=("结对共建", "片区报到"),
    ),
    A(
        "漕河泾复合产业发展共同体",
        "复合产业共同体",
        K.INDUSTRY_CLUSTER,
        date(2023, 6, 9),
        "caoxi-creative",
        (CAOHEJING, TIANLIN),
        ("guilin-commerce", "caojing-service"),
        parent=CAOHEJING_ALLIANCE,
        industry=I.COMMERCE,
        description="漕河泾开发园区共建共治联盟的5个产业发展共同体之一，联结园区文创、商业等复合产业。",
        mechanisms=("结对共建", "片区报到"),
    ),
    A(
        "徐汇区城市更新党建联盟",
        "徐汇城市更新联盟",
        K.URBAN_RENEWAL,
        date(2021, 12, 16),
        "xh-housing",
        ("310104", "310104007", "310104016"),
        (M("huicheng-renewal", R.DEPUTY), "xh-org", "xietu", "longhua"),
        industry=I.PROPERTY,
        description="徐汇区建立的城市更新党建联盟，聚合职能部门、国有企业和街道等各方资源，推进城市更新建设。",
        mechanisms=("党建联席会议", "国企党组织带头"),
    ),
    # --- Pudong: the express-delivery sector (seed 003) ---
    A(
        "浦东新区快递行业党建联盟",
        "快递行业联盟",
        K.SECTOR,
        date(2020, 6, 30),
        "pd-post",
        ("310115", "310115016", "310115103", "310115120", "310115125", "310115130"),
        (
            M("pd-market", R.DEPUTY),
            M("pd-express-assoc", R.SECRETARIAT),
            *keys("pujie-express dongan-freight yida-logistics jinqiao-scm jida-delivery"),
            *keys("puqi-delivery zhangjiang chuansha"),
            M("sanlin-express", left=date(2024, 6, 30), note="站点关闭后注销"),
        ),
        industry=I.LOGISTICS,
        description=(
            "联动区市场监管局、邮政管理局成立全市首个快递行业综合党委，在条件成熟的平台企业按照企业品牌组建"
            "独立快递品牌党支部。对全区1340个基层站(网)点进行全覆盖排摸，推动平台合作企业、快递加盟企业"
            "和新就业群体流动党员覆盖纳管。"
        ),
        mechanisms=("征集—汇总—处理—反馈", "行业统建", "属地兜底", "行业、属地“双纳管”"),
    ),
    # --- The riverside (seed 001) ---
    A(
        "滨江党建跨区域联盟",
        "滨江联盟",
        K.CROSS_REGIONAL,
        date(2018, 6, 29),
        "lujiazui",
        RIVERSIDE,
        (
            M("binjiang-dev", R.DEPUTY),
            M("waitan", R.SECRETARIAT),
            *keys("tangqiao nanmatou xiaodongmen pingliang daqiao beiwaitan longhua xietu"),
            *keys("jiangan-tourism binjiang-volunteer jiangpan-cruise xh-riverside-art"),
        ),
        industry=I.CULTURE_TOURISM,
        meeting_cadence=C.HALF_YEARLY,
        description=(
            "在黄浦江两岸贯通、发展、治理过程中，把沿线5个区、20个街镇以及不同主体企事业单位贯通联动而成立。"
            "构建“珠链式分布、属地化管理、综合性功能”的党群服务站体系，打造近百个滨江党群服务站。"
        ),
        mechanisms=("珠链式分布", "属地化管理", "综合性功能"),
    ),
    # --- Xinhong street: rental apartments and the four disposal grids (seed 004) ---
    A(
        "新虹街道“公寓汇”长租公寓党建议事联盟",
        "公寓汇",
        K.STREET_GOVERNANCE,
        date(2021, 8, 12),
        "xinhong",
        (XINHONG,),
        (
            *keys("hongyu-apartment jingyu-apartment qihong-rental hq-property aibo-1"),
            "hanghua-1",
            M("shensu-apartment", left=date(2023, 5, 31), note="公寓停止运营"),
        ),
        parent=XINHONG_AREA,
        industry=I.PROPERTY,
        meeting_cadence=C.MONTHLY,
        description=(
            "街道将辖区20家长租公寓按照地理位置划分3个责任区并划入处置网格管理，指导建立多元力量共同参与的"
            "议事联盟“公寓汇”，共议共商公寓的社区治理。"
        ),
        mechanisms=("党建议事联盟", "共享空间", "处置网格管理"),
    ),
    *(
        A(
            f"新虹街道{grid}处置网格党建议事会",
            f"{grid}议事会",
            K.STREET_GOVERNANCE,
            founded,
            "xinhong",
            (code,),
            members,
            parent=XINHONG_AREA,
            meeting_cadence=C.MONTHLY,
            description=(
                "新虹街道4个处置网格之一设置的党建议事会，建立“1+4+N”网格队伍力量，"
                "共商共议区域城市管理难点问题。"
            ),
            mechanisms=("“1+4+N”网格队伍力量", "党建网与治理网一一对应"),
        )
        for grid, code, founded, members in (
            (
                "爱博片区",
                "310112008-G01",
                date(2020, 10, 20),
                keys("aibo-1 jingyu-apartment qiyi-bike hongshu-info"),
            ),
            (
                "华美片区",
                "310112008-G02",
                date(2020, 10, 20),
                keys("huamei-road shensu-apartment shenhui-med hq-guarantee"),
            ),
            (
                "枢纽片区",
                "310112008-G03",
                date(2020, 10, 27),
                keys("shuniu-station hq-property hongyu-apartment qiyi-bike minshu-group"),
            ),
            (
                "航华片区",
                "310112008-G04",
                date(2020, 11, 3),
                keys("hanghua-1 qihong-rental qiyi-bike ruientai"),
            ),
        )
    ),
]

ALLIANCES_BY_NAME = {spec.name: spec for spec in ALLIANCES}


def _depth(spec: DemoAlliance) -> int:
    return 0 if spec.parent is None else 1 + _depth(ALLIANCES_BY_NAME[spec.parent])


def memberships_of(spec: DemoAlliance) -> list[M]:
    """The memberships of an alliance, the lead unit's first, each with its joining day settled."""
    entries = [M(spec.lead, R.LEAD)] if spec.lead else []
    entries += [entry if isinstance(entry, M) else M(entry) for entry in spec.members]
    settled = []
    for entry in entries:
        joined = entry.joined
        if joined is None:
            joined = spec.founded_on
            rng = random.Random(f"{SEED}:{spec.name}:{entry.unit}")
            if entry.role == R.MEMBER and rng.random() < 0.5:
                # Half the members joined later, within the alliance's first two years.
                latest = min(entry.left or AS_OF, AS_OF)
                span = max((latest - spec.founded_on).days, 0)
                joined = date.fromordinal(
                    spec.founded_on.toordinal() + rng.randint(0, min(span, 730))
                )
        settled.append(M(entry.unit, entry.role, joined, entry.left, entry.note))
    return settled


def _moment(day: date) -> datetime:
    """A history timestamp on the given day, so that the history reads as the network grew."""
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _alliance_values(
    spec: DemoAlliance, units: dict, parents: dict[str, Alliance]
) -> dict[str, Any]:
    return {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "parent": parents[spec.parent] if spec.parent else None,
        "lead_unit": units[spec.lead] if spec.lead else None,
        "industry": spec.industry,
        "founded_on": spec.founded_on,
        "status": spec.status,
        "meeting_cadence": spec.meeting_cadence,
        "description": spec.description,
        "mechanisms": list(spec.mechanisms),
    }


@transaction.atomic
def load_alliances() -> tuple[int, int]:
    """Create or correct the demo alliances (after the units); returns (created, corrected)."""
    units = units_by_key()
    codes = {code for spec in ALLIANCES for code in spec.regions}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    existing = {
        a.name: a
        for a in Alliance.objects.filter(name__in=ALLIANCES_BY_NAME).prefetch_related("regions")
    }
    created = corrected = 0
    # Parents before children: one round per level of nesting.
    for depth in sorted({_depth(spec) for spec in ALLIANCES}):
        new: list[tuple[Alliance, list[Region]]] = []
        for spec in (s for s in ALLIANCES if _depth(s) == depth):
            values = _alliance_values(spec, units, existing)
            wanted = [regions[code] for code in spec.regions]
            alliance = existing.get(spec.name)
            if alliance is None:
                new.append((Alliance(**values), wanted))
                continue
            changed = [name for name, value in values.items() if _differs(alliance, name, value)]
            for name in changed:
                setattr(alliance, name, values[name])
            if changed:
                alliance.save()
            if {r.pk for r in alliance.regions.all()} != {r.pk for r in wanted}:
                alliance.regions.set(wanted)
                changed.append("regions")
            corrected += bool(changed)
        if new:
            _create_with_regions(new)
            existing.update((alliance.name, alliance) for alliance, _regions in new)
            created += len(new)
    return created, corrected


def _differs(alliance: Alliance, name: str, value: Any) -> bool:
    if name in ("parent", "lead_unit"):  # compare keys: no query for the related row
        return getattr(alliance, f"{name}_id") != (value.pk if value else None)
    return getattr(alliance, name) != value


def _create_with_regions(new: list[tuple[Alliance, list[Region]]]) -> None:
    """Insert alliances with their regions and one "created" history record each, regions included.

    It relies on bulk inserts returning the new keys, as they do on PostgreSQL and SQLite.
    """
    alliances = Alliance.objects.bulk_create([alliance for alliance, _regions in new])
    through = Alliance.regions.through
    links = through.objects.bulk_create(
        [
            through(alliance_id=alliance.pk, region_id=region.pk)
            for alliance, wanted in new
            for region in wanted
        ]
    )
    records = Alliance.history.bulk_history_create(alliances, default_change_reason="")
    record_of = {record.id: record for record in records}
    historical_links = Alliance.history.model.regions.model
    historical_links.objects.bulk_create(
        [
            historical_links(
                history=record_of[link.alliance_id],
                id=link.pk,
                alliance_id=link.alliance_id,
                region_id=link.region_id,
            )
            for link in links
        ]
    )


@transaction.atomic
def load_memberships() -> tuple[int, int]:
    """Create the demo memberships that are missing (after the alliances); returns (created, ended).

    A membership is known by its alliance, unit and joining day. One that ended is written as it
    happened: created on the day the unit joined, changed on the day it left.
    """
    units = units_by_key()
    alliances = {a.name: a for a in Alliance.objects.filter(name__in=ALLIANCES_BY_NAME)}
    rows = Membership.objects.filter(alliance__in=alliances.values()).values_list(
        "alliance_id", "unit_id", "joined_on", "left_on"
    )
    known, open_in_db = set(), set()
    for alliance_id, unit_id, joined_on, left_on in rows:
        known.add((alliance_id, unit_id, joined_on))
        if left_on is None:
            open_in_db.add((alliance_id, unit_id))
    open_pairs = set(open_in_db)
    ended: list[tuple[Membership, date]] = []
    current: list[Membership] = []
    for spec in ALLIANCES:
        alliance = alliances[spec.name]
        for entry in memberships_of(spec):
            unit = units[entry.unit]
            if (alliance.pk, unit.pk, entry.joined) in known:
                continue
            membership = Membership(
                alliance=alliance,
                unit=unit,
                role=entry.role,
                joined_on=entry.joined,
                representative=representative_of(UNITS_BY_KEY[entry.unit]),
                note=entry.note,
            )
            membership._history_date = _moment(entry.joined)
            if entry.left:
                ended.append((membership, entry.left))
            elif (alliance.pk, unit.pk) not in open_pairs:
                open_pairs.add((alliance.pk, unit.pk))
                current.append(membership)
    # The ended ones first, so that a unit that left and came back never has two open rows.
    for membership, left_on in sorted(ended, key=lambda pair: pair[0].joined_on):
        if (membership.alliance_id, membership.unit_id) in open_in_db:
            membership.left_on = left_on  # it is open again already: write the ended row at once
            membership.save()
            continue
        membership.save()
        membership.left_on = left_on
        membership._history_date = _moment(left_on)
        membership.save(update_fields=["left_on"])
    if current:
        bulk_create_with_history(current, Membership)
    return len(ended) + len(current), len(ended)

"""The member units of the demo network (DESIGN.md §8).

Places come from the seed articles; the enterprises, people, phone numbers and e-mail addresses are
invented. Every value that is not written out below is drawn from a random generator seeded with the
unit's key, so the data set is the same on every machine and adding a unit changes no other unit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from devtools.demo.regions import REGIONS
from members import credit_code
from members.choices import Industry as I  # noqa: E741
from members.choices import PartyOrgType as P
from members.choices import UnitStatus
from members.choices import UnitType as T
from members.models import MemberUnit
from portal.regions.choices import RegionLevel
from portal.regions.models import Region

SEED = 2026


@dataclass(frozen=True)
class DemoUnit:
    key: str  # ASCII handle: the alliances refer to a unit by it; it is also its e-mail domain
    name: str
    unit_type: str
    region: str  # region code (devtools.demo.regions.REGIONS)
    industry: str
    party_org_type: str
    key_target: bool = False
    # Whether a party-building instructor is assigned; None: an enterprise or social organization
    # that is a key target or shares a joint branch has one.
    instructor: bool | None = None
    status: str = UnitStatus.ACTIVE


U = DemoUnit
GOV, STREET, SOE, PRIVATE, FOREIGN = (
    T.GOVERNMENT_DEPARTMENT,
    T.SUBDISTRICT_COMMITTEE,
    T.STATE_OWNED_ENTERPRISE,
    T.PRIVATE_ENTERPRISE,
    T.FOREIGN_ENTERPRISE,
)
SOCIAL, INSTITUTION, COMMUNITY, ASSOCIATION = (
    T.SOCIAL_ORGANIZATION,
    T.PUBLIC_INSTITUTION,
    T.COMMUNITY_COMMITTEE,
    T.INDUSTRY_ASSOCIATION,
)
COMMITTEE, GENERAL, BRANCH, JOINT, NONE = (
    P.COMMITTEE,
    P.GENERAL_BRANCH,
    P.BRANCH,
    P.JOINT_BRANCH,
    P.NONE,
)

# Region codes used below.
MINHANG, XINHONG, HONGQIAO, HUACAO = "310112", "310112008", "310112107", "310112106"
QIBAO = "310112102"
JIANGCHUAN, ZHUANQIAO, MAQIAO, PUJIANG = "310112001", "310112103", "310112112", "310112114"
XINZHUANG, GUMEI, MEILONG = "310112101", "310112006", "310112108"
XUHUI, HONGMEI, CAOHEJING, TIANLIN = "310104", "310104012", "310104017", "310104011"
PUDONG = "310115"

# fmt: off
UNITS: list[DemoUnit] = [
    # --- Minhang: the departments and streets of the hub community (seed 000) ---
    U("mh-org", "中共上海市闵行区委组织部", GOV, MINHANG, I.PUBLIC_SERVICE, GENERAL),
    U("mh-econ", "闵行区经济委员会", GOV, MINHANG, I.PUBLIC_SERVICE, GENERAL),
    U("mh-invest", "闵行区投资促进服务中心", INSTITUTION, MINHANG, I.PUBLIC_SERVICE, BRANCH),
    U("mh-sci", "闵行区科学技术委员会", GOV, MINHANG, I.PUBLIC_SERVICE, BRANCH),
    U("mh-sasac", "闵行区国有资产监督管理委员会", GOV, MINHANG, I.PUBLIC_SERVICE, BRANCH),
    U("mh-finance", "闵行区财政局", GOV, MINHANG, I.PUBLIC_SERVICE, GENERAL),
    U("xinhong", "闵行区新虹街道党工委", STREET, XINHONG, I.PUBLIC_SERVICE, COMMITTEE),
    U("hongqiao", "闵行区虹桥镇党委", STREET, HONGQIAO, I.PUBLIC_SERVICE, COMMITTEE),
    U("huacao", "闵行区华漕镇党委", STREET, HUACAO, I.PUBLIC_SERVICE, COMMITTEE),
    U("qibao", "闵行区七宝镇党委", STREET, QIBAO, I.PUBLIC_SERVICE, COMMITTEE),
    U("jiangchuan", "闵行区江川路街道党工委", STREET, JIANGCHUAN, I.PUBLIC_SERVICE, COMMITTEE),
    U("pujiang", "闵行区浦江镇党委", STREET, PUJIANG, I.PUBLIC_SERVICE, COMMITTEE),
    # --- Minhang biomedicine: north Hongqiao, south Zero Bay, east Pujiang (the "1+3") ---
    U("hongrun-bio", "上海虹润生物医药科技有限公司", PRIVATE, XINHONG, I.BIOMEDICINE, COMMITTEE, True),
    U("ruiqiao-pharma", "上海睿桥医药研发有限公司", PRIVATE, HUACAO, I.BIOMEDICINE, BRANCH),
    U("hukang-antibody", "上海沪康抗体药物有限公司", PRIVATE, HONGQIAO, I.BIOMEDICINE, GENERAL, True),
    U("boqin-gene", "上海博沁基因技术有限公司", PRIVATE, HUACAO, I.BIOMEDICINE, NONE, True),
    U("shenhui-med", "上海申晖医疗器械有限公司", PRIVATE, XINHONG, I.BIOMEDICINE, JOINT),
    U("ruientai", "瑞恩泰(上海)生物科技有限公司", FOREIGN, XINHONG, I.BIOMEDICINE, BRANCH, True),
    U("lingwan-cell", "上海零湾细胞治疗技术有限公司", PRIVATE, JIANGCHUAN, I.BIOMEDICINE, BRANCH, True),
    U("qiheng-bio", "上海启衡生物制药有限公司", PRIVATE, ZHUANQIAO, I.BIOMEDICINE, GENERAL),
    U("minqing-lab", "上海闵青医学检验所有限公司", PRIVATE, JIANGCHUAN, I.BIOMEDICINE, JOINT),
    U("kangyuan-pharma", "上海马桥康源药业有限公司", PRIVATE, MAQIAO, I.BIOMEDICINE, COMMITTEE),
    U("chengming-bio", "上海浦江澄明生物工程有限公司", PRIVATE, PUJIANG, I.BIOMEDICINE, BRANCH),
    U("jiangpu-pharma", "上海江浦医药科技有限公司", PRIVATE, PUJIANG, I.BIOMEDICINE, NONE, instructor=False),
    U("hongyi-equip", "上海虹医制药装备股份有限公司", PRIVATE, JIANGCHUAN, I.BIOMEDICINE, COMMITTEE, True),
    U("mh-bio-assoc", "闵行区生物医药行业协会", ASSOCIATION, MINHANG, I.BIOMEDICINE, BRANCH),
    U("lingwan-incubator", "上海零号湾医药孵化器管理有限公司", SOE, JIANGCHUAN, I.BIOMEDICINE, BRANCH),
    # --- Minhang high-end equipment ---
    U("shenhang-equip", "上海申航智能装备有限公司", PRIVATE, HUACAO, I.HIGH_END_EQUIPMENT, BRANCH),
    U("mindian-precision", "上海闵电精密机械有限公司", SOE, MAQIAO, I.HIGH_END_EQUIPMENT, COMMITTEE, True),
    U("honggong-aero", "上海虹工航空部件有限公司", PRIVATE, HUACAO, I.HIGH_END_EQUIPMENT, GENERAL),
    U("zhuanqiao-hydraulic", "上海颛桥液压技术有限公司", PRIVATE, ZHUANQIAO, I.HIGH_END_EQUIPMENT, NONE),
    U("xinchen-robot", "上海莘辰机器人系统有限公司", PRIVATE, XINZHUANG, I.HIGH_END_EQUIPMENT, BRANCH, True),
    U("deruisen", "德锐森(上海)工业技术有限公司", FOREIGN, XINZHUANG, I.HIGH_END_EQUIPMENT, NONE, True),
    U("meilong-cnc", "上海梅陇数控设备有限公司", PRIVATE, MEILONG, I.HIGH_END_EQUIPMENT, JOINT),
    U("pujiang-heavy", "上海浦江重工科技有限公司", SOE, PUJIANG, I.HIGH_END_EQUIPMENT, COMMITTEE),
    # --- Minhang digital economy ---
    U("hongshu-info", "上海虹数信息科技有限公司", PRIVATE, XINHONG, I.DIGITAL_ECONOMY, BRANCH),
    U("yunqiao-data", "上海云桥数据服务有限公司", PRIVATE, HONGQIAO, I.DIGITAL_ECONOMY, GENERAL, True),
    U("shenlian-tech", "上海申链科技有限公司", PRIVATE, QIBAO, I.DIGITAL_ECONOMY, NONE, True, instructor=False),
    U("qibao-net", "上海七宝网络科技有限公司", PRIVATE, QIBAO, I.DIGITAL_ECONOMY, JOINT),
    U("gumei-media", "上海古美数字传媒有限公司", PRIVATE, GUMEI, I.DIGITAL_ECONOMY, BRANCH),
    U("minshu-group", "上海闵数产业发展集团有限公司", SOE, XINHONG, I.DIGITAL_ECONOMY, COMMITTEE),
    U("zhihui-ecommerce", "上海智汇跨境电子商务有限公司", PRIVATE, HUACAO, I.COMMERCE, BRANCH),
    U("honglian-scm", "上海虹链供应链管理有限公司", PRIVATE, HONGQIAO, I.DIGITAL_ECONOMY, NONE),
    # --- Minhang artificial intelligence (seed 004: the Xinhong AI chain) ---
    U("hongzhi-assoc", "上海虹智人工智能技术促进会", ASSOCIATION, XINHONG, I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("xinhong-compute", "上海新虹智算科技有限公司", PRIVATE, XINHONG, I.ARTIFICIAL_INTELLIGENCE, GENERAL, True),
    U("chengshi-vision", "上海澄视智能科技有限公司", PRIVATE, XINHONG, I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("yuheng-ai", "上海语衡人工智能有限公司", PRIVATE, XINHONG, I.ARTIFICIAL_INTELLIGENCE, NONE, True),
    U("hq-autodrive", "上海虹桥智能驾驶研究院有限公司", PRIVATE, HUACAO, I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("shuniu-vision", "上海枢纽机器视觉技术有限公司", PRIVATE, HONGQIAO, I.ARTIFICIAL_INTELLIGENCE, JOINT),
    U("zhiwei-algo", "上海知微算法科技有限公司", PRIVATE, QIBAO, I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("shengpai-voice", "上海声湃语音技术有限公司", PRIVATE, XINHONG, I.ARTIFICIAL_INTELLIGENCE, NONE),
    # --- Minhang finance, education, Hongqiao town and Qibao ---
    U("hq-guarantee", "上海虹桥商务区融资担保有限公司", SOE, XINHONG, I.FINANCE, BRANCH),
    U("shenhong-equity", "上海申虹股权投资管理有限公司", PRIVATE, XINHONG, I.FINANCE, BRANCH),
    U("huacao-credit", "上海华漕小额贷款股份有限公司", PRIVATE, HUACAO, I.FINANCE, NONE),
    U("mh-leasing", "上海闵行科创融资租赁有限公司", SOE, HONGQIAO, I.FINANCE, GENERAL),
    U("qianwan-school", "上海前湾双语学校", SOCIAL, HUACAO, I.EDUCATION_HEALTH, BRANCH),
    U("huacao-school", "闵行区华漕学校", INSTITUTION, HUACAO, I.EDUCATION_HEALTH, GENERAL),
    U("hq-intl-community", "上海虹桥国际社区服务中心", SOCIAL, HUACAO, I.PUBLIC_SERVICE, JOINT),
    U("qianwan-property", "上海前湾物业服务有限公司", PRIVATE, HUACAO, I.PROPERTY, BRANCH),
    U("hongzhen-assets", "上海虹镇资产经营有限公司", SOE, HONGQIAO, I.PROPERTY, COMMITTEE),
    U("shenheng-law", "上海申衡律师事务所", T.OTHER, HONGQIAO, I.LEGAL_SERVICES, BRANCH),
    U("qibao-tourism", "上海七宝古镇文化旅游发展有限公司", SOE, QIBAO, I.CULTURE_TOURISM, COMMITTEE),
    U("baoxiang-commerce", "上海宝祥商业管理有限公司", PRIVATE, QIBAO, I.COMMERCE, BRANCH),
    U("qibao-chamber", "闵行区七宝镇商会", ASSOCIATION, QIBAO, I.COMMERCE, BRANCH),
    # --- Xinhong street: rental apartments, property, bicycles, communities (seed 004) ---
    U("hongyu-apartment", "上海虹寓长租公寓管理有限公司", PRIVATE, "310112008-G03", I.PROPERTY, BRANCH),
    U("jingyu-apartment", "上海景寓公寓运营有限公司", PRIVATE, "310112008-G01", I.PROPERTY, NONE, True),
    U("qihong-rental", "上海栖虹住房租赁有限公司", PRIVATE, "310112008-G04", I.PROPERTY, JOINT),
    U("shensu-apartment", "上海申宿公寓管理有限公司", PRIVATE, "310112008-G02", I.PROPERTY, NONE),
    U("hq-property", "上海虹桥商务区物业管理有限公司", SOE, "310112008-G03", I.PROPERTY, BRANCH),
    U("qiyi-bike", "上海骑易共享出行科技有限公司", PRIVATE, XINHONG, I.LOGISTICS, NONE, True),
    U("aibo-1", "新虹街道爱博第一居民区居民委员会", COMMUNITY, "310112008-C01", I.PUBLIC_SERVICE, GENERAL),
    U("huamei-road", "新虹街道华美路居民区居民委员会", COMMUNITY, "310112008-C02", I.PUBLIC_SERVICE, GENERAL),
    U("hanghua-1", "新虹街道航华第一居民区居民委员会", COMMUNITY, "310112008-C03", I.PUBLIC_SERVICE, GENERAL),
    U("shuniu-station", "新虹街道枢纽工作站", COMMUNITY, "310112008-C04", I.PUBLIC_SERVICE, BRANCH),
    # --- Xuhui: Caohejing and its five industry communities (seed 002), urban renewal (seed 001) ---
    U("xh-org", "中共上海市徐汇区委组织部", GOV, XUHUI, I.PUBLIC_SERVICE, GENERAL),
    U("hongmei", "徐汇区虹梅路街道党工委", STREET, HONGMEI, I.PUBLIC_SERVICE, COMMITTEE),
    U("caohejing", "徐汇区漕河泾街道党工委", STREET, CAOHEJING, I.PUBLIC_SERVICE, COMMITTEE),
    U("tianlin", "徐汇区田林街道党工委", STREET, TIANLIN, I.PUBLIC_SERVICE, COMMITTEE),
    U("caojing-service", "上海漕泾园区综合服务有限公司", SOE, HONGMEI, I.PROPERTY, COMMITTEE),
    U("hongmeiting", "徐汇区虹梅庭白领服务中心", SOCIAL, HONGMEI, I.PUBLIC_SERVICE, BRANCH),
    U("caoyuan-digital", "上海漕元数字科技有限公司", PRIVATE, HONGMEI, I.DIGITAL_ECONOMY, BRANCH),
    U("huanwei-vr", "上海幻维虚拟现实技术有限公司", PRIVATE, CAOHEJING, I.DIGITAL_ECONOMY, NONE, True),
    U("caoxin-micro", "上海芯漕微电子有限公司", PRIVATE, HONGMEI, I.MANUFACTURING, GENERAL, True),
    U("guixin-ic", "上海桂芯集成电路设计有限公司", PRIVATE, TIANLIN, I.MANUFACTURING, BRANCH),
    U("taiwei-semi", "泰微(上海)半导体有限公司", FOREIGN, HONGMEI, I.MANUFACTURING, NONE, True),
    U("yijing-meta", "上海宜山元境科技有限公司", PRIVATE, HONGMEI, I.DIGITAL_ECONOMY, JOINT),
    U("guiping-optics", "上海桂平光电科技有限公司", PRIVATE, HONGMEI, I.MANUFACTURING, BRANCH),
    U("caokang-bio", "上海漕康生物科技有限公司", PRIVATE, HONGMEI, I.BIOMEDICINE, BRANCH),
    U("huijian-med", "上海汇健医疗器械有限公司", PRIVATE, CAOHEJING, I.BIOMEDICINE, JOINT),
    U("tanhui-energy", "上海碳汇能源科技有限公司", PRIVATE, HONGMEI, I.OTHER, BRANCH),
    U("lvcao-env", "上海绿漕环境工程有限公司", PRIVATE, CAOHEJING, I.OTHER, NONE),
    U("caoxi-creative", "上海漕溪文创发展有限公司", PRIVATE, CAOHEJING, I.CULTURE_TOURISM, JOINT),
    U("guilin-commerce", "上海桂林路商业管理有限公司", PRIVATE, TIANLIN, I.COMMERCE, BRANCH),
    U("xh-housing", "徐汇区房屋管理局", GOV, XUHUI, I.PUBLIC_SERVICE, GENERAL),
    U("xietu", "徐汇区斜土路街道党工委", STREET, "310104007", I.PUBLIC_SERVICE, COMMITTEE),
    U("longhua", "徐汇区龙华街道党工委", STREET, "310104016", I.PUBLIC_SERVICE, COMMITTEE),
    U("huicheng-renewal", "上海汇城更新建设发展有限公司", SOE, XUHUI, I.PROPERTY, COMMITTEE),
    # --- Pudong: the express-delivery sector (seed 003) ---
    U("pd-post", "浦东新区邮政管理局", GOV, PUDONG, I.LOGISTICS, BRANCH),
    U("pd-market", "浦东新区市场监督管理局", GOV, PUDONG, I.PUBLIC_SERVICE, COMMITTEE),
    U("pd-express-assoc", "浦东新区快递行业协会", ASSOCIATION, PUDONG, I.LOGISTICS, BRANCH),
    U("pujie-express", "上海浦捷速递有限公司", PRIVATE, "310115103", I.LOGISTICS, BRANCH, True),
    U("dongan-freight", "上海东岸快运有限公司", PRIVATE, "310115120", I.LOGISTICS, GENERAL, True),
    U("yida-logistics", "上海川沙驿达物流有限公司", PRIVATE, "310115103", I.LOGISTICS, NONE, True),
    U("jinqiao-scm", "上海金桥速达供应链管理有限公司", PRIVATE, "310115120", I.LOGISTICS, JOINT),
    U("jida-delivery", "上海张江即达配送服务有限公司", PRIVATE, "310115125", I.LOGISTICS, NONE, True),
    U("sanlin-express", "上海三林快通快递服务有限公司", PRIVATE, "310115130", I.LOGISTICS, NONE, status=UnitStatus.INACTIVE),
    U("puqi-delivery", "上海浦骑网约配送服务有限公司", PRIVATE, "310115016", I.LOGISTICS, BRANCH),
    U("zhangjiang", "浦东新区张江镇党委", STREET, "310115125", I.PUBLIC_SERVICE, COMMITTEE),
    U("chuansha", "浦东新区川沙新镇党委", STREET, "310115103", I.PUBLIC_SERVICE, COMMITTEE),
    # --- The riverside cross-district alliance (seed 001) ---
    U("lujiazui", "浦东新区陆家嘴街道党工委", STREET, "310115005", I.PUBLIC_SERVICE, COMMITTEE),
    U("tangqiao", "浦东新区塘桥街道党工委", STREET, "310115008", I.PUBLIC_SERVICE, COMMITTEE),
    U("nanmatou", "浦东新区南码头路街道党工委", STREET, "310115010", I.PUBLIC_SERVICE, COMMITTEE),
    U("waitan", "黄浦区外滩街道党工委", STREET, "310101013", I.PUBLIC_SERVICE, COMMITTEE),
    U("xiaodongmen", "黄浦区小东门街道党工委", STREET, "310101017", I.PUBLIC_SERVICE, COMMITTEE),
    U("pingliang", "杨浦区平凉路街道党工委", STREET, "310110006", I.PUBLIC_SERVICE, COMMITTEE),
    U("daqiao", "杨浦区大桥街道党工委", STREET, "310110018", I.PUBLIC_SERVICE, COMMITTEE),
    U("beiwaitan", "虹口区北外滩街道党工委", STREET, "310109016", I.PUBLIC_SERVICE, COMMITTEE),
    U("binjiang-dev", "上海滨江岸线开发建设有限公司", SOE, "310115005", I.PROPERTY, COMMITTEE),
    U("jiangan-tourism", "上海江岸文旅发展有限公司", SOE, "310110006", I.CULTURE_TOURISM, GENERAL),
    U("binjiang-volunteer", "上海滨江志愿服务中心", SOCIAL, "310101013", I.PUBLIC_SERVICE, BRANCH),
    U("jiangpan-cruise", "上海江畔游船服务有限公司", PRIVATE, "310101017", I.CULTURE_TOURISM, NONE),
    U("xh-riverside-art", "徐汇滨江文化艺术中心", INSTITUTION, "310104016", I.CULTURE_TOURISM, BRANCH),
    # --- The seven cities of the "city corridor" (seed 000) ---
    U("sz-org", "中共苏州市委组织部", GOV, "320500", I.PUBLIC_SERVICE, GENERAL),
    U("nt-org", "中共南通市委组织部", GOV, "320600", I.PUBLIC_SERVICE, GENERAL),
    U("yc-org", "中共盐城市委组织部", GOV, "320900", I.PUBLIC_SERVICE, GENERAL),
    U("nb-org", "中共宁波市委组织部", GOV, "330200", I.PUBLIC_SERVICE, GENERAL),
    U("jx-org", "中共嘉兴市委组织部", GOV, "330400", I.PUBLIC_SERVICE, GENERAL),
    U("qz-org", "中共衢州市委组织部", GOV, "330800", I.PUBLIC_SERVICE, GENERAL),
    U("wh-org", "中共芜湖市委组织部", GOV, "340200", I.PUBLIC_SERVICE, GENERAL),
    # --- Yangtze Delta AI units in Jiangsu, Zhejiang and Anhui ---
    U("sz-chengzhi", "苏州澄智人工智能科技有限公司", PRIVATE, "320500", I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("ks-hongkun", "昆山虹昆智能制造有限公司", PRIVATE, "320583", I.ARTIFICIAL_INTELLIGENCE, JOINT),
    U("nj-zhongshan", "南京钟山智能语音研究院有限公司", PRIVATE, "320100", I.ARTIFICIAL_INTELLIGENCE, GENERAL),
    U("sz-ai-assoc", "苏州人工智能产业协同发展促进会", ASSOCIATION, "320500", I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("hz-xixi", "杭州西溪数智科技有限公司", PRIVATE, "330100", I.ARTIFICIAL_INTELLIGENCE, BRANCH, True),
    U("jx-hezhi", "嘉兴禾智机器人有限公司", PRIVATE, "330400", I.ARTIFICIAL_INTELLIGENCE, NONE, True),
    U("nb-yongxin", "宁波甬芯视觉技术有限公司", PRIVATE, "330200", I.ARTIFICIAL_INTELLIGENCE, BRANCH),
    U("hf-luzhou", "合肥庐州智能语音科技有限公司", PRIVATE, "340100", I.ARTIFICIAL_INTELLIGENCE, GENERAL),
    U("hf-ai-assoc", "合肥智能产业促进会", ASSOCIATION, "340100", I.ARTIFICIAL_INTELLIGENCE, JOINT),
    U("wh-jiangcheng", "芜湖江城智能装备有限公司", PRIVATE, "340200", I.HIGH_END_EQUIPMENT, BRANCH),
    # --- The Yangtze Delta pharmaceutical chain ---
    U("sz-hengji", "苏州恒济药业有限公司", PRIVATE, "320500", I.BIOMEDICINE, COMMITTEE),
    U("wj-runhe", "苏州吴江润禾医药包装材料有限公司", PRIVATE, "320509", I.MANUFACTURING, BRANCH),
    U("nt-haisheng", "南通海晟原料药有限公司", PRIVATE, "320600", I.BIOMEDICINE, GENERAL),
    U("yc-yanhai", "盐城沿海生物制药有限公司", PRIVATE, "320900", I.BIOMEDICINE, BRANCH),
    U("hz-qiantang", "杭州钱塘生物制品有限公司", PRIVATE, "330100", I.BIOMEDICINE, COMMITTEE, True),
    U("nb-yongkang", "宁波甬康医疗器械有限公司", PRIVATE, "330200", I.BIOMEDICINE, NONE, True),
    U("jx-herun", "嘉兴禾润药用辅料有限公司", PRIVATE, "330400", I.BIOMEDICINE, JOINT),
    U("qz-qukang", "衢州衢康制药有限公司", PRIVATE, "330800", I.BIOMEDICINE, BRANCH),
    U("hf-luyang", "合肥庐阳生物医药有限公司", PRIVATE, "340100", I.BIOMEDICINE, BRANCH),
    U("wh-jiujiang", "芜湖鸠江医药物流有限公司", PRIVATE, "340200", I.LOGISTICS, GENERAL),
]
# fmt: on

# The unit that the demo account `unit` speaks for: a member of the biomedicine alliance.
DEMO_ACCOUNT_UNIT = "hongrun-bio"

# (registration authority, organization kind) of GB 32100 by unit type; community committees have none.
CODE_KIND: dict[str, tuple[str, str] | None] = {
    T.GOVERNMENT_DEPARTMENT: ("1", "1"),
    T.SUBDISTRICT_COMMITTEE: ("1", "1"),
    T.PUBLIC_INSTITUTION: ("1", "2"),
    T.STATE_OWNED_ENTERPRISE: ("9", "1"),
    T.PRIVATE_ENTERPRISE: ("9", "1"),
    T.FOREIGN_ENTERPRISE: ("9", "1"),
    T.SOCIAL_ORGANIZATION: ("5", "2"),
    T.INDUSTRY_ASSOCIATION: ("5", "1"),
    T.OTHER: ("3", "1"),  # a law firm, registered by the justice bureau
    T.COMMUNITY_COMMITTEE: None,
}

# How many party members a unit with each kind of party organization has.
PARTY_MEMBERS = {
    COMMITTEE: (100, 320),
    GENERAL: (50, 99),
    BRANCH: (3, 49),
    JOINT: (1, 6),  # its share of a branch formed jointly with neighbouring small units
    NONE: (0, 2),
}
# Head count by unit type: (least, most, at least this many people per party member).
EMPLOYEES = {
    GOV: (40, 160, 1.3),
    STREET: (120, 300, 1.2),
    INSTITUTION: (30, 260, 1.5),
    SOE: (200, 2400, 3),
    PRIVATE: (15, 600, 6),
    FOREIGN: (60, 1200, 8),
    SOCIAL: (6, 80, 2),
    # The party members of an association or a residents' committee are mostly not its staff.
    ASSOCIATION: (3, 18, 0),
    COMMUNITY: (8, 20, 0),
    T.OTHER: (20, 120, 3),
}

# fmt: off
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高沈顾陆钱蒋姚俞汪施唐金邵范曹袁"
GIVEN_NAMES = (
    "建华", "伟", "敏", "静", "丽娟", "强", "磊", "洋", "艳", "勇", "军", "杰", "晓东", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "晓燕", "海燕", "志强", "永刚", "文博", "思远", "雨涵", "佳怡", "子豪", "欣怡", "浩然", "晨曦", "一鸣", "嘉琪",
    "天宇", "诗涵", "俊杰", "雅婷", "明轩", "立新", "国平", "卫东", "红梅", "春燕", "海峰", "慧敏", "丽华", "振华", "志明", "玉兰",
    "德胜", "静怡", "文杰", "颖", "婷婷", "宇航", "书瑶", "凯", "佩琳",
)
MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "157", "158", "159",
    "166", "173", "177", "180", "181", "186", "187", "188", "189", "199",
)
# fmt: on
MAILBOXES = ("dangjian", "office", "party", "contact", "hr")

# Real road names near each place, for invented addresses; a place without its own list uses its parent's.
ROADS: dict[str, tuple[str, ...]] = {
    MINHANG: ("沪闵路", "虹梅南路", "中春路", "都市路"),
    XINHONG: ("申长路", "申虹路", "申滨南路", "甬虹路", "苏虹路", "润虹路"),
    HONGQIAO: ("吴中路", "红松路", "虹井路", "虹泉路"),
    HUACAO: ("华翔路", "纪翟路", "北翟路", "华江路"),
    QIBAO: ("七莘路", "漕宝路", "新镇路", "沪星路"),
    JIANGCHUAN: ("剑川路", "江川路", "东川路", "沧源路"),
    ZHUANQIAO: ("都市路", "颛兴路", "银都路"),
    MAQIAO: ("元江路", "华宁路", "同乐路"),
    PUJIANG: ("浦星公路", "联航路", "新骏环路", "江凯路"),
    XINZHUANG: ("莘朱路", "春申路", "莘松路"),
    GUMEI: ("古美路", "平阳路", "顾戴路"),
    MEILONG: ("莲花南路", "梅陇路", "虹梅南路"),
    XUHUI: ("漕溪北路", "天钥桥路", "肇嘉浜路", "龙腾大道"),
    HONGMEI: ("宜山路", "桂平路", "钦州北路", "虹梅路", "桂箐路"),
    CAOHEJING: ("漕宝路", "蒲汇塘路", "漕溪路"),
    TIANLIN: ("田林路", "桂林路", "柳州路"),
    "310104007": ("斜土路", "大木桥路", "瑞金南路"),
    "310104016": ("龙华中路", "龙腾大道", "丰谷路"),
    PUDONG: ("世纪大道", "张杨路", "东方路", "浦东南路"),
    "310115005": ("银城中路", "滨江大道", "陆家嘴环路"),
    "310115008": ("浦建路", "蓝村路"),
    "310115010": ("南码头路", "浦东南路"),
    "310115016": ("锦绣路", "花木路", "梅花路"),
    "310115103": ("川沙路", "华夏东路", "川环南路"),
    "310115120": ("金海路", "金桥路", "新金桥路"),
    "310115125": ("祖冲之路", "郭守敬路", "碧波路"),
    "310115130": ("海阳西路", "上南路", "林展路"),
    "310101": ("中山东一路", "圆明园路", "外马路", "复兴东路"),
    "310109": ("东大名路", "北苏州路", "东长治路"),
    "310110": ("杨树浦路", "平凉路", "长阳路"),
    "320100": ("中山路", "江东中路", "雨花大道"),
    "320500": ("星湖街", "金鸡湖大道", "现代大道"),
    "320509": ("中山南路", "开平路", "江兴东路"),
    "320583": ("前进东路", "萧林路", "夏驾桥路"),
    "320600": ("崇川路", "工农路", "世纪大道"),
    "320900": ("人民南路", "希望大道", "开放大道"),
    "330100": ("文一西路", "江南大道", "滨安路"),
    "330200": ("中山东路", "江南路", "聚贤路"),
    "330400": ("中环南路", "亚太路", "昌盛南路"),
    "330800": ("世纪大道", "九华北大道", "衢化路"),
    "340100": ("望江西路", "创新大道", "习友路"),
    "340200": ("鸠江北路", "银湖北路", "赤铸山路"),
}
_REGION_TREE = {code: (name, level, parent) for code, name, level, parent in REGIONS}


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _address(rng: random.Random, region_code: str) -> str:
    code, roads = region_code, None
    while code and roads is None:
        roads = ROADS.get(code)
        code = _REGION_TREE[code][2]
    # "上海市闵行区", "江苏省苏州市昆山市": the province (or municipality), city and district.
    place, code = [], region_code
    while code:
        name, level, parent = _REGION_TREE[code]
        if level in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT):
            place.append(name)
        code = parent
    return "".join(reversed(place)) + f"{rng.choice(roads or ('人民路',))}{rng.randint(1, 1999)}号"


def unit_fields(spec: DemoUnit) -> dict[str, Any]:
    """The model fields of a demo unit, all but `region` (a code here); the same on every call."""
    rng = random.Random(f"{SEED}:{spec.key}")
    kind = CODE_KIND[spec.unit_type]
    code = None
    if kind:
        code = credit_code.generate(rng, division=spec.region[:6], authority=kind[0], kind=kind[1])
    low, high = PARTY_MEMBERS[spec.party_org_type]
    party_members = rng.randint(low, high)
    least, most, per_member = EMPLOYEES[spec.unit_type]
    employees = max(rng.randint(least, most), round(party_members * per_member), 1)
    if spec.key_target and spec.unit_type in (PRIVATE, FOREIGN, SOE):
        employees = max(employees, rng.randint(300, 2500))
    has_org = spec.party_org_type != NONE
    enterprise = spec.unit_type in (SOE, PRIVATE, FOREIGN, SOCIAL, T.OTHER)
    wants_instructor = spec.instructor
    if wants_instructor is None:
        wants_instructor = enterprise and (spec.key_target or spec.party_org_type == JOINT)
    instructor = _person(rng) if wants_instructor else ""
    contact = _person(rng)
    mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    mailbox = rng.choice(MAILBOXES)
    return {
        "name": spec.name,
        "credit_code": code,
        "unit_type": spec.unit_type,
        "address": _address(rng, spec.region),
        "industry": spec.industry,
        "employee_count": employees,
        "party_org_type": spec.party_org_type,
        "party_member_count": party_members,
        "org_covered": has_org,
        "work_covered": has_org or bool(instructor),
        "instructor": instructor,
        "key_target": spec.key_target,
        "contact_name": contact,
        "contact_phone": mobile,
        "contact_email": f"{mailbox}@{spec.key}.example.com",
        "status": spec.status,
    }


def representative_of(spec: DemoUnit) -> str:
    """Who speaks for the unit in its alliances (its party secretary or a deputy); invented."""
    return _person(random.Random(f"{SEED}:{spec.key}:representative"))


UNITS_BY_KEY = {spec.key: spec for spec in UNITS}


def units_by_key() -> dict[str, MemberUnit]:
    """The demo units in the database, by their key; missing ones are left out."""
    fields = {spec.key: unit_fields(spec) for spec in UNITS}
    codes = {f["credit_code"]: key for key, f in fields.items() if f["credit_code"]}
    names = {f["name"]: key for key, f in fields.items()}
    found: dict[str, MemberUnit] = {}
    for unit in MemberUnit.objects.filter(credit_code__in=codes):
        found[codes[unit.credit_code]] = unit
    missing = {f["name"] for key, f in fields.items() if key not in found}
    if missing:
        for unit in MemberUnit.objects.filter(name__in=missing).order_by("id"):
            found.setdefault(names[unit.name], unit)
    return found


@transaction.atomic
def load_units() -> tuple[int, int]:
    """Create or correct the demo units; returns (created, corrected). Running it twice changes nothing."""
    regions = {r.code: r for r in Region.objects.filter(code__in={u.region for u in UNITS})}
    existing = units_by_key()
    new, corrected = [], 0
    for spec in UNITS:
        values = unit_fields(spec) | {"region": regions[spec.region]}
        unit = existing.get(spec.key)
        if unit is None:
            new.append(MemberUnit(**values))
            continue
        changed = [
            field
            for field, value in values.items()
            if (unit.region_id != value.pk if field == "region" else getattr(unit, field) != value)
        ]
        if changed:
            for field in changed:
                setattr(unit, field, values[field])
            unit.save()
            corrected += 1
    if new:
        bulk_create_with_history(new, MemberUnit)
    return len(new), corrected

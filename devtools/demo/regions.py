"""The region tree of the seed articles: GB/T 2260 codes to district level, statistical codes for
streets and towns, local codes for communities and grids."""

from django.db import transaction

from portal.regions.choices import RegionLevel as L
from portal.regions.models import Region

# (code, name, level, parent code)
REGIONS: list[tuple[str, str, str, str | None]] = [
    ("310000", "上海市", L.PROVINCE, None),
    ("310101", "黄浦区", L.DISTRICT, "310000"),
    ("310104", "徐汇区", L.DISTRICT, "310000"),
    ("310105", "长宁区", L.DISTRICT, "310000"),
    ("310106", "静安区", L.DISTRICT, "310000"),
    ("310107", "普陀区", L.DISTRICT, "310000"),
    ("310109", "虹口区", L.DISTRICT, "310000"),
    ("310110", "杨浦区", L.DISTRICT, "310000"),
    ("310112", "闵行区", L.DISTRICT, "310000"),
    ("310113", "宝山区", L.DISTRICT, "310000"),
    ("310114", "嘉定区", L.DISTRICT, "310000"),
    ("310115", "浦东新区", L.DISTRICT, "310000"),
    ("310116", "金山区", L.DISTRICT, "310000"),
    ("310117", "松江区", L.DISTRICT, "310000"),
    ("310118", "青浦区", L.DISTRICT, "310000"),
    ("310120", "奉贤区", L.DISTRICT, "310000"),
    ("310151", "崇明区", L.DISTRICT, "310000"),
    # Minhang: the Hongqiao hub (seed 000) and Xinhong street (seed 004).
    ("310112001", "江川路街道", L.SUBDISTRICT, "310112"),
    ("310112006", "古美街道", L.SUBDISTRICT, "310112"),
    ("310112008", "新虹街道", L.SUBDISTRICT, "310112"),
    ("310112101", "莘庄镇", L.SUBDISTRICT, "310112"),
    ("310112102", "七宝镇", L.SUBDISTRICT, "310112"),
    ("310112103", "颛桥镇", L.SUBDISTRICT, "310112"),
    ("310112106", "华漕镇", L.SUBDISTRICT, "310112"),
    ("310112107", "虹桥镇", L.SUBDISTRICT, "310112"),
    ("310112108", "梅陇镇", L.SUBDISTRICT, "310112"),
    ("310112112", "马桥镇", L.SUBDISTRICT, "310112"),
    ("310112114", "浦江镇", L.SUBDISTRICT, "310112"),
    # Xinhong's four disposal grids (处置网格) and some of its communities (seed 004).
    ("310112008-G01", "爱博片区", L.GRID, "310112008"),
    ("310112008-G02", "华美片区", L.GRID, "310112008"),
    ("310112008-G03", "枢纽片区", L.GRID, "310112008"),
    ("310112008-G04", "航华片区", L.GRID, "310112008"),
    ("310112008-C01", "爱博第一居民区", L.COMMUNITY, "310112008"),
    ("310112008-C02", "华美路居民区", L.COMMUNITY, "310112008"),
    ("310112008-C03", "航华第一居民区", L.COMMUNITY, "310112008"),
    ("310112008-C04", "枢纽工作站", L.COMMUNITY, "310112008"),
    # Xuhui: Caohejing (seed 002).
    ("310104003", "天平路街道", L.SUBDISTRICT, "310104"),
    ("310104011", "田林街道", L.SUBDISTRICT, "310104"),
    ("310104012", "虹梅路街道", L.SUBDISTRICT, "310104"),
    ("310104013", "康健新村街道", L.SUBDISTRICT, "310104"),
    ("310104014", "徐家汇街道", L.SUBDISTRICT, "310104"),
    ("310104016", "龙华街道", L.SUBDISTRICT, "310104"),
    ("310104017", "漕河泾街道", L.SUBDISTRICT, "310104"),
    ("310104103", "华泾镇", L.SUBDISTRICT, "310104"),
    # Pudong (seed 003).
    ("310115004", "潍坊新村街道", L.SUBDISTRICT, "310115"),
    ("310115005", "陆家嘴街道", L.SUBDISTRICT, "310115"),
    ("310115008", "塘桥街道", L.SUBDISTRICT, "310115"),
    ("310115016", "花木街道", L.SUBDISTRICT, "310115"),
    ("310115103", "川沙新镇", L.SUBDISTRICT, "310115"),
    ("310115120", "金桥镇", L.SUBDISTRICT, "310115"),
    ("310115125", "张江镇", L.SUBDISTRICT, "310115"),
    ("310115130", "三林镇", L.SUBDISTRICT, "310115"),
    # The riverside and street-governance examples (seed 001).
    ("310105009", "虹桥街道", L.SUBDISTRICT, "310105"),
    ("310109012", "嘉兴路街道", L.SUBDISTRICT, "310109"),
    ("310116107", "廊下镇", L.SUBDISTRICT, "310116"),
    # The riverside cross-district alliance (seed 001): streets along the Huangpu in five districts.
    ("310101002", "南京东路街道", L.SUBDISTRICT, "310101"),
    ("310101013", "外滩街道", L.SUBDISTRICT, "310101"),
    ("310101015", "半淞园路街道", L.SUBDISTRICT, "310101"),
    ("310101017", "小东门街道", L.SUBDISTRICT, "310101"),
    ("310104007", "斜土路街道", L.SUBDISTRICT, "310104"),
    ("310104010", "长桥街道", L.SUBDISTRICT, "310104"),
    ("310109016", "北外滩街道", L.SUBDISTRICT, "310109"),
    ("310110001", "定海路街道", L.SUBDISTRICT, "310110"),
    ("310110006", "平凉路街道", L.SUBDISTRICT, "310110"),
    ("310110008", "江浦路街道", L.SUBDISTRICT, "310110"),
    ("310110018", "大桥街道", L.SUBDISTRICT, "310110"),
    ("310115007", "周家渡街道", L.SUBDISTRICT, "310115"),
    ("310115009", "上钢新村街道", L.SUBDISTRICT, "310115"),
    ("310115010", "南码头路街道", L.SUBDISTRICT, "310115"),
    ("310115013", "洋泾街道", L.SUBDISTRICT, "310115"),
    # The cross-province alliances (seed 000: seven cities in Jiangsu, Zhejiang and Anhui; seed 001;
    # seed 004: the Shanghai–Kunshan–Jiaxing forerunner of the Yangtze Delta AI alliance).
    ("320000", "江苏省", L.PROVINCE, None),
    ("320100", "南京市", L.CITY, "320000"),
    ("320500", "苏州市", L.CITY, "320000"),
    ("320509", "吴江区", L.DISTRICT, "320500"),
    ("320583", "昆山市", L.DISTRICT, "320500"),
    ("320600", "南通市", L.CITY, "320000"),
    ("320900", "盐城市", L.CITY, "320000"),
    ("330000", "浙江省", L.PROVINCE, None),
    ("330100", "杭州市", L.CITY, "330000"),
    ("330200", "宁波市", L.CITY, "330000"),
    ("330400", "嘉兴市", L.CITY, "330000"),
    ("330800", "衢州市", L.CITY, "330000"),
    ("340000", "安徽省", L.PROVINCE, None),
    ("340100", "合肥市", L.CITY, "340000"),
    ("340200", "芜湖市", L.CITY, "340000"),
]


@transaction.atomic
def load_regions() -> tuple[int, int]:
    """Create or correct the seed regions; returns (created, updated). Running it twice changes nothing."""
    existing = {r.code: r for r in Region.objects.select_related("parent")}
    created = updated = 0
    for code, name, level, parent_code in REGIONS:
        parent = existing.get(parent_code) if parent_code else None
        region = existing.get(code)
        if region is None:
            existing[code] = Region.objects.create(code=code, name=name, level=level, parent=parent)
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            name,
            level,
            parent.pk if parent else None,
        ):
            region.name, region.level, region.parent = name, level, parent
            region.save()
            updated += 1
    return created, updated

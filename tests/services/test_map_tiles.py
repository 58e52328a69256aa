"""Map tiles for an intranet (issue 17.6): any Leaflet tile server by setting, Tianditu with its key,
subdomains and label layer, a local tile server, or none; the CSP admits exactly their origins."""

import pytest

from portal.settings.base import tile_origin, tile_origins

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"
)
LABELS = TIANDITU.replace("vec_w", "cva_w").replace("LAYER=vec", "LAYER=cva")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example/{z}/{x}/{y}.png", "https://*.tile.example"),
        (TIANDITU, "https://*.tianditu.gov.cn"),
        ("http://10.20.1.5:8080/tiles/{z}/{x}/{y}.png", "http://10.20.1.5:8080"),
        ("", None),
    ],
)
def test_the_csp_origin_of_a_tile_server(url, origin):
    assert tile_origin(url) == origin


def test_tianditus_background_and_labels_are_one_origin_and_no_tiles_add_none():
    assert tile_origins(TIANDITU, LABELS) == ["https://*.tianditu.gov.cn"]
    assert tile_origins("", "") == []


@pytest.mark.django_db
def test_the_station_map_gets_the_label_layer_and_subdomains(client, settings):
    settings.MAP_TILE_URL = TIANDITU
    settings.MAP_LABEL_URL = LABELS
    settings.MAP_TILE_SUBDOMAINS = "01234567"
    settings.MAP_TILE_ATTRIBUTION = "© 天地图"
    map_settings = client.get("/services/stations/").context["map_settings"]
    assert map_settings == {
        "tile_url": TIANDITU,
        "label_url": LABELS,
        "subdomains": "01234567",
        "attribution": "© 天地图",
    }

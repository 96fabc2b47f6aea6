"""GET /api/export/*: downloads in each format, and a 404 for an unknown document."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import seeded_client


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path) as test_client:
        yield test_client


def test_csv_has_the_seed_terms(client: TestClient) -> None:
    response = client.get("/api/export/glossary.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="glossary.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"zh": "渝创渝新", "en": "Chongqing Create Chongqing New"}.items() <= next(
        r for r in rows if r["zh"] == "渝创渝新"
    ).items()


def test_tsv_and_tbx(client: TestClient) -> None:
    tsv = client.get("/api/export/glossary.tsv")
    assert tsv.status_code == 200 and "稳岗\tstabilize jobs" in tsv.text
    tbx = client.get("/api/export/glossary.tbx")
    assert tbx.status_code == 200
    assert "Chongqing Create Chongqing New" in "".join(ET.fromstring(tbx.content).itertext())


def test_tmx_of_one_document(client: TestClient) -> None:
    response = client.get("/api/export/alignments/seed-002-en.tmx")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert len(root.findall("./body/tu")) == 2
    assert 'filename="seed-002-en.tmx"' in response.headers["content-disposition"]


def test_tmx_of_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/api/export/alignments/稳岗.tmx")
    assert response.status_code == 404
    assert "no aligned pairs for document '稳岗'" in response.json()["detail"]


def test_xlsx_tbx_v3_and_the_omegat_file_name(client: TestClient) -> None:
    xlsx = client.get("/api/export/glossary.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert 'filename="glossary.xlsx"' in xlsx.headers["content-disposition"]
    v3 = ET.fromstring(client.get("/api/export/glossary-v3.tbx").content)
    assert v3.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert ET.fromstring(client.get("/api/export/glossary.tbx").content).tag == "martif"
    tsv = client.get("/api/export/glossary.tsv")
    assert 'filename="glossary.txt"' in tsv.headers["content-disposition"]  # OmegaT reads .txt


def test_status_filter_and_language_tag_over_http(client: TestClient) -> None:
    everything = client.get("/api/export/glossary.csv").content
    preferred = client.get("/api/export/glossary.csv", params={"status": "preferred"})
    assert preferred.status_code == 200
    statuses = {r["status"] for r in csv.DictReader(io.StringIO(preferred.text.lstrip("\ufeff")))}
    assert statuses == {"preferred"} and len(preferred.content) < len(everything)
    tbx = client.get("/api/export/glossary.tbx", params={"zh_lang": "zh-CN"})
    assert 'xml:lang="zh-CN"' in tbx.text
    bad = client.get("/api/export/glossary.tbx", params={"status": "approved"})
    assert bad.status_code == 422 and "use a comma-separated list of" in bad.json()["detail"]
    bad_tag = client.get("/api/export/glossary.tbx", params={"zh_lang": "en"})
    assert bad_tag.status_code == 422 and "BCP 47" in bad_tag.json()["detail"]

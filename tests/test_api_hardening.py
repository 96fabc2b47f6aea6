"""Hardening of the HTTP service: headers, the health check, and the inputs that gave a 500
or a silently wrong answer (U+D7FF, NUL, whitespace-only queries, 405 without POST)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.service.headers import PAGE_POLICY
from tests.api_helpers import AUTH, seeded_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with seeded_client(tmp_path_factory.mktemp("hardening")) as opened:
        yield opened


@pytest.mark.parametrize("query", ["\ud7ff", "稳\ud7ff", "a\ud7ff", "\U0010ffff"])
def test_query_ending_at_the_edge_of_a_unicode_range_is_answered(
    client: TestClient, query: str
) -> None:
    answer = client.get("/api/terms", params={"q": query})
    assert answer.status_code == 200 and answer.json()["items"] == []


@pytest.mark.parametrize("path", ["/api/terms", "/api/concordance"])
@pytest.mark.parametrize("query", ["\x00", "稳岗\x00", " \t ", "\u3000"])
def test_empty_or_control_character_queries_are_a_422_not_every_row(
    client: TestClient, path: str, query: str
) -> None:
    answer = client.get(path, params={"q": query})
    assert answer.status_code == 422
    assert "empty (only white space) or holds a control character" in answer.json()["detail"]


def test_nul_in_a_concordance_query_never_matches_every_pair(tmp_path: Path) -> None:
    from glossary.errors import InvalidField
    from glossary.store.concordance import concordance
    from glossary.store.engine import open_store
    from tests.api_helpers import seed_store

    seed_store(tmp_path / "g.sqlite3")
    store = open_store(path=tmp_path / "g.sqlite3")
    try:
        with pytest.raises(InvalidField, match="control character"):
            concordance(store, "\x00")
    finally:
        store.close()


def test_schema_patterns_refuse_what_the_server_refuses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/terms"]["get"]["parameters"]}
    pattern = params["q"]["schema"]["pattern"]
    import re

    assert re.search(pattern, "稳岗") and not re.search(pattern, "   ")
    assert not re.search(pattern, "a\x00")
    review = schema["components"]["schemas"]["EquivalentReview"]["properties"]["en"]
    assert review["pattern"] == pattern


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/terms", {"GET", "POST"}),
        ("DELETE", "/api/terms/1", {"GET", "PATCH"}),
    ],
)
def test_405_names_every_method_of_the_path(
    client: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    answer = client.request(method, path, headers=AUTH)
    assert answer.status_code == 405
    assert allowed <= {m.strip() for m in answer.headers["allow"].split(",")}


@pytest.mark.parametrize(
    "request_args",
    [
        ("GET", "/", {}),
        ("GET", "/api/terms?q=稳岗", {}),
        ("POST", "/api/terms", {"json": {"zh": "x"}}),  # a 401 from the middleware
        (
            "POST",
            "/api/terms",
            {"headers": {**AUTH, "Content-Length": "99999999"}, "content": b"{}"},
        ),
        ("GET", "/api/terms/999999", {}),
    ],
)
def test_every_response_has_the_security_headers(
    client: TestClient, request_args: tuple[str, str, dict[str, object]]
) -> None:
    method, path, kwargs = request_args
    answer = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert answer.headers["content-security-policy"] == PAGE_POLICY
    assert "'unsafe-inline'" not in PAGE_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_health_check_does_not_show_the_database_path(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and "database" not in body
    assert "sqlite3" not in str(body)


JSON = {**AUTH, "content-type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "body", "where", "fields"),
    [
        ("POST", "/api/jobs", b'{"pairs":', "line 1 column 10", "pairs (required)"),
        ("POST", "/api/terms", b'{"zh": "x",\n "note": }', "line 2 column 10", "zh (required)"),
        ("PATCH", "/api/terms/1", b"not json", "line 1 column 1", "note"),
    ],
)
def test_a_body_that_is_not_json_says_where_and_what_to_send(
    client: TestClient, method: str, path: str, body: bytes, where: str, fields: str
) -> None:
    before = client.get("/api/terms/1").json()
    answer = client.request(method, path, headers=JSON, content=body)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail.startswith("the body is not valid JSON: Expecting value")
    assert where in detail and fields in detail
    assert "Content-Type: application/json" in detail
    assert client.get("/api/terms/1").json() == before  # nothing changed


@pytest.mark.parametrize(
    ("headers", "body", "said"),
    [
        (AUTH, b'{"note": "x"}', "sent with no Content-Type, not as JSON"),
        ({**AUTH, "content-type": "text/plain"}, b'{"note": "x"}', "sent with text/plain"),
        (JSON, b"", "the request has no body"),
        (JSON, b'[{"note": "x"}]', "the body is a JSON array, not a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_says_to_send_one(
    client: TestClient, headers: dict[str, str], body: bytes, said: str
) -> None:
    answer = client.patch("/api/terms/1", headers=headers, content=body)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert said in detail
    assert "send a JSON object with definition, note" in detail
    assert "Content-Type: application/json" in detail


def test_a_body_that_is_not_utf8_says_so(client: TestClient) -> None:
    answer = client.post("/api/jobs", headers=JSON, content=b'{"pairs": "\x80"}')
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "not UTF-8 (byte 11" in detail and "pairs (required)" in detail


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["notadate", "2023-13", "23-03-01", "2023/03/01", "2023-03-1"])
def test_a_concordance_date_not_in_the_stored_form_is_a_422_naming_the_form(
    client: TestClient, field: str, value: str
) -> None:
    answer = client.get("/api/concordance", params={"q": "稳岗", field: value})
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        f"query.{field}: is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
        "e.g. 2023, 2023-03 or 2023-03-01"
    )


@pytest.mark.parametrize(
    ("where", "total"),
    [
        ({"date_from": "2023"}, 1),
        ({"date_from": "2023-03"}, 1),
        ({"date_from": "2023-03-03"}, 0),  # the English article is of 03-02
        ({"date_to": "2023-03-01"}, 1),
        ({"date_to": "2022-12"}, 0),
        ({"date_from": "", "date_to": ""}, 1),
    ],
)
def test_concordance_dates_in_the_stored_form_filter(
    client: TestClient, where: dict[str, str], total: int
) -> None:
    answer = client.get("/api/concordance", params={"q": "稳岗", **where})
    assert answer.status_code == 200 and answer.json()["total"] == total


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-0.1", "1.5", "high"])
def test_a_min_score_that_is_not_a_number_from_0_to_1_says_so(
    client: TestClient, value: str
) -> None:
    answer = client.get("/api/concordance", params={"q": "稳岗", "min_score": value})
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        f"query.min_score: must be a number from 0 to 1 (got {value!r})"
    )


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/terms?q=%FF", "query.q"),
        ("/api/terms?q=%E7%A8", "query.q"),  # 稳 cut short
        ("/api/concordance?q=%FF", "query.q"),
        ("/api/concordance?q=jobs&source=%C3", "query.source"),
        ("/api/documents/%FF/pairs", "path"),
    ],
)
def test_text_that_is_not_utf8_once_percent_decoded_is_refused(
    client: TestClient, url: str, name: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        f"{name}: is not valid UTF-8 once percent-decoded; percent-encode the text as "
        "UTF-8 (稳岗 is %E7%A8%B3%E5%B2%97)"
    )


def test_utf8_percent_encoded_text_is_searched_as_it_is(client: TestClient) -> None:
    answer = client.get("/api/terms?q=%E7%A8%B3%E5%B2%97")
    assert answer.status_code == 200 and answer.json()["query"] == "稳岗"


@pytest.mark.parametrize(
    "path", ["/api/export/glossary.csv", "/healthz", "/", "/api/terms?q=稳岗", "/docs"]
)
def test_head_is_answered_with_the_get_headers_and_no_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/api/export/glossary.csv", "/healthz", "/api/align"])
def test_every_method_that_allow_names_is_taken(client: TestClient, path: str) -> None:
    refused = client.request("PUT", path, headers=AUTH)
    assert refused.status_code == 405
    for method in refused.headers["allow"].split(", "):
        assert client.request(method, path, headers=AUTH).status_code != 405, method
    assert ("HEAD" in refused.headers["allow"]) == (path != "/api/align")

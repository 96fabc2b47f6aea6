"""Property run over the OpenAPI schema: no input gives a 500, every response matches it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from api.service.app import create_app
from api.service.deps import get_encoder
from api.service.settings import get_settings
from tests.api_helpers import AUTH, HashEncoder, seed_store, settings_for

CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    unsupported_method,  # an undocumented method gets a 405
    allow_header_conformance,  # whose Allow names every documented method (POST, PATCH)
]
SCHEMA_SAYS_ALL = [*CHECKS, positive_data_acceptance]
"""Where the schema describes every rule, schema-valid input must not be refused (a
whitespace-only ``q`` was). Alignments and jobs also check the texts' languages and
sentence counts, which no schema can say."""
SEMANTIC = ("/api/align", "/api/jobs")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    db = tmp_path_factory.mktemp("schema") / "g.sqlite3"
    seed_store(db)
    application = create_app()
    settings_value = settings_for(db, max_upload_bytes=20_000)
    encoder = HashEncoder()
    application.dependency_overrides[get_settings] = lambda: settings_value
    application.dependency_overrides[get_encoder] = lambda: encoder
    with TestClient(application):  # runs the lifespan: the store and job runner are up
        yield application


def test_api_conforms_to_its_schema(app: FastAPI) -> None:
    """Each operation with a bounded number of generated cases, writes authorised with a
    real key (schemathesis's pytest plugin does not load under this pytest, so the
    operations are driven directly)."""
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: schemathesis.Case) -> None:
            checks = CHECKS if case.operation.path.startswith(SEMANTIC) else SCHEMA_SAYS_ALL
            case.call_and_validate(headers=AUTH, checks=checks)

        check()


def test_schema_documents_every_endpoint(app: FastAPI) -> None:
    paths = set(TestClient(app).get("/openapi.json").json()["paths"])
    assert paths >= {
        "/api/terms",
        "/api/terms/{term_id}",
        "/api/concordance",
        "/api/align",
        "/api/jobs",
        "/api/jobs/{job_id}",
        "/api/export/glossary.csv",
        "/api/export/glossary.tsv",
        "/api/export/glossary.tbx",
        "/api/export/alignments/{doc}.tmx",
        "/healthz",
        "/api/documents/{doc}/pairs",
    }

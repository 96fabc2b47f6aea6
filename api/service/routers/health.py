"""``/healthz``: is the database reachable, how big is the glossary, is the model loaded.

A store that is gone, locked or damaged answers 503 with the reason, as every other
route does. The database's path or URL is not shown: it tells a stranger where the
server keeps its files.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.service.deps import SettingsDep, StoreDep, encoder_loaded
from api.service.schemas import Health
from glossary.store.queries import count_terms

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    counts = count_terms(store)
    return Health(status="ok", model=settings.model, model_loaded=encoder_loaded(), **counts)

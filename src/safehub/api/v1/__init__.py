"""/api/v1: the same services as the pages, as JSON, documented by OpenAPI."""

from fastapi import APIRouter

from safehub.api.v1 import cases, imports, people, referrals, stats

router = APIRouter(prefix="/api/v1")
for module in (people, cases, referrals, imports, stats):
    router.include_router(module.router)

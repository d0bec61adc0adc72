"""/api/v1: the same services as the pages, as JSON, documented by OpenAPI.

Every module of this package with a ``router`` is included, so a capability adds endpoints by
adding a module.
"""

import importlib
import pkgutil

from fastapi import APIRouter

from safehub.api.v1.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if hasattr(_module, "router"):
        router.include_router(_module.router)

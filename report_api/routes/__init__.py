"""Routers, one per resource; ``api_router`` carries everything under /api."""

from fastapi import APIRouter

from report_api.routes import alerts, analytics, auth, dashboard, posts, reports

api_router = APIRouter(prefix="/api")
for module in (auth, dashboard, posts, analytics, reports, alerts):
    api_router.include_router(module.router)

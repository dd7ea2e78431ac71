"""Routers, one per resource; ``api_router`` carries everything under /api."""

from fastapi import APIRouter

from report_api.routes import (
    accounts,
    alerts,
    analytics,
    auth,
    competitors,
    connections,
    dashboard,
    posts,
    reconnect,
    reports,
    workspaces,
)

api_router = APIRouter(prefix="/api")
for module in (auth, dashboard, posts, analytics, reports, alerts, workspaces, accounts,
               connections, reconnect, competitors):
    api_router.include_router(module.router)

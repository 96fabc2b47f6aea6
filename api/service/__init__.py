"""The HTTP service: the FastAPI app, its routers, schemas, settings and the translator page.

Entry point: :func:`api.service.app.create_app`.
"""

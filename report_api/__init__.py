"""The report API: FastAPI on the marts (reads) and app.* (report requests, alert acks)."""

# the OpenAPI version; its major part also keys the response cache (shapes differ across it)
__version__ = "2.0.0"

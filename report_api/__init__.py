"""The report API: FastAPI on the marts (reads) and app.* (report requests, alert acks)."""

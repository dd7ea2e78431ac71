"""Client reports: data assembled in SQL, rendered as JSON, CSV and PDF (with charts)."""

"""Reading sources: fetching, polling, summarizing at ingest, and storing what they hold."""

"""Reading files into Documents (readers), cleaning with an offset map (clean), metadata, and the ingest service."""

"""Jobs, documents and batches: submitted, queued, built by the workers, packed, kept and purged."""

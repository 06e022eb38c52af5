"""The web edge: the JSON API, the Vietnamese pages, their shared use cases and the OpenAPI description."""

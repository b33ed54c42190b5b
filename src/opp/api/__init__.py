"""The read-only HTTP API (`/api/v1/`): figures from the latest release through the same
disclosure layer as the dashboards, as JSON and CSV."""

"""The deterministic demo region and its accounts."""

"""Indicators computed from answers, published only through disclosure control."""

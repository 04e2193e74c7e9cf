"""Benchmarks for srs-crss: ratios measured in one run against a baseline."""

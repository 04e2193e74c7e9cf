"""srs-crss test suite."""

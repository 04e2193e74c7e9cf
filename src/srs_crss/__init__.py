"""srs-crss: exact SM-2 spaced repetition for peer recovery certification exams."""

__version__ = "0.1.0"

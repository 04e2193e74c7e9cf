"""`python -m srs_crss` runs the command-line interface."""

from srs_crss.cli import main

main()

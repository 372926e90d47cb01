"""`python -m spcncl_score` runs the command line."""

from spcncl_score.cli import main

main()

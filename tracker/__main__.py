"""`python -m tracker` runs the `redline` command line."""

from tracker.cli import main

main()

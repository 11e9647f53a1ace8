"""`python -m scheduler` is the `fristvakt` command."""

from scheduler.cli import main

main()

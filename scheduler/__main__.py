"""`python -m scheduler` is the `fristvakt` command."""

from scheduler.cli import main

if __name__ == "__main__":  # not when a worker process imports it (multiprocessing)
    main()

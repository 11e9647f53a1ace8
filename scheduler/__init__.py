"""Scheduler: reminder planning, the ledger, the runner and the command line."""

"""Owners' answers: done, more time, a status with a note (tokens, store, actions)."""

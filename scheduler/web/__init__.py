"""Owners' pages: the confirm page of an answer link and "Mine oppgaver" (starlette)."""

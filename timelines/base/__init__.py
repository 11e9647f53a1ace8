"""What every layer shares: the language rule and catalogs, problems and exceptions, the
working-day calendar. Imports nothing else of the project."""

"""Reference data: states and their names, instruments, concept schemes, UPR sessions and
review dates. Reads the project's tables (``data/reference/``); imports only the foundation
(:mod:`hrkg.errors`, :mod:`hrkg.resources`, :mod:`hrkg.terms`)."""

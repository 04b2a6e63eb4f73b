"""Demo content for `manage.py load_demo` (used by `make run` on an empty database)."""

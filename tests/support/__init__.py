"""Helpers shared by test modules, so that no test module imports another
(tests/unit/test_test_imports.py)."""

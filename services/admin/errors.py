"""The one error the admin commands raise for input a person must fix."""

from __future__ import annotations


class AdminInputError(Exception):
    """Bad input (a date, a file, an id): the command line prints it and exits 2."""

"""Text is cleaned where it enters the store, whatever path it took to get there.

PostgreSQL refuses a NUL in a text value outright ("invalid byte sequence"), and other
control characters (and lone UTF-16 surrogates, which a JSON update may carry) either break a
statement or turn into invisible junk in a worker's chat and in exports. One hook on every
session of :class:`storage.db.Database` (``StoreSession``) cleans each string attribute, and
each string inside a JSON attribute, of every object about to be written. Tab, line feed and
carriage return stay: residents write in lines.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, UOWTransaction

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without C0/C1 control characters (except tab and line breaks) or surrogates."""
    return _UNSTORABLE.sub("", value)


def clean_value(value: Any) -> Any:
    """Strings, and strings nested in JSON-shaped lists and dicts (keys too), cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    return value


def clean_before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """A ``before_flush`` listener: clean the column values of new and changed objects."""
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        columns = state.mapper.column_attrs
        # Only values already loaded: reading an unloaded one would query mid-flush.
        for key, value in list(state.dict.items()):
            if key not in columns:
                continue
            cleaned = clean_value(value)
            if cleaned != value:
                setattr(obj, key, cleaned)

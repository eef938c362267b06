"""Turn one config file into checked data, or a `ConfigError` naming file, place and problem.

Syntax errors carry a line number; shape errors carry the path inside the document
(`case_types[3].sla.accept`), because that is what an admin can find in an editor.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from config.files import CUSTOM_ERROR_PREFIX

DocumentT = TypeVar("DocumentT", bound=BaseModel)

# Pydantic's wording speaks of Python; an admin editing YAML needs the YAML words.
_PLAIN_MESSAGES = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key (check its spelling)",
    "model_type": "should be a mapping of keys to values",
    "model_attributes_type": "should be a mapping of keys to values",
    "dict_type": "should be a mapping of keys to values",
}


class ConfigError(Exception):
    """A config file is missing or wrong; the message says which file, where, and what."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")


# libyaml's parser when PyYAML was built with it (the wheels are): the same documents, about
# ten times faster than the pure-Python one; every start-up and test set-up reads ~30 files.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, on libyaml where it is there. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_SafeLoader)


def read_yaml_file(path: Path) -> Any:
    """`load_yaml` of a file, parsed once per version of it (path, mtime, size): start-up and
    every test's set-up read the same catalogs and training files. The result is shared:
    read it, never change it."""
    stat = path.stat()
    return _parsed_file(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _parsed_file(path: str, mtime_ns: int, size: int) -> Any:
    del mtime_ns, size  # the cache key: a changed file is parsed again
    return load_yaml(Path(path).read_text(encoding="utf-8"))


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML keeps the last of two equal keys; a second `mon:` would silently drop hours."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if isinstance(key, str | int | float | bool) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_document(config_dir: Path, name: str) -> Any:
    """The parsed content of `name` (YAML, or JSON for .geojson)."""
    try:
        text = (config_dir / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(name, "", f"file not found in {config_dir}") from None
    except UnicodeDecodeError:
        raise ConfigError(name, "", "file is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(name, "", f"cannot read the file: {exc.strerror}") from None
    data = _parse_json(name, text) if name.endswith(".geojson") else _parse_yaml(name, text)
    if data is None:
        raise ConfigError(name, "", "file is empty")
    return data


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ConfigError(name, where, f"JSON syntax error: {exc.msg}") from None


def _parse_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(name, _line(exc.problem_mark), _yaml_problem(exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(name, "", f"YAML syntax error: {exc}") from None


def _line(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """The problem, plus where the construct it broke began: an unclosed `{` is only noticed
    lines later, so the opening line is the one worth looking at."""
    if isinstance(exc, yaml.constructor.ConstructorError) and exc.problem:
        return exc.problem  # our duplicate-key check: valid syntax, bad content
    problem = f"YAML syntax error: {exc.problem}"
    if exc.context and exc.context_mark and exc.context_mark != exc.problem_mark:
        problem += f" ({exc.context} started at {_line(exc.context_mark)})"
    return problem


def validate_document(name: str, data: Any, model: type[DocumentT]) -> DocumentT:
    """`data` checked against the file's model; the first problem becomes the error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        problem = describe_error(errors[0])
        if len(errors) > 1:
            more = len(errors) - 1
            problem += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
        raise ConfigError(name, format_location(errors[0]["loc"]), problem) from None


def format_location(loc: tuple[int | str, ...]) -> str:
    """('case_types', 3, 'sla', 'accept') -> 'case_types[3].sla.accept'."""
    where = ""
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        elif part != "[key]":
            where += f".{part}" if where else part
    return where


def describe_error(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind]
    message = error["msg"]
    value = error.get("input")
    if not kind.startswith(CUSTOM_ERROR_PREFIX) and isinstance(value, str | int | float | bool):
        message += f", got {value!r}"
    return message

"""The admin's side of GridDesk: plain functions behind the `griddesk` command line.

Each module here takes a session, a config or a path and returns plain data, so tests
call them without a shell; `entrypoints.cli_admin` only parses options and draws tables.
"""

"""Kit for the SDKs' stateful local emulators (FastAPI + uvicorn, state in SQLite).

Each SDK builds a FastAPI app of its API on these pieces:

- `serve` / `run_server` / `emulator_fixture`: run the app on 127.0.0.1, in a background
  thread for tests or in the foreground for ``<package>-emulator serve`` (`emulator_cli`
  and `serve_command` build the command from one package function returning a `Launch`;
  `serve_banner`, `database_label`, `parse_fault_option` for ``--fault``);
  `ServedEmulator` is the base of the SDKs' ``with XEmulator() as emu:`` classes.
- `Database`: thread-safe SQLite state; `new_id`, `utcnow`, `isoformat` for records;
  `enable_wal` for a file other connections (or processes) open at the same time.
- `EmulatorError`, `install_error_handlers`, `bearer_token`: the API's error shape and auth
  (405 answers list every method of the path in ``Allow``).
- `document_error_responses`, `document_bearer_auth`, `json_request_body`,
  `document_response`: the OpenAPI document names every error status with its body, the
  bearer authentication, bodies that endpoints read themselves, and success bodies.
- `sdkcore.emulator.testing.openapi_conformance`: a schemathesis schema of an app, for a
  pytest conformance test (needs schemathesis).
- `page_window`, `encode_cursor`, `decode_cursor`: list pagination.
- `background_task`: work an app runs while served (started and cancelled by its lifespan).
- `install_journal`: every request as received, for byte-exact assertions.
- `install_body_limit`: bodies over a limit (`DEFAULT_MAX_BODY_SIZE`, 8 MiB) are refused
  with 413 before they are read whole; `install_journal` installs it, `BodyLimit.allow`
  raises it for upload routes.
- `install_faults`: injected failures (statuses, resets, truncation, stalls, ...), from
  rules or from the ``X-Emulator-Fault`` request header (`fault_headers` makes it).
"""

from ._background import background_task
from ._body_limit import DEFAULT_MAX_BODY_SIZE, BodyLimit, BodyTooLarge, install_body_limit
from ._cli import (
    DbOption,
    HostOption,
    Launch,
    LogLevelOption,
    PortOption,
    ServeOptions,
    database_label,
    emulator_cli,
    parse_fault_option,
    remember_settings,
    remembered_settings,
    serve_banner,
    serve_command,
)
from ._connection import Connection, EmulatorHTTPProtocol, connection_for
from ._errors import (
    EmulatorError,
    ErrorBodyFactory,
    allowed_methods,
    bearer_token,
    install_error_handlers,
)
from ._fault_spec import Fault, FaultKind, FaultRule, parse_fault_header
from ._faults import FAULT_HEADER, FAULT_KEY_HEADER, FaultInjector, fault_headers, install_faults
from ._journal import Journal, RecordedRequest, RequestJournal, install_journal
from ._openapi import (
    STANDARD_ERROR_STATUSES,
    document_bearer_auth,
    document_error_responses,
    document_response,
    inline_definitions,
    json_request_body,
)
from ._pagination import decode_cursor, encode_cursor, page_window
from ._served import ServedEmulator
from ._server import ServerHandle, bind_socket, emulator_fixture, run_server, serve
from ._storage import Database, enable_wal
from ._values import isoformat, new_id, utcnow

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "FAULT_HEADER",
    "FAULT_KEY_HEADER",
    "STANDARD_ERROR_STATUSES",
    "BodyLimit",
    "BodyTooLarge",
    "Connection",
    "Database",
    "DbOption",
    "EmulatorError",
    "EmulatorHTTPProtocol",
    "ErrorBodyFactory",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "FaultRule",
    "HostOption",
    "Journal",
    "Launch",
    "LogLevelOption",
    "PortOption",
    "RecordedRequest",
    "RequestJournal",
    "ServeOptions",
    "ServedEmulator",
    "ServerHandle",
    "allowed_methods",
    "background_task",
    "bearer_token",
    "bind_socket",
    "connection_for",
    "database_label",
    "decode_cursor",
    "document_bearer_auth",
    "document_error_responses",
    "document_response",
    "emulator_cli",
    "emulator_fixture",
    "enable_wal",
    "encode_cursor",
    "fault_headers",
    "inline_definitions",
    "install_body_limit",
    "install_error_handlers",
    "install_faults",
    "install_journal",
    "isoformat",
    "json_request_body",
    "new_id",
    "page_window",
    "parse_fault_header",
    "parse_fault_option",
    "remember_settings",
    "remembered_settings",
    "run_server",
    "serve",
    "serve_banner",
    "serve_command",
    "utcnow",
]

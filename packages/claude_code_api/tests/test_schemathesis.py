"""Property-based tests of the whole OpenAPI schema (schemathesis, every check), in-process.

The app runs on a database made for this module; its key is the schema's bearer auth.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from claude_code_api.service import Admin, ServiceConfig, create_app

# Made at import, as the schema (and its bearer key) is; removed when the process ends, since
# pytest 9 runs no lazy (fixture-built) schemathesis schema and a worker may import this
# module without running any of its tests.
_FOLDER = Path(tempfile.mkdtemp(prefix="claude-schemathesis-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
_DB = str(_FOLDER / "schema.db")
_KEY, _ = Admin(_DB).create_key(project_id="schema", rate_limit=10_000_000)
app = create_app(ServiceConfig(db=_DB, workspace_root=_FOLDER / "tasks"))
# 402 is a documented answer to valid data (a task stopped at its max_cost), like 429.
_CONFIG = SchemathesisConfig.from_str(
    f"""
[auth.openapi.HTTPBearer]
bearer = "{_KEY}"

[auth.openapi.APIKeyHeader]
api_key = "{_KEY}"

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "402", "403", "404", "409", "429", "5xx"]
"""
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_CONFIG)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api(case: schemathesis.Case) -> None:
    case.call_and_validate()

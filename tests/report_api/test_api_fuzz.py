"""Schema-driven fuzzing (schemathesis) over /openapi.json: no input gets a 5xx.

Driven by hand (``as_strategy`` per operation under hypothesis ``@given``), bounded to a few
dozen examples per operation with a fixed seed, so the run takes well under a minute.
"""

from __future__ import annotations

import schemathesis
from api_helpers import settings, token
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error

EXAMPLES = 25


def test_no_input_gets_a_server_error(world):
    from report_api.main import create_app

    app = create_app(settings(), database_url=world.url)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    tried: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for operation in operations:
        count = 0

        @given(case=operation.as_strategy())
        @hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:
            nonlocal count
            count += 1
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        fuzz()
        tried[operation.label] = count
    assert all(n > 0 for n in tried.values()), tried
    # authenticated: the fuzzing reaches the handlers, not only the 401 gate
    assert sum(n for code, n in statuses.items() if code < 300) > 50, statuses
    assert not any(code >= 500 for code in statuses), statuses

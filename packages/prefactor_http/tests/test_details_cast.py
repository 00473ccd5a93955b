"""`as_details`: the success envelope's ``details`` validated from decoded JSON or straight from
the response bytes, with the same result and the same refusals."""

from __future__ import annotations

import json

import pydantic
import pytest

from prefactor_http.resources._base import as_details


class Thing(pydantic.BaseModel):
    id: str
    size: int


CAST = as_details(Thing)


def test_bytes_and_decoded_json_give_the_same_model() -> None:
    body = {"status": "success", "details": {"id": "t1", "size": 3}, "extra": [1]}
    from_json = CAST.validate_json(json.dumps(body).encode())
    assert from_json == CAST(body) == Thing(id="t1", size=3)


@pytest.mark.parametrize(
    "body",
    [
        {"status": "error", "details": {"id": "t1", "size": 3}},
        {"details": {"id": "t1", "size": 3}},
        {"status": "success", "details": {"id": "t1", "size": "big"}},
        {"status": "success"},
        [1, 2],
    ],
)
def test_both_faces_refuse_what_is_not_a_valid_success_envelope(body: object) -> None:
    # pydantic.ValidationError is a ValueError too.
    with pytest.raises(ValueError, match=r"envelope|validation error"):
        CAST(body)
    with pytest.raises(ValueError, match=r"envelope|validation error"):
        CAST.validate_json(json.dumps(body).encode())

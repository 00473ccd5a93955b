"""`require_text`: a non-blank string, or an error naming the argument."""

from __future__ import annotations

import pytest

from sdkcore import require_text


def test_require_text() -> None:
    assert require_text("x", argument="name") == "x"
    with pytest.raises(TypeError, match="name must be a str, got int"):
        require_text(3, argument="name")
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        require_text(" \t", argument="name")

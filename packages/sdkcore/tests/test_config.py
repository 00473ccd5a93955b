"""Bad configuration fails before any request, with a message naming the argument."""

from __future__ import annotations

import httpx
import pytest
from sdkcore_demo import Demo, Item, unused_transport

import sdkcore


def make(**kwargs: object) -> Demo:
    kwargs.setdefault("base_url", "http://127.0.0.1:9")
    kwargs.setdefault("http_client", httpx.Client(transport=unused_transport()))
    return Demo(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"timeout": -1}, ValueError, "timeout must be a positive"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": float("nan")}, ValueError, "timeout"),
        ({"timeout": "10"}, TypeError, "timeout must be a number"),
        ({"timeout": httpx.Timeout(5.0, connect=-1.0)}, ValueError, "timeout"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        ({"max_retries": 1.5}, TypeError, "max_retries must be an int"),
        ({"max_retries": True}, TypeError, "max_retries"),
        ({"base_url": "api.example.com"}, ValueError, "base_url must be an absolute"),
        ({"base_url": "ftp://api.example.com"}, ValueError, "base_url"),
        ({"base_url": "http://"}, ValueError, "base_url"),
        ({"default_headers": {"X-A": "ok\r\nX-Injected: 1"}}, ValueError, "CR, LF"),
        ({"default_headers": {"X-A\n": "v"}}, ValueError, "default_headers name"),
        ({"default_headers": {"X-A": 1}}, TypeError, "must be str"),
        ({"api_key": "sk\nx"}, ValueError, "CR, LF"),
        ({"http_client": httpx.AsyncClient()}, TypeError, "http_client must be an httpx.Client"),
        ({"timeout": float("inf")}, ValueError, "finite"),
        ({"base_url": "https://user:pw@api.example.com"}, ValueError, "credentials"),
        ({"base_url": "https://api.example.com/?x=1"}, ValueError, "query"),
        ({"base_url": "https://api.example.com/#f"}, ValueError, "fragment"),
        ({"base_url": ""}, ValueError, "base_url"),
        ({"base_url": "http://api.example.com"}, ValueError, "base_url.*allow_insecure_http=True"),
        ({"base_url": "http://10.0.0.5:8080"}, ValueError, "not loopback"),
        ({"base_url": "http://[::2]:8080"}, ValueError, "not loopback"),
        ({"base_url": "http://localhost.example.com"}, ValueError, "not loopback"),
        ({"default_headers": {"X Bad": "v"}}, ValueError, "not a valid HTTP header name"),
        ({"default_headers": {"": "v"}}, ValueError, "header name"),
        ({"default_headers": {"X-Token": "tok "}}, ValueError, "whitespace"),
        ({"default_headers": {"X-Name": "환영"}}, ValueError, "latin-1"),
    ],
)
def test_invalid_options_raise_before_any_request(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        make(**kwargs)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:9",
        "http://127.10.20.30",
        "http://localhost:8080",
        "http://LocalHost./api",
        "http://[::1]:8080",
        "https://api.example.com",
    ],
)
def test_loopback_and_https_base_urls_are_accepted(base_url: str) -> None:
    assert make(base_url=base_url).base_url.scheme in ("http", "https")


def test_insecure_http_needs_an_explicit_opt_in() -> None:
    client = make(base_url="http://emulator.internal:8080/", allow_insecure_http=True)
    assert str(client.base_url) == "http://emulator.internal:8080"
    assert sdkcore.validate_base_url("http://10.1.2.3", allow_insecure_http=True).host == "10.1.2.3"
    with pytest.raises(ValueError, match=r"^api_url .*allow_insecure_http"):
        sdkcore.validate_base_url("http://10.1.2.3", argument="api_url")


def test_per_request_options_are_validated_before_sending() -> None:
    client = make()
    with pytest.raises(ValueError, match="timeout"):
        client.items.get("x", timeout=-5)
    with pytest.raises(ValueError, match="extra_headers"):
        client.items.get("x", extra_headers={"X-Bad": "a\rb"})
    with pytest.raises(ValueError, match="max_retries"):
        client.items.get("x", max_retries=-1)
    with pytest.raises(ValueError, match="item_id must be a non-empty"):
        client.items.get("  ")
    with pytest.raises(TypeError, match="item_id must be a str"):
        client.items.get(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"must not be '\.' or '\.\.'"):
        client.items.get("..")
    with pytest.raises(TypeError, match=r"unexpected keyword argument.*timeuot"):
        client.items.get("x", timeuot=1)  # type: ignore[call-arg]


def test_require_setting_names_argument_and_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_KEY", raising=False)
    with pytest.raises(LookupError, match=r"api_key.*DEMO_KEY"):
        sdkcore.require_setting(None, argument="api_key", env_var="DEMO_KEY", error=LookupError)
    monkeypatch.setenv("DEMO_KEY", "from-env")
    assert sdkcore.require_setting(None, argument="api_key", env_var="DEMO_KEY") == "from-env"
    assert sdkcore.require_setting("explicit", argument="api_key", env_var="DEMO_KEY") == "explicit"
    monkeypatch.setenv("DEMO_KEY", "  from-dotenv\n")
    assert sdkcore.require_setting(None, argument="api_key", env_var="DEMO_KEY") == "from-dotenv"
    monkeypatch.setenv("DEMO_KEY", "   ")
    with pytest.raises(ValueError, match="DEMO_KEY"):
        sdkcore.require_setting(None, argument="api_key", env_var="DEMO_KEY")


def test_env_or_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_URL", "http://env")
    assert sdkcore.env_or("http://arg", "DEMO_URL", "http://default") == "http://arg"
    assert sdkcore.env_or(None, "DEMO_URL", "http://default") == "http://env"
    monkeypatch.delenv("DEMO_URL")
    assert sdkcore.env_or(None, "DEMO_URL", "http://default") == "http://default"


def test_base_url_trailing_slash_is_dropped_and_timeout_coerced() -> None:
    client = make(base_url="http://127.0.0.1:9/api/", timeout=3)
    assert str(client.base_url) == "http://127.0.0.1:9/api"
    assert client.timeout == httpx.Timeout(3.0)
    split = make(timeout=httpx.Timeout(30.0, connect=2.0))
    assert split.timeout.connect == 2.0
    assert split.timeout.read == 30.0


def test_with_options_copies_share_the_pool_and_validate() -> None:
    client = Demo(base_url="http://127.0.0.1:9", max_retries=2)
    copy = client.with_options(timeout=5.0, max_retries=0, default_headers={"X-Trace": "1"})
    assert copy._http is client._http
    assert copy.max_retries == 0
    assert client.max_retries == 2
    assert copy.timeout == httpx.Timeout(5.0)
    assert copy._headers["X-Trace"] == "1"
    assert "X-Trace" not in client._headers
    copy.close()
    assert not client.is_closed
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-3)
    policy = sdkcore.RetryPolicy(max_retries=7)
    assert client.with_options(retry_policy=policy).max_retries == 7
    client.close()
    assert client.is_closed


def test_user_http_client_is_not_closed_by_the_sdk() -> None:
    http = httpx.Client(transport=unused_transport())
    with make(http_client=http):
        pass
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"multiplier": 0.5}, "multiplier"),
        ({"jitter": 2.0}, "jitter"),
        ({"initial_delay": -1.0}, "delays"),
        ({"deadline": 0.0}, "deadline"),
        ({"initial_delay": float("nan")}, "finite"),
        ({"max_delay": float("inf")}, "finite"),
    ],
)
def test_retry_policy_validation(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sdkcore.RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_models_map_wire_names_and_keep_unknown_fields() -> None:
    item = Item.model_validate({"itemId": "a", "displayName": "A", "brandNew": [1]})
    assert item.item_id == "a"
    assert item.model_extra == {"brandNew": [1]}
    assert item.to_dict() == {"itemId": "a", "displayName": "A", "brandNew": [1]}
    assert Item(item_id="b").item_id == "b"
    assert '"itemId":"a"' in item.to_json()


def test_not_given_sentinel() -> None:
    assert sdkcore.NOT_GIVEN is sdkcore.NotGiven()
    assert not sdkcore.NOT_GIVEN
    assert repr(sdkcore.NOT_GIVEN) == "NOT_GIVEN"
    assert sdkcore.strip_not_given({"a": 1, "b": None, "c": sdkcore.NOT_GIVEN}) == {"a": 1}


def test_base_url_or_env_prefers_argument_then_non_empty_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACME_BASE_URL", "https://env.example")
    assert sdkcore.base_url_or_env("https://arg.example", "ACME_BASE_URL", "https://d") == (
        "https://arg.example"
    )
    assert sdkcore.base_url_or_env(None, "ACME_BASE_URL", "https://d") == "https://env.example"
    monkeypatch.setenv("ACME_BASE_URL", "")
    assert sdkcore.base_url_or_env(None, "ACME_BASE_URL", "https://d") == "https://d"
    monkeypatch.delenv("ACME_BASE_URL")
    assert sdkcore.base_url_or_env(None, "ACME_BASE_URL", "https://d") == "https://d"

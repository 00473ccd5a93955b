"""Account files through the SDK over real loopback HTTP: byte-exact round trips (up to 50 MiB
with bounded memory), presigned policies the storage endpoint enforces, other accounts'
folders out of reach, traversal refused before sending, and files surviving a restart."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from unitysvc_fixtures import MAIN_KEY

from unitysvc import AsyncClient, Client, NotFoundError, ValidationError
from unitysvc.emulator import UnitysvcEmulator
from unitysvc.files import DOWNLOAD_CHUNK

MiB = 1 << 20


def _write(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for start in range(0, size, MiB):
            chunk = os.urandom(min(MiB, size - start))
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


def _api(emulator: UnitysvcEmulator, key: str = MAIN_KEY) -> httpx.Client:
    return httpx.Client(
        base_url=emulator.base_urls()["base_url"],
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )


@pytest.mark.parametrize("size", [1, MiB])
def test_round_trip_is_byte_exact(client: Client, tmp_path: Path, size: int) -> None:
    source = tmp_path / f"in-{size}.bin"
    digest = _write(source, size)
    key = client.files.upload(source, f"personal/rt/{size}")
    assert key == f"rt/{size}/in-{size}.bin"
    listing = client.files.list(f"personal/rt/{size}")
    assert [(o.key, o.size) for o in listing.objects] == [(key, size)]
    written = client.files.download(f"personal/{key}", tmp_path / "out.bin")
    assert written == tmp_path / "out.bin"
    assert _sha256(written) == digest


async def test_async_round_trip_in_the_shared_scope(aclient: AsyncClient, tmp_path: Path) -> None:
    source = tmp_path / "report.csv"
    source.write_bytes(b"a,b\n1,2\n")
    key = await aclient.files.upload(source, "team", scope="shared", content_type="text/csv")
    assert key == "team/report.csv"
    assert (await aclient.files.list("shared/")).common_prefixes == ["team/"]
    (tmp_path / "dl").mkdir()
    written = await aclient.files.download("shared/team/report.csv", tmp_path / "dl")
    assert written.read_bytes() == b"a,b\n1,2\n"
    ticket = await aclient.files.download_url("team/report.csv", scope="shared")
    async with httpx.AsyncClient() as storage:
        fetched = await storage.get(ticket.url)
    assert fetched.content == b"a,b\n1,2\n"
    assert fetched.headers["content-type"].startswith("text/csv")


def test_50_mib_streams_with_bounded_memory(client: Client, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    digest = _write(source, 50 * MiB)
    tracemalloc.start()
    try:
        client.files.upload(source, "personal/big")
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        client.files.download("personal/big/big.bin", tmp_path / "copy.bin")
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Client and emulator share this process, so the peaks cover both sides (measured: about
    # 7 MiB up, 13 MiB down, a few copies of one 4 MiB range).
    assert upload_peak < 12 * MiB, upload_peak
    assert download_peak < 20 * MiB, download_peak
    assert _sha256(tmp_path / "copy.bin") == digest


async def test_50_mib_streams_with_bounded_memory_async(
    aclient: AsyncClient, tmp_path: Path
) -> None:
    source = tmp_path / "big.bin"
    digest = _write(source, 50 * MiB)
    tracemalloc.start()
    try:
        await aclient.files.upload(source, "personal/big-async")
        _, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        await aclient.files.download("personal/big-async/big.bin", tmp_path / "copy.bin")
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert upload_peak < 12 * MiB, upload_peak
    assert download_peak < 20 * MiB, download_peak
    assert _sha256(tmp_path / "copy.bin") == digest


def test_storage_requests_carry_no_api_key(
    client: Client, emulator: UnitysvcEmulator, tmp_path: Path
) -> None:
    (tmp_path / "k.txt").write_text("k")
    client.files.upload(tmp_path / "k.txt", "personal/")
    client.files.download("personal/k.txt", tmp_path / "k2.txt")
    storage = [e for e in emulator.journal.entries if e.path.startswith("/storage/")]
    assert [e.method for e in storage] == ["POST", "GET"]
    assert all(e.header("authorization") is None for e in storage)
    api = [e for e in emulator.journal.entries if e.path.startswith("/v1/")]
    assert all(e.header("authorization") == f"Bearer {MAIN_KEY}" for e in api)


def _mint(emulator: UnitysvcEmulator, **body: Any) -> dict[str, Any]:
    with _api(emulator) as api:
        response = api.post("/files/upload", json={"filename": "f.bin", "size": 4, **body})
    assert response.status_code == 200, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def _post(ticket: dict[str, Any], content: bytes = b"abcd", **headers: str) -> httpx.Response:
    return httpx.post(
        ticket["url"], data=ticket["fields"], files={"file": ("f.bin", content)}, headers=headers
    )


Forge = Callable[[dict[str, str]], None]


@pytest.mark.parametrize(
    "forge",
    [
        lambda f: f.update(signature="0" * 64),
        lambda f: f.update(policy=f["policy"][:-4] + "AAA="),
        lambda f: f.update(key="00000000-0000-0000-0000-000000000000/personal/f.bin"),
        lambda f: f.update(key=f["key"].replace("/personal/", "/shared/")),
        lambda f: f.update(key=f["key"] + "/../../escape"),
        lambda f: f.pop("policy"),
    ],
    ids=["signature", "policy", "other-account", "other-scope", "traversal", "no-policy"],
)
def test_forged_upload_is_refused(emulator: UnitysvcEmulator, forge: Forge) -> None:
    ticket = _mint(emulator)
    forge(ticket["fields"])
    response = _post(ticket)
    assert response.status_code in (403, 422), response.text
    with _api(emulator) as api:
        listing = api.get("/files/list", params={"scope": "shared"}).json()
    assert listing["objects"] == []


def test_expired_oversized_or_credentialed_upload_is_refused(emulator: UnitysvcEmulator) -> None:
    assert _post(_mint(emulator), b"abcde").status_code == 400  # more than declared
    assert _post(_mint(emulator), Authorization=f"Bearer {MAIN_KEY}").status_code == 400
    ticket = _mint(emulator, expires_in=1)
    time.sleep(1.2)
    refused = _post(ticket)
    assert refused.status_code == 403
    assert "expired" in refused.text
    assert _post(_mint(emulator)).status_code == 204


def test_forged_or_expired_download_is_refused(
    client: Client, emulator: UnitysvcEmulator, tmp_path: Path
) -> None:
    (tmp_path / "s.txt").write_text("secret")
    client.files.upload(tmp_path / "s.txt", "personal/")
    short = client.files.download_url("personal/s.txt", expires_in=1).url
    url = client.files.download_url("personal/s.txt").url
    assert httpx.get(url).content == b"secret"
    base, _, query = url.partition("?")
    assert httpx.get(base + "?" + query.replace("signature=", "signature=0")).status_code == 403
    other = base.replace("/personal/", "/shared/")
    assert httpx.get(other + "?" + query).status_code == 403
    assert httpx.get(base).status_code == 403
    time.sleep(2.1)
    expired = httpx.get(short)
    assert expired.status_code == 403
    assert "expired" in expired.text


def test_other_accounts_files_are_unreachable(
    client: Client, other_client: Client, tmp_path: Path
) -> None:
    (tmp_path / "mine.txt").write_text("mine")
    client.files.upload(tmp_path / "mine.txt", "personal/private")
    assert other_client.files.list("personal/private").objects == []
    assert other_client.files.list("personal/").common_prefixes == []
    with pytest.raises(NotFoundError):
        other_client.files.download_url("personal/private/mine.txt")


@pytest.mark.parametrize(
    "call",
    [
        lambda c, src: c.files.upload(src, "personal/../escape"),
        lambda c, src: c.files.upload(src, "personal/a//b"),
        lambda c, src: c.files.upload(src, "personal/", filename="../x"),
        lambda c, src: c.files.list("shared/./x"),
        lambda c, src: c.files.list("/etc"),
        lambda c, src: c.files.download("personal/..", src.parent),
        lambda c, src: c.files.download_url("personal/a\\b"),
        lambda c, src: c.files.download_url("personal/"),
        lambda c, src: c.files.list("x", scope="team"),
        lambda c, src: c.files.upload(src.parent / "missing.txt", "personal/"),
    ],
)
def test_bad_paths_are_refused_before_sending(
    client: Client, emulator: UnitysvcEmulator, tmp_path: Path, call: Any
) -> None:
    source = tmp_path / "x.txt"
    source.write_text("x")
    with pytest.raises(ValueError, match=r"^(path|filename|scope|src) "):
        call(client, source)
    assert len(emulator.journal) == 0


def test_the_server_refuses_traversal_too(emulator: UnitysvcEmulator) -> None:
    with _api(emulator) as api:
        for params in ({"path": "../x"}, {"path": "a/./b"}, {"path": "a\\b"}):
            assert api.get("/files/list", params=params).status_code == 422
        assert api.get("/files/download", params={"key": "a/../b"}).status_code == 422
        minted = api.post("/files/upload", json={"filename": "f", "size": 1, "path": "a/.."})
        assert minted.status_code == 422


def test_listing_pages_and_errors_map(client: Client, tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).write_text(name)
        client.files.upload(tmp_path / name, "personal/paged")
    first = client.files.list("personal/paged", max_keys=2)
    assert [o.key for o in first.objects] == ["paged/a", "paged/b"]
    assert first.is_truncated
    rest = client.files.list(
        "personal/paged", max_keys=2, continuation_token=first.next_continuation_token
    )
    assert [o.key for o in rest.objects] == ["paged/c"]
    assert not rest.is_truncated
    with pytest.raises(ValidationError):
        client.files.list("personal/paged", continuation_token="garbage")


def test_files_survive_a_restart(start_emulator: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "unitysvc.db")
    (tmp_path / "keep.txt").write_text("kept")
    with start_emulator(db=db) as first, Client(**first.client_kwargs()) as c:
        c.files.upload(tmp_path / "keep.txt", "personal/")
        url = c.files.download_url("personal/keep.txt").url
    with start_emulator(db=db) as second, Client(**second.client_kwargs()) as c:
        assert [o.key for o in c.files.list("personal/").objects] == ["keep.txt"]
        c.files.download("personal/keep.txt", tmp_path / "back.txt")
        assert (tmp_path / "back.txt").read_text() == "kept"
        # A URL presigned before the restart still verifies: the signing key is stored.
        assert httpx.get(second.url + url[url.index("/storage") :]).content == b"kept"


def test_progress_reports_every_byte_both_ways(client: Client, tmp_path: Path) -> None:
    """The ``progress`` hooks see the transfer advance to the file's size, never past it."""
    source = tmp_path / "progress.bin"
    source.write_bytes(os.urandom(DOWNLOAD_CHUNK * 2 + 5))
    size = source.stat().st_size
    sent: list[tuple[int, int | None]] = []
    key = client.files.upload(source, "personal/progress", progress=lambda *a: sent.append(a))
    assert sent[-1] == (size, size)
    assert [done for done, _ in sent] == sorted(done for done, _ in sent)
    received: list[tuple[int, int | None]] = []
    back = client.files.download(
        f"personal/{key}", tmp_path / "back.bin", progress=lambda *a: received.append(a)
    )
    assert received == [(DOWNLOAD_CHUNK, size), (DOWNLOAD_CHUNK * 2, size), (size, size)]
    assert back.read_bytes() == source.read_bytes()

"""`client.recordings`: download and delete call recordings."""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx
from typing_extensions import Unpack

from sdkcore import Op, Raw, RequestOptions, as_none, endpoint, path_segment

from .._binary import BinaryCast
from ..types.recording import RecordingDownload
from ._base import AccountResource, M

__all__ = ["Recordings"]

# RFC 6266: an encoded `filename*=charset'lang'value` wins over a plain `filename=`.
_FILENAME_STAR = re.compile(r"filename\*\s*=\s*(?:[\w!#$&+.^`|~-]+'[^']*')?([^;]+)", re.I)
_FILENAME = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.I)


def filename_of(disposition: str | None) -> str | None:
    """The file name a `Content-Disposition` header gives, or None."""
    if not disposition:
        return None
    encoded = _FILENAME_STAR.search(disposition)
    if encoded:
        return unquote(encoded.group(1).strip())
    plain = _FILENAME.search(disposition)
    if plain is None:
        return None
    quoted, bare = plain.groups()
    return re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare.strip()


def _download(response: httpx.Response) -> RecordingDownload:
    return RecordingDownload(
        data=response.content,
        content_type=response.headers.get("content-type", "application/octet-stream"),
        filename=filename_of(response.headers.get("content-disposition")),
    )


_DOWNLOAD = BinaryCast(_download)


class Recordings(AccountResource[M]):
    """Recordings of one account's calls, by call id."""

    @property
    def with_raw_response(self) -> Recordings[Raw[M]]:
        """This resource with methods that return `sdkcore.APIResponse` wrappers."""
        raw: Recordings[Raw[M]] = self._raw_copy()
        return raw

    @endpoint
    def download(self, call_id: str, **options: Unpack[RequestOptions]) -> Op[RecordingDownload]:
        """Download a call's recording: `data` (bytes), `content_type` and `filename`.

        Raises `NotFoundError` when the call does not exist or has no recording.
        """
        return Op("GET", self._item_path(call_id), _DOWNLOAD, options=options)

    @endpoint
    def delete(self, call_id: str, **options: Unpack[RequestOptions]) -> Op[None]:
        """Delete a call's recording; deleting one already gone succeeds as well."""
        return Op("DELETE", self._item_path(call_id), as_none, options=options)

    def _item_path(self, call_id: str) -> str:
        return self._path("/recordings/", path_segment(call_id, argument="call_id"))

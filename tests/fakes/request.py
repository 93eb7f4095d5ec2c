"""A BaseRequest that answers PTB's calls from a FakeBotApi and so records all of them."""

from __future__ import annotations

import json

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from tests.fakes.botapi import FakeBotApi


class RecordingRequest(BaseRequest):
    """Offline transport: every call goes to ``api`` exactly as it would go over HTTP."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Hand the call to the fake API with the form parameters HTTP would carry."""
        params = request_data.json_parameters if request_data else {}
        status, body = self.api.call(url.rsplit("/", 1)[-1], params)
        return status, json.dumps(body).encode()

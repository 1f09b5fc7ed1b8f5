# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Raw HTTP access to the emulator for its own tests: no client library, just httpx."""

from __future__ import annotations

import json
from typing import Any

import httpx

PHONE = "79161234567"  # Russia, MTS (25001)
PHONE2 = "79261234567"  # Russia, MegaFon (25002)
NO_ROUTE = "+99912345678"  # unassigned country code: cannot be delivered


class Api:
    """Calls the service paths with the test account's credentials.

    ``call("send", phones=..., mes=...)`` sends GET /sys/send.php with login, psw and
    charset=utf-8 added (``auth=False`` or ``charset=None`` leave them out).
    """

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.client = httpx.Client(base_url=handle.http_url, timeout=10)

    def params(self, auth: bool = True, **params: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        if auth:
            out.update(self.handle.auth())
        out.setdefault("charset", "utf-8")
        for name, value in params.items():
            if value is None:
                out.pop(name, None)
            else:
                out[name] = str(value)
        return out

    def call(
        self, endpoint: str, method: str = "GET", auth: bool = True, **params: Any
    ) -> httpx.Response:
        fields = self.params(auth, **params)
        path = f"/sys/{endpoint}.php"
        if method == "GET":
            response = self.client.get(path, params=fields)
        else:
            response = self.client.post(path, data=fields)
        assert response.status_code == 200, response.text
        return response

    def text(self, endpoint: str, **params: Any) -> str:
        return self.call(endpoint, **params).text

    def json(self, endpoint: str, **params: Any) -> Any:
        params.setdefault("fmt", 3)
        return json.loads(self.call(endpoint, **params).text)

    def send(self, **params: Any) -> Any:
        """send.php in fmt=3 with a default phone and text."""
        params.setdefault("phones", PHONE)
        params.setdefault("mes", "Hello")
        return self.json("send", **params)

    def close(self) -> None:
        self.client.close()


def only_message(control: Any) -> dict[str, Any]:
    messages = control.messages()
    assert len(messages) == 1, messages
    return messages[0]

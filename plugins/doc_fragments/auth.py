# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations


class ModuleDocFragment:
    # The connection and authentication options every smsc.messaging module takes.
    DOCUMENTATION = r"""
options:
  login:
    description:
      - The account's login.
      - Give O(login) and O(password), or O(api_key) instead of both.
      - If not set, the value of the E(SMSC_LOGIN) environment variable is used.
    type: str
  password:
    description:
      - The account's password (or the lowercase MD5 hex digest of it).
      - If not set, the value of the E(SMSC_PASSWORD) environment variable is used.
    type: str
  api_key:
    description:
      - An API key of the account, used instead of O(login) and O(password).
      - If not set, the value of the E(SMSC_API_KEY) environment variable is used.
    type: str
  api_url:
    description:
      - The address of the service's HTTP API, without C(/sys/...).
      - Requests that surely never reached one of the service's own hosts move on to its
        backup hosts (C(www2) to C(www5)); reads that are safe to repeat move on after any
        failure. Messages are never sent twice.
      - Point it at a local emulator (for example C(http://127.0.0.1:8080)) in tests.
      - If not set, the value of the E(SMSC_API_URL) environment variable is used.
    type: str
    default: https://smsc.ru
  validate_certs:
    description:
      - Whether to verify the service's TLS certificate.
      - Only set to V(false) for a test endpoint with a self-signed certificate.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the service to answer one request.
    type: float
    default: 30
  rate_limit_wait:
    description:
      - Reads refused by one of the service's rate limits (error 9, for example more than three
        identical template list requests a minute) are tried again after a pause, as long as
        the pauses add up to at most this many seconds.
      - Set to V(0) to fail at once. Requests that change something are never repeated.
    type: float
    default: 60
notes:
  - Set the connection options once for every module of the collection with
    C(module_defaults) and the action group C(group/smsc.messaging.smsc).
  - Credentials are sent in the body of HTTPS POST requests, never in the address.
"""

# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which credentials a module or the ``notify`` callback uses: what the user set explicitly wins,
and the environment only fills what is unset.

Credentials come as a family - a login and a password, or an API key. Options that choose a
family also decide which environment variables may fill the rest, so ``SMSC_API_KEY`` in the
environment never conflicts with a login and password given as options, nor ``SMSC_LOGIN`` /
``SMSC_PASSWORD`` with an API key given as an option.
"""

from __future__ import annotations

from collections.abc import Mapping

from .pysmsc.errors import ValidationError

__all__ = ["CREDENTIAL_ENV", "resolve_credentials"]

# Option name -> the environment variable that may fill it.
CREDENTIAL_ENV = {"login": "SMSC_LOGIN", "password": "SMSC_PASSWORD", "api_key": "SMSC_API_KEY"}
_LOGIN_FAMILY = ("login", "password")


def resolve_credentials(
    explicit: Mapping[str, str | None], environ: Mapping[str, str]
) -> dict[str, str | None]:
    """``login``, ``password`` and ``api_key`` to use; an empty value counts as unset.

    ``explicit`` holds what the user set (task options, ``module_defaults``, ``ansible.cfg``);
    ``environ`` the environment. Explicit values are never dropped: a login and an API key both
    given explicitly stay, for the caller to refuse.
    """
    given = {name: explicit.get(name) or None for name in CREDENTIAL_ENV}
    from_env = {name: environ.get(var) or None for name, var in CREDENTIAL_ENV.items()}
    if given["api_key"]:
        family: tuple[str, ...] = ("api_key",)
    elif given["login"] or given["password"]:
        family = _LOGIN_FAMILY
    elif from_env["api_key"] and (from_env["login"] or from_env["password"]):
        raise ValidationError(
            "api_key",
            "the environment sets both SMSC_API_KEY and SMSC_LOGIN/SMSC_PASSWORD; unset one, "
            "or give login and password (or api_key) as options",
        )
    else:
        family = ("api_key",) if from_env["api_key"] else _LOGIN_FAMILY
    return {
        name: given[name] or (from_env[name] if name in family else None) for name in CREDENTIAL_ENV
    }

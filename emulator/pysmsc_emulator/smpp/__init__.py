# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's SMPP side: the SMSC end of SMPP sessions (:mod:`.server`), the backend that
binds them to the emulator's state (:mod:`.backend`, :mod:`.delivery`, :mod:`.parts`,
:mod:`.side`), and an in-memory backend for tests of SMPP clients (:mod:`.memory`)."""

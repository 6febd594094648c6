"""Settings for `make mutate`: the test settings on one SQLite file that every mutant reuses.

mutmut forks a process per mutant and runs pytest in it. With the usual in-memory test
database each of them would run every migration again (seconds per mutant); with a file
and `--reuse-db` the first session builds it and the others open it. Tests still run in
transactions that are rolled back, so each mutant starts from the same empty database.
The mutation run is on SQLite whatever DATABASE_URL the shell has.
"""

import os
from pathlib import Path

_DB = Path(os.environ.get("RTM_MUTATION_TEST_DB", "var/mutation/test.sqlite3")).resolve()
os.environ["DATABASE_URL"] = f"sqlite:///{_DB.with_name('unused.sqlite3')}"

from rtm_workflow.settings_test import *  # noqa: E402,F403
from rtm_workflow.settings_test import DATABASES  # noqa: E402

DATABASES["default"]["TEST"] = {"NAME": str(_DB)}

# A mutant that breaks the SMTP dialogue leaves the client waiting for a reply that never
# comes; with a socket timeout that is a failing test after seconds, not a hung mutant.
EMAIL_TIMEOUT = 5

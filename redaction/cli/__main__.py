"""``python -m redaction.cli``: the ``cleancopy`` command."""

import sys

from redaction.cli import main

sys.exit(main())

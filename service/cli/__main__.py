"""``python -m service.cli``: the ``chibo`` command."""

import sys

from service.cli import main

sys.exit(main())

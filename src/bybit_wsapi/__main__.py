"""``python -m bybit_wsapi``: the same as the ``bybit-wsapi`` command."""

import sys

from .cli import main

sys.exit(main())

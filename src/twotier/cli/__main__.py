"""``python -m twotier.cli``."""

import sys

from twotier.cli import main

sys.exit(main())

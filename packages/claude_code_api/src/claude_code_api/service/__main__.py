"""`python -m claude_code_api.service [options]`: the same as `claude-api service start`."""

from __future__ import annotations

import sys

from .._cli import main

if __name__ == "__main__":
    sys.exit(main(["service", "start", *sys.argv[1:]]))

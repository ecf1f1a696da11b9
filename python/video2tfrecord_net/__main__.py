"""The ``video2tfrecord`` console script (and ``python -m video2tfrecord_net``): the command line itself.

On Linux the Python process is replaced by the converter (exec), as ruff's and uv's launchers do, so signals, exit codes
and the terminal are the converter's own and no Python process stays around it.
"""

import os
import sys

from ._binary import BinaryNotFound, find_binary


def main():
    try:
        binary = find_binary()
    except BinaryNotFound as e:
        print(e, file=sys.stderr)
        return 1
    try:
        os.execv(binary, [binary, *sys.argv[1:]])
    except OSError as e:
        from ._binary import explain_start_failure
        print(explain_start_failure(e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

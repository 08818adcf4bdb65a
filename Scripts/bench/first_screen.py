#!/usr/bin/env python3
"""first_screen.py STRATA IMAGE — run `strata explore IMAGE` in a pseudo-terminal (80×24), wait
for its first screen (the tree pane's title, "Files as of layer"), press q, and exit 0; exit 1
when the screen does not come within 600 s or strata exits first. Scripts/bench.sh times it
under /usr/bin/time, run as `python3 -S` (standard library only): the figure includes Python's
start (about 5 ms that way) and the quit."""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

MARKER = b"Files as of layer"


def main():
    strata, image = sys.argv[1], sys.argv[2]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(strata, [strata, "explore", image])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        seen = (seen + data)[-4096:]
        if MARKER in seen:
            os.write(fd, b"q")
            # drain until strata exits, so its quit is part of the figure
            try:
                while os.read(fd, 65536):
                    pass
            except OSError:
                pass
            _, status = os.waitpid(pid, 0)
            return 0
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.stderr.write("first_screen.py: no first screen from strata explore %s\n" % image)
    return 1


if __name__ == "__main__":
    sys.exit(main())

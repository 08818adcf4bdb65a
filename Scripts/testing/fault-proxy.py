#!/usr/bin/env python3
"""A fault-injecting proxy between strata and a daemon's Unix socket, for tests.

    fault-proxy.py LISTEN_SOCKET UPSTREAM_SOCKET MODE

Requests whose path does not end in /get are forwarded untouched. For /get (the image stream):
  cut:N          forward the first N bytes of the response, then drop the connection
  status:C       answer status C with a JSON error instead of asking the daemon
  replace:OLD:NEW  forward the response with every run of the bytes OLD (hex) replaced by NEW
                 (hex, the same length): the daemon seems to send other content
  slow:MS        forward the response with a pause of MS milliseconds before each piece
  later:MODE     forward the first /get untouched, apply MODE to the ones after it (an image
                 read whole, then asked for again for a file's content)
  pass           forward untouched
The proxy serves until it is killed; an answer that sends nothing for 60 s is cut (the client's
own silence while an answer streams is not).
"""
import os
import socket
import sys
import threading
import time


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    return data


def pump(source, target, limit=None, replace=None, pause=0.0, request=False):
    """Copies source to target until either ends, then shuts both down. The request direction
    (request=True) waits as long as the answer takes: a client sends nothing while a long answer
    streams, and its silence must not cut the answer; at its end it only stops the upstream's
    input (the answer's pump closes everything)."""
    sent = 0
    held = b""
    try:
        while limit is None or sent < limit:
            want = 65536 if limit is None else min(65536, limit - sent)
            try:
                piece = source.recv(want)
            except socket.timeout:
                if request:
                    continue
                raise
            if not piece:
                break
            if pause:
                time.sleep(pause)
            if replace:
                # Hold back a possible start of OLD until the next piece shows whether it is one.
                old, new = replace
                held = (held + piece).replace(old, new)
                keep = len(old) - 1
                piece, held = held[:len(held) - keep], held[len(held) - keep:]
            target.sendall(piece)
            sent += len(piece)
        if held:
            target.sendall(held)
    except OSError:
        pass
    if request:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        return
    for end in (source, target):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


streams_seen = 0
streams_lock = threading.Lock()


def serve(conn, upstream_path, mode):
    global streams_seen
    conn.settimeout(60)
    head = read_head(conn)
    request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    path = request_line.split(" ")[1] if " " in request_line else ""
    is_stream = path.split("?")[0].endswith("/get")
    if is_stream and mode.startswith("later:"):
        with streams_lock:
            streams_seen += 1
            first = streams_seen == 1
        mode = "pass" if first else mode[len("later:"):]
    if is_stream and mode.startswith("status:"):
        code = int(mode.split(":", 1)[1])
        body = b'{"message":"injected failure"}'
        conn.sendall(
            b"HTTP/1.1 %d Injected\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (code, len(body)) + body)
        conn.close()
        return
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    upstream.settimeout(60)
    upstream.connect(upstream_path)
    upstream.sendall(head)
    limit = int(mode.split(":", 1)[1]) if is_stream and mode.startswith("cut:") else None
    replace = None
    if is_stream and mode.startswith("replace:"):
        old, new = (bytes.fromhex(part) for part in mode.split(":")[1:3])
        replace = (old, new)
    pause = int(mode.split(":", 1)[1]) / 1000 if is_stream and mode.startswith("slow:") else 0.0
    threading.Thread(target=pump, args=(conn, upstream), kwargs={"request": True}, daemon=True).start()
    pump(upstream, conn, limit, replace, pause)
    conn.close()
    upstream.close()


def main():
    listen_path, upstream_path, mode = sys.argv[1:4]
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    server.listen(16)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, upstream_path, mode), daemon=True).start()


if __name__ == "__main__":
    main()

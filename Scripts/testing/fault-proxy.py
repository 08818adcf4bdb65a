#!/usr/bin/env python3
"""A fault-injecting proxy between strata and a daemon's Unix socket, for tests.

    fault-proxy.py LISTEN_SOCKET UPSTREAM_SOCKET MODE

Requests whose path does not end in /get are forwarded untouched. For /get (the image stream):
  cut:N     forward the first N bytes of the response, then drop the connection
  status:C  answer status C with a JSON error instead of asking the daemon
  pass      forward untouched
The proxy serves until it is killed; every connection is bounded by a 60 s socket timeout.
"""
import os
import socket
import sys
import threading


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    return data


def pump(source, target, limit=None):
    sent = 0
    try:
        while limit is None or sent < limit:
            want = 65536 if limit is None else min(65536, limit - sent)
            piece = source.recv(want)
            if not piece:
                break
            target.sendall(piece)
            sent += len(piece)
    except OSError:
        pass
    for end in (source, target):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(conn, upstream_path, mode):
    conn.settimeout(60)
    head = read_head(conn)
    request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    path = request_line.split(" ")[1] if " " in request_line else ""
    is_stream = path.split("?")[0].endswith("/get")
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
    threading.Thread(target=pump, args=(conn, upstream), daemon=True).start()
    pump(upstream, conn, limit)
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

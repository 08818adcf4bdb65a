#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a plain-HTTP registry on loopback, for tests.

    registry-proxy.py LISTEN_PORT UPSTREAM_PORT MODE

Every request goes to the registry with `Connection: close`. Blob downloads (GET …/blobs/…)
are changed by MODE:
  corrupt[:MIN]   flip one byte of the body (the 200th, or the last of a shorter body)
  cut:N[:MIN]     forward N bytes of the body, then drop the connection
                  (with MIN, only blobs of at least MIN bytes: layers, not the config)
  429once   answer the first request for each blob 429 (Retry-After: 0), then forward
  pass      forward untouched
It serves until it is killed; every connection has a 60 s socket timeout.
"""
import socket
import time
import sys
import threading

seen = set()
lock = threading.Lock()


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def serve(conn, upstream_port, mode):
    conn.settimeout(60)
    first = conn.recv(1, socket.MSG_PEEK)
    if first == b"\x16":  # a TLS hello: this proxy speaks plain HTTP only, like the registry behind it
        conn.close()
        return
    head, rest = read_head(conn)
    lines = head.split(b"\r\n")
    parts = lines[0].decode("latin-1").split(" ")
    method, path = (parts[0], parts[1]) if len(parts) > 1 else ("", "")
    is_blob = method == "GET" and "/blobs/" in path
    if is_blob and mode == "429once":
        with lock:
            first = path not in seen
            seen.add(path)
        if first:
            conn.sendall(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            conn.close()
            return
    kept = [line for line in lines[1:] if not line.lower().startswith(b"connection:")]
    request = b"\r\n".join([lines[0]] + kept + [b"Connection: close"]) + b"\r\n\r\n" + rest
    upstream = socket.create_connection(("127.0.0.1", upstream_port), timeout=60)
    upstream.sendall(request)
    response_head, body_start = read_head(upstream)
    conn.sendall(response_head + b"\r\n\r\n")
    status = response_head.split(b" ", 2)[1] if b" " in response_head else b""
    length = None
    for line in response_head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    fields = mode.split(":")
    minimum = int(fields[2]) if fields[0] == "cut" and len(fields) > 2 else int(fields[1]) if fields[0] == "corrupt" and len(fields) > 1 else 0
    change = is_blob and status == b"200" and (length or 0) >= minimum
    limit = int(fields[1]) if change and fields[0] == "cut" else None
    flip_at = None
    if change and fields[0] == "corrupt" and length:
        flip_at = min(199, length - 1)
    sent = 0
    pending = body_start
    try:
        while True:
            if not pending:
                pending = upstream.recv(65536)
                if not pending:
                    break
            if limit is not None and sent + len(pending) > limit:
                pending = pending[: limit - sent]
            if flip_at is not None and sent <= flip_at < sent + len(pending):
                index = flip_at - sent
                pending = pending[:index] + bytes([pending[index] ^ 0xFF]) + pending[index + 1:]
            conn.sendall(pending)
            sent += len(pending)
            pending = b""
            if is_blob and fields[0] == "slow":  # slow:SECONDS, a pause after each piece of a blob
                time.sleep(float(fields[1]))
            if limit is not None and sent >= limit:
                break
    except OSError:
        pass
    for end in (conn, upstream):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()


def main():
    listen_port, upstream_port, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(16)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, upstream_port, mode), daemon=True).start()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a plain-HTTP registry on loopback, for tests.

    registry-proxy.py LISTEN_PORT UPSTREAM_PORT MODE

Every request goes to the registry with `Connection: close`. Blob downloads (GET …/blobs/…)
are changed by MODE (with MIN, only blobs of at least MIN bytes: layers, not the config):
  corrupt[:MIN]          flip one byte of the body (the 200th, or the last of a shorter body)
  cut:N[:MIN]            the body stops at its byte N on every request, then the connection
                         drops (a request for a range from N on gets no body byte)
  cutonce:N[:MIN]        only the first request for each blob is cut at byte N; later ones
                         (resumes, with their Range header) pass
  cutonce-norange:N[:MIN]  as cutonce, and Range headers are dropped: the registry sends the
                         whole blob again (200) to a resume
  larger:MIN             the body has 1000 bytes more than the registry's (Content-Length too)
  corrupt-again:MIN      forward the first download of each blob untouched, flip the last byte of
                         every later one (a blob read again, whose damage shows only in its digest)
  norange                Range headers are dropped from every request: the registry sends whole
                         blobs (200), as a registry or proxy without Range support would
  corrupt-range          flip the first byte of every partial answer (206): a zstd:chunked
                         manifest or eStargz TOC fetched by Range no longer matches its digest
  corrupt-range-again    forward the first partial answer for each blob untouched (the listing),
                         flip the first byte of every later one (the content reads)
  429once                answer the first request for each blob 429 (Retry-After: 0), then forward
  429always              answer every blob request 429 (Retry-After: 0)
  redirect               requests without an Authorization header get 401 (Basic); blob GETs
                         with one get 307 to blob storage: this proxy's port on 127.0.0.2 (another
                         host), which serves the blob from the registry and logs every header it
                         received
  expire:N               the registry asks for a Bearer token from this proxy's /token (a GET, no
                         credentials), which issues a new one each time; the first request for
                         each blob is cut at byte N and the token it carried is revoked, so the
                         resume must log in again (a token that expired during a download)
  token:IDENTITY          the registry asks for a Bearer token from this proxy's /token, which
                         gives one only for an OAuth2 refresh-token grant (a POST) of IDENTITY
  forbidden              every request but the /v2/ ping gets 403 (DENIED), as for a private repository
  manifest-notjson       manifests by tag are answered 200 with an HTML page
  manifest-huge          manifests by tag are answered 200 with 5 MiB of JSON
  forward                an HTTP proxy (UPSTREAM_PORT unused): CONNECT HOST:PORT tunnels to
                         127.0.0.1:PORT, GET http://HOST:PORT/… goes to 127.0.0.1:PORT, whatever
                         HOST is (a name that resolves nowhere reaches the registry only by it)
  pass                   forward untouched
Each request is logged on standard output: the listener, method, path, Range header and
whether an Authorization header came (never its value, except at blob storage, which must
receive none). It serves until it is killed; every connection has a 60 s socket timeout.
"""
import socket
import time
import sys
import threading

seen = set()
# Bearer tokens of the expire mode: how many were issued, which are still valid.
tokens = {"issued": 0, "valid": set()}
lock = threading.Lock()
# Lines from many connection threads: print() writes the text and the newline separately, so two
# threads could run their lines together ("auth=yesstorage GET ...") and hide a request.
log_lock = threading.Lock()


def log(text):
    with log_lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            break
        data += piece
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def header(lines, name):
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return None


def answer(conn, status, headers=(), body=b""):
    head = [f"HTTP/1.1 {status}"] + list(headers) + [f"Content-Length: {len(body)}", "Connection: close"]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    conn.close()


def first_request(path):
    with lock:
        first = path not in seen
        seen.add(path)
    return first


def serve(conn, upstream_port, mode, listen_port, storage):
    try:
        forward(conn, upstream_port, mode, listen_port, storage)
    finally:
        conn.close()  # whatever went wrong, the client is not left waiting


def forward(conn, upstream_port, mode, listen_port, storage):
    conn.settimeout(60)
    first = conn.recv(1, socket.MSG_PEEK)
    if first == b"\x16":  # a TLS hello: this proxy speaks plain HTTP only, like the registry behind it
        conn.close()
        return
    head, rest = read_head(conn)
    lines = head.split(b"\r\n")
    parts = lines[0].decode("latin-1").split(" ")
    method, path = (parts[0], parts[1]) if len(parts) > 1 else ("", "")
    fields = mode.split(":")
    kind = fields[0]
    range_header = header(lines, b"range")
    if storage:
        log(f"storage {method} {path} headers={[line.decode('latin-1') for line in lines[1:]]}")
        path = path[len("/storage"):] if path.startswith("/storage") else path
        lines[0] = f"{method} {path} HTTP/1.1".encode("latin-1")
    else:
        authorized = header(lines, b"authorization") is not None
        log(f"proxy {method} {path} range={range_header or '-'} auth={'yes' if authorized else 'no'}")
    if kind == "forward":
        act_as_proxy(conn, method, path, lines, rest)
        return
    is_blob = method == "GET" and "/blobs/" in path
    cut_expired, expiring = False, None
    is_manifest_by_tag = method == "GET" and "/manifests/" in path and "sha256:" not in path
    if not storage and kind == "expire":
        realm = f'Bearer realm="http://127.0.0.1:{listen_port}/token",service="strata-proxy"'
        if path.startswith("/token"):
            with lock:
                tokens["issued"] += 1
                token = f"expiring-{tokens['issued']}"
                tokens["valid"].add(token)
            log(f"token {method} issued={token}")
            answer(conn, "200 OK", ["Content-Type: application/json"], ('{"token": "%s"}' % token).encode("latin-1"))
            return
        given = (header(lines, b"authorization") or "").removeprefix("Bearer ")
        with lock:
            valid = given in tokens["valid"]
        if not valid:
            log(f"refused {method} {path} token={given or '-'}")
            answer(conn, "401 Unauthorized", ["WWW-Authenticate: " + realm])
            return
        if is_blob and first_request(path):
            cut_expired, expiring = True, given
    if not storage and kind == "token":
        issued = "Bearer proxy-token-" + fields[1][::-1]
        if path.startswith("/token"):
            length = int(header(lines, b"content-length") or 0)
            while len(rest) < length:
                piece = conn.recv(65536)
                if not piece:
                    break
                rest += piece
            form = dict(pair.partition("=")[::2] for pair in rest.decode("latin-1").split("&") if pair)
            granted = method == "POST" and form.get("grant_type") == "refresh_token" and form.get(
                "refresh_token") == fields[1]
            log(f"token {method} grant={form.get('grant_type', '-')} granted={'yes' if granted else 'no'}")
            if granted:
                answer(conn, "200 OK", ["Content-Type: application/json"],
                       ('{"access_token": "%s"}' % issued[len("Bearer "):]).encode("latin-1"))
            else:
                answer(conn, "401 Unauthorized", [], b'{"errors": [{"code": "UNAUTHORIZED"}]}')
            return
        if header(lines, b"authorization") != issued:
            realm = f'Bearer realm="http://127.0.0.1:{listen_port}/token",service="strata-proxy"'
            answer(conn, "401 Unauthorized", ["WWW-Authenticate: " + realm])
            return
    if not storage and kind == "redirect":
        if not authorized:
            answer(conn, "401 Unauthorized", ['WWW-Authenticate: Basic realm="strata-proxy"'])
            return
        if is_blob:
            answer(conn, "307 Temporary Redirect", [f"Location: http://127.0.0.2:{listen_port}/storage{path}"])
            return
    if is_blob and (kind == "429always" or (kind == "429once" and first_request(path))):
        answer(conn, "429 Too Many Requests", ["Retry-After: 0"])
        return
    if kind == "forbidden" and path != "/v2/":
        answer(conn, "403 Forbidden", ["Content-Type: application/json"],
               b'{"errors": [{"code": "DENIED", "message": "requested access to the resource is denied"}]}')
        return
    if is_manifest_by_tag and kind == "manifest-notjson":
        answer(conn, "200 OK", ["Content-Type: application/vnd.oci.image.manifest.v1+json"],
               b"<html><body>Service temporarily moved</body></html>\n")
        return
    if is_manifest_by_tag and kind == "manifest-huge":
        body = b'{"schemaVersion": 2, "pad": "' + b"x" * (5 << 20) + b'"}'
        answer(conn, "200 OK", ["Content-Type: application/vnd.oci.image.manifest.v1+json"], body)
        return
    cut_once = (kind in ("cutonce", "cutonce-norange") and is_blob and first_request(path)) or cut_expired
    dropped = (b"connection:",) + ((b"range:",) if kind in ("cutonce-norange", "norange") else ())
    kept = [line for line in lines[1:] if not line.lower().startswith(dropped)]
    request = b"\r\n".join([lines[0]] + kept + [b"Connection: close"]) + b"\r\n\r\n" + rest
    upstream = socket.create_connection(("127.0.0.1", upstream_port), timeout=60)
    upstream.sendall(request)
    response_head, body_start = read_head(upstream)
    response_lines = response_head.split(b"\r\n")
    status = response_head.split(b" ", 2)[1] if b" " in response_head else b""
    length = int(header(response_lines, b"content-length") or 0)
    # The whole blob's size and where this body starts in it (a 206 names both).
    total, offset = length, 0
    content_range = header(response_lines, b"content-range")
    if content_range and content_range.startswith("bytes "):
        span, _, whole = content_range[6:].partition("/")
        offset, total = int(span.split("-")[0]), int(whole)
    minimum_field = {"corrupt": 1, "cut": 2, "cutonce": 2, "cutonce-norange": 2, "expire": 2, "larger": 1, "corrupt-again": 1}.get(kind)
    minimum = int(fields[minimum_field]) if minimum_field and len(fields) > minimum_field else 0
    change = not storage and is_blob and status in (b"200", b"206") and total >= minimum
    limit = None
    if change and (kind == "cut" or cut_once):
        limit = max(0, int(fields[1]) - offset)
        if expiring:
            with lock:
                tokens["valid"].discard(expiring)
            log(f"revoked {expiring}")
    flip_at = None
    if change and kind == "corrupt" and length:
        flip_at = min(199, length - 1)
    if change and kind == "corrupt-again" and length and not first_request(path):
        flip_at = length - 1
    if change and status == b"206" and length and (
            kind == "corrupt-range" or (kind == "corrupt-range-again" and not first_request(path))):
        flip_at = 0
    extra = b""
    if change and kind == "larger":
        extra = b"\0" * 1000
        response_lines = [line for line in response_lines if not line.lower().startswith(b"content-length:")]
        response_lines.append(f"Content-Length: {length + len(extra)}".encode("latin-1"))
        response_head = b"\r\n".join(response_lines)
    conn.sendall(response_head + b"\r\n\r\n")
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
        if extra:
            conn.sendall(extra)
    except OSError:
        pass
    for end in (conn, upstream):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()


def pipe(source, destination):
    try:
        while True:
            piece = source.recv(65536)
            if not piece:
                break
            destination.sendall(piece)
    except OSError:
        pass
    try:
        destination.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def act_as_proxy(conn, method, target, lines, rest):
    """The forward mode: a CONNECT tunnel, or a GET in absolute form, to 127.0.0.1 at the target's port."""
    if method == "CONNECT":
        port = int(target.rsplit(":", 1)[1])
        upstream = socket.create_connection(("127.0.0.1", port), timeout=60)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        request = rest
    elif target.startswith("http://"):
        authority, _, path = target[len("http://"):].partition("/")
        port = int(authority.rsplit(":", 1)[1]) if ":" in authority else 80
        upstream = socket.create_connection(("127.0.0.1", port), timeout=60)
        kept = [line for line in lines[1:] if not line.lower().startswith((b"connection:", b"proxy-"))]
        first = f"{method} /{path} HTTP/1.1".encode("latin-1")
        request = b"\r\n".join([first] + kept + [b"Connection: close"]) + b"\r\n\r\n" + rest
    else:
        answer(conn, "400 Bad Request")
        return
    log(f"forward {method} {target}")
    upstream.sendall(request)
    back = threading.Thread(target=pipe, args=(upstream, conn), daemon=True)
    back.start()
    pipe(conn, upstream)
    back.join(60)
    upstream.close()


def listen(address, port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, port))
    server.listen(16)
    return server


def accept(server, upstream_port, mode, listen_port, storage):
    while True:
        conn, _ = server.accept()
        arguments = (conn, upstream_port, mode, listen_port, storage)
        threading.Thread(target=serve, args=arguments, daemon=True).start()


def main():
    listen_port, upstream_port, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode == "redirect":
        storage = listen("127.0.0.2", listen_port)
        threading.Thread(target=accept, args=(storage, upstream_port, mode, listen_port, True), daemon=True).start()
    accept(listen("127.0.0.1", listen_port), upstream_port, mode, listen_port, False)


if __name__ == "__main__":
    main()

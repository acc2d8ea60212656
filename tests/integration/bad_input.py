"""A table of malformed requests. Each must be answered 4xx (with Loki's words where Loki has
them) or have its connection dropped; afterwards the server is alive and the data pushed
before the table is intact."""
import gzip
import json
import os
import socket
import struct
import sys
import threading
import time
import zlib

from bad_input_raw import (WebSocket, configured_server, http_bytes, proto_push, raw_exchange,
                           snappy_literal)
from fenrir import Tally

BASE_NS = 1_790_000_000 * 10**9
PUSH = "/loki/api/v1/push"
JSON = {"Content-Type": "application/json"}
PROTO = {"Content-Type": "application/x-protobuf"}
CONFIG = """
fenrir:
  max_request_body_bytes: 4MB
  max_decompressed_body_bytes: 16MB
"""
DROP = None  # the connection closed without an answer


def jpush(body):
    return ("POST", PUSH, JSON, body if isinstance(body, bytes) else body.encode())


def q(path, **params):
    import urllib.parse
    return ("GET", path + "?" + urllib.parse.urlencode(params), {}, b"")


def stream(labels, line="x"):
    return json.dumps({"streams": [{"stream": labels, "values": [[str(BASE_NS + 5), line]]}]})


def gzip_bomb(size):
    """gzip of `size` zero bytes, built in pieces (never holds the plain text)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = b"\0" * (1 << 20)
    out = [c.compress(zero) for _ in range(size >> 20)]
    out.append(c.flush())
    return b"".join(out)


RANGE = {"start": str(BASE_NS), "end": str(BASE_NS + 10**9)}


def cases():
    """(name, (method, target, headers, body) or raw bytes, allowed statuses, expected text)."""
    deep = "[" * 100_000 + "]" * 100_000
    many_labels = {"l%d" % i: "v" for i in range(200)}
    return [
        # --- push: JSON
        ("json truncated", jpush('{"streams":[{"stream":{"a":"b"},'), {400}, None),
        ("json top-level array", jpush("[]"), {400}, None),
        ("json streams not a list", jpush('{"streams":5}'), {400}, None),
        ("json values not a list", jpush('{"streams":[{"stream":{"a":"b"},"values":7}]}'), {400}, None),
        ("json timestamp not a number", jpush('{"streams":[{"stream":{"a":"b"},"values":[["abc","x"]]}]}'), {400}, None),
        ("json entry too short", jpush('{"streams":[{"stream":{"a":"b"},"values":[["1"]]}]}'), {400}, None),
        ("json line not a string", jpush('{"streams":[{"stream":{"a":"b"},"values":[["1",{}]]}]}'), {400}, None),
        ("json nested 100k levels", jpush('{"streams":' + deep + "}"), {400}, None),
        ("json nested 100k objects", jpush('{"x":' + '{"a":' * 100_000 + "1" + "}" * 100_001), {400}, None),
        ("json garbage bytes", jpush(b"\xff\xfe\x00garbage"), {400}, None),
        ("json empty body", jpush(b""), {400}, None),
        ("json invalid utf-8 label name", jpush(b'{"streams":[{"stream":{"\xff\xfe":"v"},"values":[["1","x"]]}]}'), {400}, None),
        ("json label name starts with digit", jpush(stream({"0bad": "v"})), {400}, "0bad"),
        ("json label name with dash", jpush(stream({"bad-name": "v"})), {400}, None),
        ("json no labels", jpush(stream({})), {400}, "at least one label pair is required per stream"),
        ("json huge label value", jpush(stream({"a": "v" * 100_000})), {400}, "label value too long"),
        ("json huge label name", jpush(stream({"a" * 5000: "v"})), {400}, "label name too long"),
        ("json too many labels", jpush(stream(many_labels)), {400}, "label names; limit 30"),
        ("legacy json malformed", ("POST", "/api/prom/push", JSON, b'{"streams":[{"labels":'), {400}, None),
        ("legacy json bad label text", ("POST", "/api/prom/push", JSON,
                                        json.dumps({"streams": [{"labels": '{a="b"', "entries": [{"ts": "2026-09-21T00:00:00Z", "line": "x"}]}]}).encode()), {400}, None),
        # --- push: content type and encoding
        ("missing content type", ("POST", PUSH, {}, stream({"a": "b"}).encode()), {400}, "mime: no media type"),
        ("malformed content type", ("POST", PUSH, {"Content-Type": ";;;"}, b"x"), {400}, None),
        ("text/plain body is not snappy", ("POST", PUSH, {"Content-Type": "text/plain"}, b"hello"), {400}, None),
        ("unsupported content-encoding", ("POST", PUSH, dict(JSON, **{"Content-Encoding": "br"}), b"x"), {400}, 'Content-Encoding "br" not supported'),
        ("gzip garbage", ("POST", PUSH, dict(JSON, **{"Content-Encoding": "gzip"}), b"\x1f\x8bnot gzip at all"), {400}, None),
        ("gzip truncated", ("POST", PUSH, dict(JSON, **{"Content-Encoding": "gzip"}), gzip.compress(stream({"a": "b"}).encode())[:20]), {400}, None),
        ("gzip bomb 64MB", ("POST", PUSH, dict(JSON, **{"Content-Encoding": "gzip"}), gzip_bomb(64 << 20)), {400, 413}, None),
        ("deflate garbage", ("POST", PUSH, dict(JSON, **{"Content-Encoding": "deflate"}), b"\x00\x01garbage"), {400}, None),
        # --- push: protobuf and snappy
        ("protobuf not snappy", ("POST", PUSH, PROTO, b"\x00\x01\x02garbage"), {400}, None),
        ("snappy of garbage protobuf", ("POST", PUSH, PROTO, snappy_literal(b"\xff\xff\xff\xff\x0f\x0a")), {400}, None),
        ("snappy length claims 4GB", ("POST", PUSH, PROTO, b"\xff\xff\xff\xff\x0f\x00"), {400}, None),
        ("snappy empty body", ("POST", PUSH, PROTO, b""), {400, 204}, None),
        ("protobuf bad label text", ("POST", PUSH, PROTO, snappy_literal(proto_push([('{a="b"', [(BASE_NS, "x")])]))), {400}, None),
        ("protobuf invalid label name", ("POST", PUSH, PROTO, snappy_literal(proto_push([('{__bad-name="b"}', [(BASE_NS, "x")])]))), {400}, None),
        ("protobuf invalid utf-8 labels", ("POST", PUSH, PROTO, snappy_literal(proto_push([(b'{a="\xff"}', [(BASE_NS, "x")])]))), {400}, None),
        ("body over max_request_body_bytes", ("POST", PUSH, JSON, b"{" + b" " * (5 << 20) + b"}"), {413, 400, DROP}, None),
        # --- queries and parameters
        ("bad logql", q("/loki/api/v1/query_range", query="{foo=}", **RANGE), {400}, "parse error"),
        ("logql invalid utf-8", ("GET", "/loki/api/v1/query_range?query=%7Ba%3D%22%FF%22%7D&start=1&end=2", {}, b""), {400}, None),
        ("logql 100k nested parens", ("POST", "/loki/api/v1/query", {"Content-Type": "application/x-www-form-urlencoded"},
                                      b"query=" + b"%28" * 100_000 + b"1" + b"%29" * 100_000), {400}, None),
        ("logql huge regexp", q("/loki/api/v1/query_range", query='{a="b"} |~ "' + "(a|" * 5000 + "b" + ")" * 5000 + '"', **RANGE), {400}, None),
        ("missing query", q("/loki/api/v1/query_range", **RANGE), {400}, None),
        ("bad start", q("/loki/api/v1/query_range", query='{a="b"}', start="yesterday", end="1"), {400}, "invalid syntax"),
        ("end before start", q("/loki/api/v1/query_range", query='{a="b"}', start="20", end="10"), {400}, "end timestamp must not be before or equal to start time"),
        ("limit negative", q("/loki/api/v1/query_range", query='{a="b"}', limit="-1", **RANGE), {400}, None),
        ("limit not a number", q("/loki/api/v1/query_range", query='{a="b"}', limit="many", **RANGE), {400}, None),
        ("limit zero", q("/loki/api/v1/query_range", query='{a="b"}', limit="0", **RANGE), {400}, None),
        ("limit overflow", q("/loki/api/v1/query_range", query='{a="b"}', limit="99999999999999999999", **RANGE), {400}, None),
        ("step zero", q("/loki/api/v1/query_range", query='count_over_time({a="b"}[1m])', step="0", **RANGE), {400}, None),
        ("step not a duration", q("/loki/api/v1/query_range", query='count_over_time({a="b"}[1m])', step="often", **RANGE), {400}, None),
        ("step too small (points)", q("/loki/api/v1/query_range", query='count_over_time({a="b"}[1m])', step="1ms", start="0", end=str(10**18)), {400}, None),
        ("direction sideways", q("/loki/api/v1/query_range", query='{a="b"}', direction="sideways", **RANGE), {400}, None),
        ("instant bad time", q("/loki/api/v1/query", query='{a="b"}', time="noon"), {400}, None),
        ("labels bad start", q("/loki/api/v1/labels", start="x"), {400}, None),
        ("label values bad end", q("/loki/api/v1/label/job/values", end="x"), {400}, None),
        ("series bad regexp matcher", q("/loki/api/v1/series", **{"match[]": '{a=~"("}', **RANGE}), {400}, "error parsing regexp"),
        ("series bad matcher", q("/loki/api/v1/series", **{"match[]": "{a=", **RANGE}), {400}, None),
        ("index stats bad query", q("/loki/api/v1/index/stats", query="nope", **RANGE), {400}, None),
        ("volume bad query", q("/loki/api/v1/index/volume", query="{", **RANGE), {400}, None),
        ("format_query bad", q("/loki/api/v1/format_query", query="sum("), {400}, None),
        ("bad percent escape", ("GET", "/loki/api/v1/query_range?query=%zz", {}, b""), {400}, None),
        # --- paths and methods
        ("unknown path", ("GET", "/loki/api/v1/nope", {}, b""), {404}, "404 page not found"),
        ("traversal in label name", ("GET", "/loki/api/v1/label/..%2F..%2Fetc/values", {}, b""), {200, 400, 404}, None),
        ("traversal raw path", ("GET", "/admin/../../etc/passwd", {}, b""), {404}, None),
        ("traversal root", ("GET", "/../../../../etc/passwd", {}, b""), {404}, None),
        ("encoded traversal", ("GET", "/loki/api/v1/%2e%2e/%2e%2e/etc/passwd", {}, b""), {404}, None),
        ("wrong method on push", ("GET", PUSH, {}, b""), {405}, None),
        ("wrong method on query_range", ("DELETE", "/loki/api/v1/query_range", {}, b""), {405}, None),
        ("wrong method on ready", ("PUT", "/ready", {}, b"x"), {405}, None),
        # --- tail
        ("tail without upgrade", ("GET", "/loki/api/v1/tail?query=%7Ba%3D%22b%22%7D", {}, b""), {400}, "websocket"),
    ]


def raw_cases():
    """(name, raw bytes or list of pieces, allowed statuses incl. DROP)."""
    huge_header = http_bytes("GET", "/ready", {"X-Big": "a" * (2 << 20)})
    many_headers = http_bytes("GET", "/ready", {("X-H%d" % i): "v" * 8 for i in range(100_000)})
    return [
        ("http/0.9 request", b"GET /\r\n\r\n", {400, DROP}),
        ("binary garbage", os.urandom(512).replace(b"\r\n\r\n", b"xxxx") + b"\r\n\r\n", {400, DROP}),
        ("null bytes", b"\0" * 1000 + b"\r\n\r\n", {400, DROP}),
        ("bad method token", b"G@T /ready HTTP/1.1\r\nHost: x\r\n\r\n", {400, DROP}),
        ("http/3.0 version", b"GET /ready HTTP/3.0\r\nHost: x\r\n\r\n", {400, 505, DROP}),
        ("header flood 100000 headers", many_headers, {400, 431, DROP}),
        ("one 2MB header", huge_header, {431, DROP}),
        ("100KB request target", b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", {400, 404, 414, 431, DROP}),
        ("content-length and chunked", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /ready HTTP/1.1\r\n\r\n", {400, DROP}),
        ("two content-lengths", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc", {400, DROP}),
        ("negative content-length", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", {400, DROP}),
        ("bad chunk size", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", {400, DROP}),
        ("header without colon", b"GET /ready HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", {400, DROP}),
        ("bare LF and CR soup", b"GET /ready HTTP/1.1\rHost: x\r\r\n\n\r\n", {400, DROP}),
        ("short body then close", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", {400, DROP}),
        ("nul in path", b"GET /re\0ady HTTP/1.1\r\nHost: x\r\n\r\n", {400, 404, DROP}),
    ] + limit_cases()


def fields(n, size=1):
    return b"".join(b"X-F%d: %s\r\n" % (i, b"v" * size) for i in range(n))


def ready(header_lines=b"", target=b"/ready"):
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + header_lines + b"\r\n"


def header_of_size(total):
    """A request whose header, through the blank line, is exactly `total` bytes, in fields of
    at most 60,000 bytes each."""
    lines = b""
    left = total - len(ready())
    i = 0
    while left > 0:
        name = b"X-P%d: " % i
        take = min(60_000, left - len(name) - 2)
        if take < 0:  # too little room for one more field: lengthen the previous one instead
            raise ValueError("unreachable size")
        lines += name + b"a" * take + b"\r\n"
        left -= len(name) + take + 2
        i += 1
    return ready(lines)


def chunked_push(extension):
    body = b'{"streams":[]}'
    return (b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + b"%x" % len(body) + extension + b"\r\n" + body + b"\r\n0\r\n\r\n")


def limit_cases():
    """One pair per size a client controls (server/http/http_limits.h): just under the limit is
    served, just over it is a clear 4xx. Issue 17: a field over Beast's 65,533-byte storage
    limit used to throw std::length_error out of the I/O thread and end the process."""
    value_limit, header_limit, field_limit, ext_limit = 65_533, 1 << 20, 1_000, 4_096
    frame = len(ready())  # request line, Host, Connection and the blank line
    return [
        ("field value 65533 bytes", ready(b"X-Big: " + b"a" * value_limit + b"\r\n"), {200}),
        ("field value 65534 bytes", ready(b"X-Big: " + b"a" * (value_limit + 1) + b"\r\n"), {431}),
        ("field value 200KB (issue 17)", ready(b"X-Big: " + b"a" * 200_000 + b"\r\n"), {431}),
        ("field name 65533 bytes", ready(b"X" * value_limit + b": v\r\n"), {200}),
        ("field name 65534 bytes", ready(b"X" * (value_limit + 1) + b": v\r\n"), {431}),
        ("header 1 MiB exactly", header_of_size(header_limit), {200}),
        ("header 1 MiB + 1 byte", header_of_size(header_limit + 1), {431}),
        ("%d header fields" % field_limit, ready(fields(field_limit - 2)), {200}),
        ("%d header fields" % (field_limit + 1), ready(fields(field_limit - 1)), {431}),
        ("request target 1 MiB - 1KB", ready(target=b"/ready?x=" + b"a" * (header_limit - 1024 - frame)), {200}),
        ("request target over 1 MiB", ready(target=b"/ready?x=" + b"a" * header_limit), {431}),
        ("chunk extension 4096 bytes", chunked_push(b";e=" + b"a" * (ext_limit - 3)), {204}),
        ("chunk extension 4097 bytes", chunked_push(b";e=" + b"a" * (ext_limit - 2)), {400}),
        ("chunk size line 2 MiB", chunked_push(b" " + b"0" * (2 << 20)), {400, DROP}),
        ("label name a path (%2F)", ready(target=b"/loki/api/v1/label/..%2F..%2Fetc%2Fpasswd/values"), {400}),
        ("label name valid", ready(target=b"/loki/api/v1/label/job/values"), {200}),
    ]


def masked_frame(opcode, payload, mask=b"abcd"):
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(payload))


def tail_cases(server, tally):
    port = server.port
    # Bad query: 400 before the upgrade (or a 1011 close after it, as Loki does).
    ws = WebSocket(port, "/loki/api/v1/tail?query=%7Bfoo%3D%7D")
    ok = ws.status == 400
    if ws.status == 101:
        msg = ws.recv_message()
        ok = msg[0] == "close" and msg[1] == 1011
    tally.check(ok, "tail bad query rejected (status %s)" % ws.status)
    ws.close()
    ws = WebSocket(port, "/loki/api/v1/tail?query=%7Ba%3D%22b%22%7D", {"Sec-WebSocket-Version": "7"})
    tally.check(ws.status in (400, 426), "tail bad websocket version -> %s" % ws.status)
    ws.close()
    ws = WebSocket(port, "/loki/api/v1/tail?query=%7Ba%3D%22b%22%7D&limit=abc")
    tally.check(ws.status == 400, "tail bad limit -> %s" % ws.status)
    ws.close()
    # Valid upgrade, then garbage frames: reserved opcode, unmasked, oversize length.
    for name, frame in [("reserved opcode", b"\x83\x80abcd"), ("unmasked frame", b"\x81\x05hello"),
                        ("2^63 length", b"\x81\xff" + b"\x7f" + b"\xff" * 7 + b"abcd"),
                        ("random bytes", os.urandom(256))]:
        ws = WebSocket(port, "/loki/api/v1/tail?query=%7Bjob%3D%22bad_input%22%7D&start=" + str(BASE_NS))
        if not tally.check(ws.status == 101, "tail upgrade for %s -> %s" % (name, ws.status)):
            ws.close()
            continue
        closed = False
        try:
            ws.send_raw(frame)
            deadline = time.time() + 10
            while time.time() < deadline:
                op, _ = ws.recv_frame()
                if op == 8:
                    closed = True
                    break
        except (ConnectionError, OSError):
            closed = True
        tally.check(closed, "tail %s: connection closed by the server" % name)
        ws.close()
    # Message size (server/http/http_limits.h: 64 KiB): just under is ignored like any client
    # message, just over closes with 1009 (message too big).
    for size, want_close in ((64 << 10, False), ((64 << 10) + 1, True)):
        ws = WebSocket(port, "/loki/api/v1/tail?query=%7Bjob%3D%22bad_input%22%7D&start=" + str(BASE_NS))
        if not tally.check(ws.status == 101, "tail upgrade for a %d-byte message -> %s" % (size, ws.status)):
            ws.close()
            continue
        ws.send_raw(masked_frame(1, b"m" * size))
        got = None
        try:
            deadline = time.time() + 10
            while time.time() < deadline:
                op, payload = ws.recv_frame()
                if op == 8:
                    got = ("close", struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None)
                    break
                if op == 9:  # the 1 s ping: the connection is alive after the message
                    got = ("ping", None)
                    break
        except (ConnectionError, OSError):
            got = ("dropped", None)
        ok = got == ("close", 1009) if want_close else got is not None and got[0] == "ping"
        tally.check(ok, "tail %d-byte client message -> %s" % (size, got))
        ws.close()


def slowloris(server, tally):
    """Headers one byte at a time: the server must cut the connection at its read timeout
    (2 s here) and keep answering others meanwhile."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=20)
    request = b"GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 200 + b"\r\n\r\n"
    started = time.time()
    cut = False
    served_meanwhile = []

    def others():
        for _ in range(5):
            try:
                served_meanwhile.append(server.get("/ready", timeout=2)[0])
            except OSError:
                served_meanwhile.append(None)
            time.sleep(0.2)

    t = threading.Thread(target=others)
    t.start()
    try:
        for b in request:
            s.sendall(bytes([b]))
            time.sleep(0.05)
            if time.time() - started > 15:
                break
    except (BrokenPipeError, ConnectionResetError):
        cut = True
    if not cut:
        s.settimeout(5)
        try:
            cut = s.recv(1024) in (b"",) or True  # any answer or EOF after the timeout
        except (ConnectionResetError, socket.timeout):
            cut = False
    elapsed = time.time() - started
    t.join()
    s.close()
    tally.check(cut and elapsed < 12, "slowloris cut after %.1fs (read timeout 2s)" % elapsed)
    tally.check(served_meanwhile and all(x == 200 for x in served_meanwhile),
                "others served during slowloris: %s" % served_meanwhile)


def main():
    tally = Tally()
    server = configured_server(CONFIG, "  http_server_read_timeout: 2s\n")
    try:
        server.start()
        values = [[str(BASE_NS + i), "before table line %d" % i] for i in range(500)]
        status, _ = server.push_json([{"stream": {"job": "bad_input"}, "values": values}])
        tally.check(status == 204, "seed push -> %d" % status)

        for name, (method, target, headers, body), allowed, text in cases():
            h = dict(headers)
            try:
                status, resp = raw_exchange(server.port, http_bytes(method, target, h, body), timeout=30)
            except OSError as e:
                status, resp = DROP, str(e).encode()
            ok = status in allowed and (text is None or text.encode() in resp)
            ok = ok and b"root:" not in resp
            tally.check(ok, "%-34s -> %s %s" % (name, status, resp[:120].decode("utf-8", "replace").strip()))
        for name, payload, allowed in raw_cases():
            try:
                status, resp = raw_exchange(server.port, payload, timeout=30)
            except OSError:
                status, resp = DROP, b""
            tally.check(status in allowed, "%-34s -> %s %s" % (name, status, resp[:80].decode("utf-8", "replace").strip()))
        tail_cases(server, tally)
        slowloris(server, tally)

        tally.check(server.proc.poll() is None, "server still running")
        status, metrics = server.get("/metrics")
        escaped = [l for l in metrics.decode().splitlines() if l.startswith("fenrir_escaped_exceptions_total")]
        tally.check(escaped == ["fenrir_escaped_exceptions_total 0"],
                    "no exception reached the I/O loop: %s" % escaped)
        status, _ = server.get("/ready")
        tally.check(status == 200, "/ready after the table -> %d" % status)
        result = server.query_range('{job="bad_input"}', BASE_NS, BASE_NS + 10**9, limit=1000)
        lines = sorted(v[1] for s in result for v in s["values"])
        tally.check(lines == sorted(v[1] for v in values),
                    "earlier pushed data intact: %d of %d entries" % (len(lines), len(values)))
    finally:
        server.close()
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())

"""Raw-socket helpers for the reliability tests: requests urllib cannot send (garbage, smuggling,
slow clients), a minimal WebSocket client for tail, and encoders for snappy and the push
protobuf (no third-party modules). Traffic goes to 127.0.0.1 only."""
import base64
import os
import socket
import struct
import time


def read_response(sock, timeout=10):
    """Reads one HTTP response. Returns (status, headers dict lower-cased, body) or
    (None, {}, b"") when the server closed or reset the connection without answering."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError, socket.timeout, ConnectionAbortedError):
        pass
    if b"\r\n\r\n" not in data:
        return None, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        return None, {}, b""
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    want = int(headers.get("content-length", "0") or 0)
    try:
        while len(body) < want:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    except (ConnectionResetError, socket.timeout, ConnectionAbortedError):
        pass
    return status, headers, body


def raw_exchange(port, payload, timeout=10, delay=0.0):
    """Sends payload (bytes, or a list of byte strings sent with `delay` seconds between them)
    and reads one response. Returns (status or None, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        parts = payload if isinstance(payload, list) else [payload]
        try:
            for p in parts:
                s.sendall(p)
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, _, body = read_response(s, timeout)
        return status, body


def http_bytes(method, target, headers=None, body=b"", version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, target, version), "Host: 127.0.0.1"]
    for k, v in (headers or {}).items():
        lines.append("%s: %s" % (k, v))
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k in (headers or {})):
        lines.append("Content-Length: %d" % len(body))
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --- snappy (block format, literals only: valid input for any decoder) ----------------------

def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def snappy_literal(data):
    out = bytearray(_varint(len(data)))
    pos = 0
    while pos < len(data):
        piece = data[pos:pos + 65536]
        n = len(piece) - 1
        if n < 60:
            out.append(n << 2)
        elif n < 256:
            out += bytes([60 << 2, n])
        else:
            out += bytes([61 << 2]) + struct.pack("<H", n)
        out += piece
        pos += len(piece)
    return bytes(out)


# --- the push protobuf (logproto.PushRequest) -----------------------------------------------

def _field(num, wire, payload):
    key = _varint((num << 3) | wire)
    if wire == 2:
        return key + _varint(len(payload)) + payload
    return key + payload


def proto_push(streams):
    """streams: [(label_text, [(ts_ns, line), ...]), ...] -> serialized PushRequest."""
    out = b""
    for labels, entries in streams:
        s = _field(1, 2, labels if isinstance(labels, bytes) else labels.encode())
        for ts, line in entries:
            stamp = _field(1, 0, _varint(ts // 10**9)) + _field(2, 0, _varint(ts % 10**9))
            e = _field(1, 2, stamp) + _field(2, 2, line.encode() if isinstance(line, str) else line)
            s += _field(2, 2, e)
        out += _field(1, 2, s)
    return out


# --- a minimal WebSocket client (RFC 6455) ---------------------------------------------------

class WebSocket:
    def __init__(self, port, target, headers=None, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        h = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
             "Sec-WebSocket-Version": "13"}
        h.update(headers or {})
        lines = ["GET %s HTTP/1.1" % target, "Host: 127.0.0.1"] + ["%s: %s" % kv for kv in h.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers, self.body = read_response(self.sock, timeout)
        # After a 101 the bytes past the headers are already frames.
        self.buf = self.body if self.status == 101 else b""

    def _recv_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        """Returns (opcode, payload). Skips nothing: pings come back as opcode 9."""
        b0, b1 = self._recv_exact(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._recv_exact(8))[0]
        mask = self._recv_exact(4) if b1 & 0x80 else None
        payload = self._recv_exact(n)
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return b0 & 0x0F, payload

    def recv_message(self, timeout=10):
        """Next text message or close frame: ("text", str) / ("close", code, reason)."""
        self.sock.settimeout(timeout)
        while True:
            op, payload = self.recv_frame()
            if op == 1:
                return ("text", payload.decode("utf-8", "replace"))
            if op == 8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None
                return ("close", code, payload[2:].decode("utf-8", "replace"))

    def send_raw(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def configured_server(extra_config="", server_section="", auth=False, limits=None):
    """A fenrir.Fenrir whose config also carries `server_section` lines under server: (the
    harness writes that section itself) and `extra_config` at top level."""
    from fenrir import PERMISSIVE_LIMITS, Fenrir
    srv = Fenrir(limits if limits is not None else PERMISSIVE_LIMITS, auth=auth)
    with open(srv.config, "w") as f:
        f.write("auth_enabled: %s\nserver:\n  http_listen_address: 127.0.0.1\n"
                "  http_listen_port: %d\n%scommon:\n  path_prefix: %s\n%s%s"
                % ("true" if auth else "false", srv.port, server_section, srv.data,
                   limits if limits is not None else PERMISSIVE_LIMITS, extra_config))
    return srv

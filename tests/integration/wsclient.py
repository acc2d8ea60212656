"""A minimal WebSocket client (RFC 6455) on the Python standard library: handshake, masked
client frames, frame parsing with fragmentation, automatic pong replies, close codes."""
import base64
import os
import socket
import struct
import time
import urllib.parse


class Closed(Exception):
    def __init__(self, code, reason):
        super().__init__("closed %s %r" % (code, reason))
        self.code = code
        self.reason = reason


class WebSocket:
    def __init__(self, url, headers=None, timeout=10, rcvbuf=None):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((u.hostname, u.port or 80))
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (u.hostname, u.port or 80),
                 "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + key,
                 "Sec-WebSocket-Version: 13"]
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("connection closed during handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status_line = head.split(b"\r\n")[0].decode()
        self.status = int(status_line.split()[1])
        self.handshake_body = b""
        if self.status != 101:
            self.handshake_body = self.buf
            raise ConnectionError("handshake failed: " + status_line)
        self.pings = 0

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed(1006, "")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, payload=b""):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def recv(self, deadline=None):
        """Next text/binary message as str/bytes; raises Closed on a close frame and
        TimeoutError once `deadline` (time.time()) passes between frames."""
        message, first_op = b"", None
        while True:
            if deadline is not None:
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError("deadline")
                self.sock.settimeout(left)
            b0, b1 = self._read(2)
            fin, op = b0 & 0x80, b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if op == 0x9:  # ping
                self.pings += 1
                self._send_frame(0xA, payload)
                continue
            if op == 0xA:
                continue
            if op == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                reason = payload[2:].decode("utf-8", "replace")
                try:
                    self._send_frame(0x8, payload[:2])
                except OSError:
                    pass
                raise Closed(code, reason)
            if op in (0x1, 0x2):
                first_op = op
            message += payload
            if fin:
                return message.decode("utf-8") if first_op == 0x1 else message

    def close(self, code=1000):
        try:
            self._send_frame(0x8, struct.pack(">H", code))
        except OSError:
            pass
        self.sock.close()

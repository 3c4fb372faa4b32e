#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Two-way flows for stateful tests: conntrack calls a flow established only
once it has seen the reply, so each end answers.

  flowpeer.py udp-echo ADDR PORT   echoes every datagram from ADDR (the
                                   address the flow is to, as its reply
                                   must come from); prints "ready", then
                                   on each stdin line the count received
                                   since the last one
  flowpeer.py udp-send ADDR PORT SPORT COUNT PPS
                                   COUNT datagrams from source port SPORT
                                   (the same 5-tuple every run); prints the
                                   echoes received
  flowpeer.py tcp-recv PORT TIMEOUT
                                   one connection read to its end; prints
                                   "BYTES SHA256", or "timeout BYTES"
  flowpeer.py tcp-send ADDR PORT NBYTES TIMEOUT
                                   sends NBYTES, half-closes and waits for
                                   the peer's close; prints "SHA256 closed"
                                   or "SHA256 timeout" (a teardown that hung)
"""
import hashlib
import socket
import sys
import threading
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def udp_echo(addr, port):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((addr, port))
    count = [0]

    def serve():
        while True:
            data, peer = s.recvfrom(65536)
            count[0] += 1
            s.sendto(data, peer)

    threading.Thread(target=serve, daemon=True).start()
    print("ready", flush=True)
    for _ in sys.stdin:
        time.sleep(0.3)  # the stream's tail
        print(count[0], flush=True)
        count[0] = 0


def udp_send(addr, port, sport, count, pps):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("", sport))
    s.setblocking(False)
    echoes = 0
    t0 = time.monotonic()
    for i in range(count):
        s.sendto(i.to_bytes(4, "big") + b"u" * 60, (addr, port))
        while True:
            try:
                s.recv(65536)
                echoes += 1
            except BlockingIOError:
                break
        delay = t0 + (i + 1) / pps - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    end = time.monotonic() + 0.5
    s.settimeout(0.1)
    while echoes < count and time.monotonic() < end:
        try:
            s.recv(65536)
            echoes += 1
        except socket.timeout:
            pass
    print(echoes, flush=True)


def payload(n):
    """n bytes that are not all alike, the same at both ends' checks."""
    block = hashlib.sha256(b"xdp-router").digest() * 2048  # 64 KiB
    out = bytearray()
    while len(out) < n:
        out += block
    return bytes(out[:n])


def tcp_recv(port, timeout):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("::", port))
    srv.listen(1)
    print("ready", flush=True)
    c, _ = srv.accept()
    c.settimeout(timeout)
    h, n = hashlib.sha256(), 0
    try:
        while True:
            data = c.recv(1 << 16)
            if not data:
                break
            h.update(data)
            n += len(data)
    except socket.timeout:
        print(f"timeout {n}", flush=True)
        return
    c.close()
    print(f"{n} {h.hexdigest()}", flush=True)


def tcp_send(addr, port, nbytes, timeout):
    data = payload(nbytes)
    c = socket.create_connection((addr, port), timeout=timeout)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    state = "closed"
    try:
        while c.recv(1 << 16):
            pass
    except socket.timeout:
        state = "timeout"
    print(f"{hashlib.sha256(data).hexdigest()} {state}", flush=True)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "udp-echo":
        udp_echo(args[0], int(args[1]))
    elif mode == "udp-send":
        udp_send(args[0], int(args[1]), int(args[2]), int(args[3]),
                 float(args[4]))
    elif mode == "tcp-recv":
        tcp_recv(int(args[0]), float(args[1]))
    elif mode == "tcp-send":
        tcp_send(args[0], int(args[1]), int(args[2]), float(args[3]))
    else:
        sys.exit(f"unknown mode {mode}")

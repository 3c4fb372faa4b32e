#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hostile clients for a daemon's sockets.

  garbage.py unix PATH LINE         one request (backslash escapes decoded);
                                    prints the answer or the errno name
  garbage.py http HOST PORT COUNT   COUNT connections of garbage, overlong
                                    headers, wrong methods and unfinished
                                    requests; prints how many were answered
  garbage.py hold HOST PORT HOLD EXTRA  HOLD idle connections, then EXTRA
                                    more and a GET /metrics; prints JSON:
                                    how many of each the server closed
"""
import codecs
import errno
import json
import os
import random
import socket
import sys


def unix(path, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
        return
    s.sendall(codecs.decode(line, "unicode_escape").encode("latin-1"))
    s.settimeout(10)
    out = b""
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            print("ECONNRESET", out)
            return
        if not b:
            break
        out += b
    print(out.decode(errors="replace").strip() or "EOF")


def http(host, port, count):
    rnd = random.Random(16)
    answered = 0
    kinds = [
        lambda: bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 600))),
        lambda: b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n",
        lambda: b"POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
        lambda: b"GET /" + b"x" * rnd.randrange(1, 3000) + b" HTTP/1.0\r\n\r\n",
        lambda: b"GET /metrics HTTP/1.1\r\nHost: a\r\n",  # unfinished
        lambda: b"\r\n" * rnd.randrange(1, 100),
    ]
    for i in range(count):
        s = socket.create_connection((host, port), timeout=5)
        try:
            s.sendall(kinds[i % len(kinds)]())
            if i % len(kinds) != 4:  # the unfinished one just goes away
                s.shutdown(socket.SHUT_WR)
                s.settimeout(2)
                if s.recv(1):
                    answered += 1
        except OSError:  # reset, broken pipe, timeout: the server hung up
            pass
        s.close()
    print(answered)


def closed_by_server(s, wait):
    """True if the server closed s (EOF or reset) within wait seconds."""
    s.settimeout(wait)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def hold(host, port, held, extra):
    idle = [socket.create_connection((host, port), timeout=5)
            for _ in range(held)]
    more = [socket.create_connection((host, port), timeout=5)
            for _ in range(extra)]
    get = socket.create_connection((host, port), timeout=5)
    try:
        get.sendall(b"GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        got = get.recv(12)
    except OSError:
        got = b""
    out = {"extra_closed": sum(closed_by_server(s, 2) for s in more),
           "scrape_while_full": got.decode(errors="replace"),
           # the idle ones are still open (their 5 s idle limit is later)
           "held_closed": sum(closed_by_server(s, 0.2) for s in idle)}
    for s in idle + more + [get]:
        s.close()
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "unix":
        unix(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "hold":
        hold(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             int(sys.argv[5]))
    else:
        http(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A counted UDP stream for the labs.

  udpstream.py recv PORT IDLE_SECONDS      prints the count received, after
                                           IDLE_SECONDS without a packet
  udpstream.py send ADDR PORT COUNT [PPS]  sends COUNT numbered datagrams
"""
import socket
import sys
import time


def recv(port, idle):
    fam = socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("::", port))
    s.settimeout(30)  # the first packet may take a while
    seen = set()
    print("ready", flush=True)
    try:
        while True:
            data = s.recv(2048)
            seen.add(int.from_bytes(data[:4], "big"))
            s.settimeout(idle)
    except socket.timeout:
        pass
    print(len(seen), flush=True)


def send(addr, port, count, pps):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    gap = 1.0 / pps if pps else 0
    t0 = time.monotonic()
    for i in range(count):
        s.sendto(i.to_bytes(4, "big") + b"p" * 60, (addr, port))
        if gap:
            delay = t0 + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), float(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             float(sys.argv[5]) if len(sys.argv) > 5 else 0)

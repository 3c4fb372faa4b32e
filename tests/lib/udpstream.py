#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A counted UDP stream for the labs.

  udpstream.py recv PORT IDLE_SECONDS [FIRST_SECONDS]
                                           prints the count received, after
                                           IDLE_SECONDS without a packet (or
                                           FIRST_SECONDS, 30, before the
                                           first), then "SECONDS BYTES" from
                                           the first to the last datagram
  udpstream.py send ADDR PORT COUNT [PPS [SIZE]]
                                           sends COUNT numbered datagrams of
                                           SIZE bytes (64)
"""
import os
import socket
import subprocess
import sys
import time


def recv(port, idle, first_wait=30.0):
    fam = socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("::", port))
    s.settimeout(first_wait)  # the first packet may take a while
    seen = set()
    first = last = None
    nbytes = 0
    print("ready", flush=True)
    try:
        while True:
            data = s.recv(65536)
            last = time.monotonic()
            first = first or last
            nbytes += len(data)
            seen.add(int.from_bytes(data[:4], "big"))
            s.settimeout(idle)
    except socket.timeout:
        pass
    print(len(seen), flush=True)
    print(f"{(last - first) if first else 0:.6f} {nbytes}", flush=True)


def send(addr, port, count, pps, size=64):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    gap = 1.0 / pps if pps else 0
    t0 = time.monotonic()
    for i in range(count):
        s.sendto(i.to_bytes(4, "big") + b"p" * (size - 4), (addr, port))
        if gap:
            delay = t0 + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def between(rx_ns, tx_ns, addr, count, pps, idle, script=None, port=5001):
    """COUNT datagrams from namespace tx_ns to addr, counted by a receiver
    in rx_ns (tests/lib/xrtest.py Netns): the number received. script: a
    copy of this file where the default path is not readable."""
    return spread([rx_ns], tx_ns, addr, count, pps, idle, script, port,
                  first_wait=30)[0]


def spread(rx_nss, tx_ns, addr, count, pps, idle, script=None, port=5001,
           first_wait=None):
    """between() with a receiver in each of rx_nss, for an address that
    more than one of them holds: the number each received. A receiver that
    gets nothing gives up after first_wait seconds, by default once the
    stream has had time to arrive."""
    script = script or os.path.abspath(__file__)
    first = first_wait or (count / pps + idle + 1 if pps else 30)
    rxs = [subprocess.Popen(ns.nsenter() + [
        "/usr/bin/python3", script, "recv", str(port), str(idle), str(first)],
        stdout=subprocess.PIPE, text=True) for ns in rx_nss]
    for rx in rxs:
        rx.stdout.readline()  # ready
    tx_ns.run(f"/usr/bin/python3 {script} send {addr} {port} {count} {pps}")
    got = [int(rx.stdout.readline()) for rx in rxs]
    for rx in rxs:
        rx.wait()
    return got


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), float(sys.argv[3]),
             float(sys.argv[4]) if len(sys.argv) > 4 else 30.0)
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             float(sys.argv[5]) if len(sys.argv) > 5 else 0,
             int(sys.argv[6]) if len(sys.argv) > 6 else 64)

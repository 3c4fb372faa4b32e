#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A numbered, timestamped UDP stream over many flows, for the labs.

  flows.py recv PORT IDLE_SECONDS
      prints "ready", then after IDLE_SECONDS without a packet one JSON
      line: {"received": unique count, "holes": [[t_before, t_after,
      n_missing], ...]}: the gaps within each flow, t_* the sender's
      CLOCK_MONOTONIC stamps (shared by every namespace) of the packets
      around the gap; "lost_at_edges": packets lost before a flow's first
      or after its last received packet (their time is unknown).
  flows.py send ADDR PORT COUNT PPS FLOWS
      sends COUNT datagrams at PPS, round-robin over FLOWS source ports
      (so ECMP hashing on L4 spreads them).
"""
import json
import socket
import struct
import sys
import time

HDR = struct.Struct("!IdHI")  # sequence, send time, flows, count


def recv(port, idle):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("::", port))
    s.settimeout(30)  # the first packet may take a while
    seen = {}
    flows, count = 1, 0
    print("ready", flush=True)
    try:
        while True:
            data = s.recv(2048)
            seq, t, flows, count = HDR.unpack_from(data)
            seen[seq] = t
            s.settimeout(idle)
    except socket.timeout:
        pass
    # A flow's packets are seq = flow (mod flows); a hole is a gap in one
    # flow, so a path failure that hits some flows only shows in full.
    holes = []
    by_flow = {}
    for seq in sorted(seen):
        by_flow.setdefault(seq % flows, []).append(seq)
    edges = 0  # lost before a flow's first or after its last packet
    for f in range(flows if seen else 0):
        seqs = by_flow.get(f, [])
        if not seqs:
            edges += len(range(f, count, flows))
            continue
        edges += (seqs[0] - f) // flows + len(range(seqs[-1] + flows, count,
                                                    flows))
        for a, b in zip(seqs, seqs[1:]):
            if b - a > flows:
                holes.append([seen[a], seen[b], (b - a) // flows - 1])
    print(json.dumps({"received": len(seen), "holes": holes,
                      "lost_at_edges": edges}), flush=True)


def send(addr, port, count, pps, flows):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    socks = [socket.socket(fam, socket.SOCK_DGRAM) for _ in range(flows)]
    gap = 1.0 / pps
    pad = b"f" * 64
    t0 = time.monotonic()
    for i in range(count):
        now = time.monotonic()
        try:
            socks[i % flows].sendto(HDR.pack(i, now, flows, count) + pad, (addr, port))
        except OSError:
            pass  # no route for a moment: that packet is lost, counted
        delay = t0 + (i + 1) * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(int(sys.argv[2]), float(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             float(sys.argv[5]), int(sys.argv[6]))

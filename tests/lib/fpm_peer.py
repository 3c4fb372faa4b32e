#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A would-be FPM peer: connects to xdp-routerd's FPM port, sends one frame
with an RTM_NEWROUTE blackhole for ADDR/32, holds the connection a second
and reconnects once a second, for SECONDS. Prints how many connections it made and how
many the daemon closed on it unread.

  fpm_peer.py HOST PORT ADDR SECONDS [--once]
"""
import socket
import struct
import sys
import time

RTM_NEWROUTE, RTN_BLACKHOLE, RTA_DST = 24, 6, 1
NLM_F_REQUEST, NLM_F_CREATE, NLM_F_REPLACE = 1, 0x400, 0x100


def blackhole_frame(addr):
    rta = struct.pack("=HH", 8, RTA_DST) + socket.inet_aton(addr)
    # family, dst_len, src_len, tos, table, protocol (static), scope, type
    rtm = struct.pack("=BBBBBBBBI", socket.AF_INET, 32, 0, 0, 254, 196, 0,
                      RTN_BLACKHOLE, 0)
    body = rtm + rta
    nl = struct.pack("=IHHII", 16 + len(body), RTM_NEWROUTE,
                     NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE, 0, 0)
    msg = nl + body
    return struct.pack("!BBH", 1, 1, 4 + len(msg)) + msg


def main():
    host, port, addr, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        float(sys.argv[4])
    once = "--once" in sys.argv
    frame = blackhole_frame(addr)
    made = closed = 0
    end = time.monotonic() + seconds
    while True:
        t0 = time.monotonic()
        s = socket.create_connection((host, port), timeout=2)
        made += 1
        s.sendall(frame)
        s.settimeout(1.0)
        try:
            if s.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except ConnectionResetError:
            closed += 1
        if once:
            # hold it: the test looks at the daemon while we are its peer
            print(made, closed, flush=True)
            sys.stdin.read()
            return
        s.close()
        if time.monotonic() >= end:
            break
        time.sleep(max(0.0, t0 + 1.0 - time.monotonic()))
    print(made, closed, flush=True)


if __name__ == "__main__":
    main()

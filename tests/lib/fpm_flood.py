#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""An FPM peer driven line by line on stdin, for floods and broken streams.
Run it where the daemon's FPM port is (nsenter into its namespace); each
command answers one line on stdout ("ok ..." or "closed").

  fpm_flood.py HOST PORT
    connect                       a new connection (replaces the current)
    route PREFIX GW OIF           a unicast route by an inline gateway
    flood N [PATHS] [NHID] [OIF] [BASE]
                                  N /32s from BASE (11.0.0.0), packed into
                                  frames at the length limit; PATHS inline
                                  paths each (via 10.0.2.2, .3... on OIF,
                                  default 1), or NHID: a nexthop id
    nhroute PREFIX NHID           a unicast route by a nexthop object
    encaproute PREFIX GW OIF      a route by GW with an MPLS encapsulation
    throwroute PREFIX             a throw route (a type the fast path lacks)
    encapnh ID GW OIF [fdb]       a nexthop by GW with an MPLS encapsulation,
                                  or flagged NHA_FDB (EVPN)
    paths PREFIX N OIF            a route of N inline paths, 10.0.2.2.. on OIF
    nexthops N FIRST [OIF GW NGW] N nexthop objects, ids FIRST..: blackholes,
                                  or by gateways GW, GW+1... GW+NGW-1 on OIF
    groups N FIRST SIZE MFIRST MSPAN
                                  N groups, ids FIRST.., of SIZE members
                                  each, group i naming MFIRST + (i + k) %
                                  MSPAN for k < SIZE (MSPAN >= SIZE)
    flap ID N MFIRST SIZE [OTHER] N replacements of group ID in one frame,
                                  its members OTHER.. (MFIRST+1.. unless
                                  given) and MFIRST.. in turn, MFIRST.. last
    bigframe                      one frame of exactly 65535 bytes
    partial                       the first 100 bytes of a 65535-byte frame,
                                  then nothing
    wait_closed SECONDS           until the daemon closes us: "closed T"
"""
import socket
import struct
import sys
import time

FPM_MAX = 65535
RTM_NEWROUTE, RTM_NEWNEXTHOP = 24, 104
RTN_UNICAST, RTN_BLACKHOLE, RTN_THROW = 1, 6, 9
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_MULTIPATH, RTA_NH_ID = 1, 4, 5, 9, 30
NHA_ID, NHA_GROUP, NHA_BLACKHOLE, NHA_OIF, NHA_GATEWAY = 1, 2, 4, 5, 6
RTA_ENCAP_TYPE, RTA_ENCAP = 21, 22
NHA_ENCAP_TYPE, NHA_ENCAP, NHA_FDB = 8, 9, 11
F_REQ_CREATE_REPLACE = 1 | 0x400 | 0x100
# LWTUNNEL_ENCAP_MPLS, and its MPLS_IPTUNNEL_DST: label 100, bottom of stack
ENCAP_MPLS = struct.pack("=H", 1)
MPLS_LABEL_100 = struct.pack("!I", 100 << 12 | 0x100)


def rta(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def nlmsg(kind, body):
    return struct.pack("=IHHII", 16 + len(body), kind, F_REQ_CREATE_REPLACE,
                       0, 0) + body


def encap(kind_type, kind):
    """An MPLS push of one label, as zebra sends one (nested, type first)."""
    return rta(kind_type, ENCAP_MPLS) + \
        rta(kind | 0x8000, rta(1, MPLS_LABEL_100))


def route(dst, plen, gw=None, oif=0, paths=0, nhid=0, blackhole=False,
          mpls=False, rtype=None):
    rtype = rtype or (RTN_BLACKHOLE if blackhole else RTN_UNICAST)
    body = struct.pack("=BBBBBBBBI", socket.AF_INET, plen, 0, 0, 254, 196,
                       0, rtype, 0) + rta(RTA_DST, socket.inet_aton(dst))
    if nhid:
        body += rta(RTA_NH_ID, struct.pack("=I", nhid))
    elif paths:
        hops = b""
        for i in range(paths):
            via = rta(RTA_GATEWAY, socket.inet_aton(f"10.0.2.{2 + i}"))
            hops += struct.pack("=HBBi", 8 + len(via), 0, 0, oif) + via
        body += rta(RTA_MULTIPATH, hops)
    elif gw:
        body += rta(RTA_GATEWAY, socket.inet_aton(gw)) + \
            rta(RTA_OIF, struct.pack("=i", oif))
    if mpls:
        body += encap(RTA_ENCAP_TYPE, RTA_ENCAP)
    return nlmsg(RTM_NEWROUTE, body)


def nexthop(nid, gw=None, oif=0, mpls=False, fdb=False):
    body = struct.pack("=BBBBI", socket.AF_INET, 0, 0, 0, 0) + \
        rta(NHA_ID, struct.pack("=I", nid))
    if gw:
        body += rta(NHA_GATEWAY, socket.inet_aton(gw)) + \
            rta(NHA_OIF, struct.pack("=I", oif))
    else:
        body += rta(NHA_BLACKHOLE, b"")
    if mpls:
        body += encap(NHA_ENCAP_TYPE, NHA_ENCAP)
    if fdb:
        body += rta(NHA_FDB, b"")
    return nlmsg(RTM_NEWNEXTHOP, body)


def group(nid, members):
    """struct nexthop_grp {id, weight, weight_high, resvd}: weight 1 each."""
    body = struct.pack("=BBBBI", socket.AF_UNSPEC, 0, 0, 0, 0) + \
        rta(NHA_ID, struct.pack("=I", nid)) + \
        rta(NHA_GROUP, b"".join(struct.pack("=IBBH", m, 0, 0, 0)
                                for m in members))
    return nlmsg(RTM_NEWNEXTHOP, body)


def frame(msgs):
    return struct.pack("!BBH", 1, 1, 4 + len(msgs)) + msgs


def frames(msgs):
    """Netlink messages packed into frames as close to 65535 as they go."""
    out, cur = [], b""
    for m in msgs:
        if 4 + len(cur) + len(m) > FPM_MAX:
            out.append(frame(cur))
            cur = b""
        cur += m
    if cur:
        out.append(frame(cur))
    return out


def addr(i, base=11 << 24):
    return socket.inet_ntoa(struct.pack("!I", base + i))


def ip_int(a):
    return struct.unpack("!I", socket.inet_aton(a))[0]


def bigframe():
    """Exactly 65535 bytes: /32 routes, the last one padded to fit."""
    msgs, i = b"", 0
    one = len(route(addr(0), 32, blackhole=True))
    while 4 + len(msgs) + 2 * one <= FPM_MAX:
        msgs += route(addr(0xE00000 + i), 32, blackhole=True)
        i += 1
    last = route(addr(0xE00000 + i), 32, blackhole=True)
    pad = FPM_MAX - 4 - len(msgs) - len(last)
    # an unknown attribute (type 0x7fff) takes the rest, unpadded: the
    # frame ends where the message does
    last = nlmsg(RTM_NEWROUTE, last[16:] + struct.pack("=HH", pad, 0x7fff) +
                 b"\0" * (pad - 4))
    f = frame(msgs + last)
    assert len(f) == FPM_MAX, len(f)
    return f, i + 1


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    s = None
    for line in sys.stdin:
        a = line.split()
        if not a:
            continue
        t0 = time.monotonic()
        if a[0] == "connect":
            if s:
                s.close()
            s = socket.create_connection((host, port), timeout=10)
            out = "ok"
        elif a[0] == "route":
            p, plen = a[1].split("/")
            s.sendall(frame(route(p, int(plen), gw=a[2], oif=int(a[3]))))
            out = "ok"
        elif a[0] == "flood":
            n = int(a[1])
            paths = int(a[2]) if len(a) > 2 else 0
            nhid = int(a[3]) if len(a) > 3 else 0
            oif = int(a[4]) if len(a) > 4 else 1
            base = ip_int(a[5]) if len(a) > 5 else 11 << 24
            fs = frames(route(addr(i, base), 32, gw="10.0.2.2", oif=oif,
                              paths=paths, nhid=nhid) for i in range(n))
            for f in fs:
                s.sendall(f)
            out = f"ok {len(fs)} frames {time.monotonic() - t0:.3f}s"
        elif a[0] == "nhroute":
            p, plen = a[1].split("/")
            s.sendall(frame(route(p, int(plen), nhid=int(a[2]))))
            out = "ok"
        elif a[0] == "encaproute":
            p, plen = a[1].split("/")
            s.sendall(frame(route(p, int(plen), gw=a[2], oif=int(a[3]),
                                  mpls=True)))
            out = "ok"
        elif a[0] == "throwroute":
            p, plen = a[1].split("/")
            s.sendall(frame(route(p, int(plen), rtype=RTN_THROW)))
            out = "ok"
        elif a[0] == "encapnh":
            fdb = len(a) > 4 and a[4] == "fdb"
            s.sendall(frame(nexthop(int(a[1]), a[2], int(a[3]),
                                    mpls=not fdb, fdb=fdb)))
            out = "ok"
        elif a[0] == "paths":
            p, plen = a[1].split("/")
            s.sendall(frame(route(p, int(plen), oif=int(a[3]),
                                  paths=int(a[2]))))
            out = "ok"
        elif a[0] == "nexthops":
            n, first = int(a[1]), int(a[2])
            if len(a) > 3:
                oif, gw, ngw = int(a[3]), ip_int(a[4]), int(a[5])
                msgs = (nexthop(first + i, addr(i % ngw, gw), oif)
                        for i in range(n))
            else:
                msgs = (nexthop(first + i) for i in range(n))
            fs = frames(msgs)
            for f in fs:
                s.sendall(f)
            out = f"ok {len(fs)} frames"
        elif a[0] == "groups":
            n, first, size, mfirst, mspan = map(int, a[1:6])
            fs = frames(group(first + i, [mfirst + (i + k) % mspan
                                          for k in range(size)])
                        for i in range(n))
            for f in fs:
                s.sendall(f)
            out = f"ok {len(fs)} frames"
        elif a[0] == "flap":
            gid, n, mfirst, size = map(int, a[1:5])
            other = int(a[5]) if len(a) > 5 else mfirst + 1
            fs = frames(group(gid, [(mfirst if (n - 1 - i) % 2 == 0
                                     else other) + k for k in range(size)])
                        for i in range(n))
            for f in fs:
                s.sendall(f)
            out = f"ok {len(fs)} frames"
        elif a[0] == "bigframe":
            f, n = bigframe()
            s.sendall(f)
            out = f"ok {len(f)} bytes {n} routes"
        elif a[0] == "partial":
            f, _ = bigframe()
            s.sendall(f[:100])
            out = "ok"
        elif a[0] == "wait_closed":
            s.settimeout(float(a[1]))
            try:
                closed = s.recv(1) == b""
            except socket.timeout:
                closed = False
            except ConnectionResetError:
                closed = True
            out = (f"closed {time.monotonic() - t0:.2f}" if closed
                   else "open")
        else:
            out = f"unknown command {a[0]}"
        print(out, flush=True)


if __name__ == "__main__":
    main()

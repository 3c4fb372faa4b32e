#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Raw frames in and out of an interface (AF_PACKET), for the
differential check. No scapy here: it starts in a blink.

  rawio.py send IFNAME FILE PPS
      sends the frames of FILE (one hex frame a line) at PPS
  rawio.py capture IFNAME OUTFILE IDLE
      prints "ready", then writes every frame IFNAME receives (not what
      it sends) to OUTFILE, one hex frame a line, and exits after IDLE
      seconds without a frame that counts: link-layer chatter (ARP,
      neighbour discovery, MLD) is neither kept nor waited for.
"""
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def chatter(f):
    """ARP, IPv6 ND/MLD/RS/RA and LLDP-like frames: not the test's."""
    et = int.from_bytes(f[12:14], "big")
    if et != 0x0800 and et != 0x86DD:
        return True
    if et == 0x86DD and len(f) > 54:
        nh, off = f[20], 54
        if nh == 0:  # hop-by-hop (MLD carries router alert)
            nh, off = f[54], 54 + (f[55] + 1) * 8
        if nh == 58 and len(f) > off and f[off] in (130, 131, 132, 133, 134,
                                                      135, 136, 137, 143):
            return True
    return False


def send(ifname, path, pps):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    frames = [bytes.fromhex(ln) for ln in open(path) if ln.strip()]
    gap = 1.0 / pps
    t0 = time.monotonic()
    for i, f in enumerate(frames):
        s.send(f)
        delay = t0 + (i + 1) * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def capture(ifname, out, idle):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
    s.bind((ifname, 0))
    s.settimeout(0.1)
    frames = []
    print("ready", flush=True)
    last = time.monotonic()
    while time.monotonic() - last < idle:
        try:
            f, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or chatter(f):
            continue
        frames.append(f.hex())
        last = time.monotonic()
    with open(out, "w") as fh:
        fh.write("\n".join(frames) + ("\n" if frames else ""))
    print(len(frames), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        capture(sys.argv[2], sys.argv[3], float(sys.argv[4]))

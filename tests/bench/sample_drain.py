# SPDX-License-Identifier: GPL-2.0-only
"""Drains the flow-sample ring of the sampling pin dir for the whole run,
as the daemon's sFlow/IPFIX exporter does (export/sample_ring.c, the same
code through xr-dpctl's `samples` command), so the program's submits find
room and the mode measures sampling as deployed, not a full ring. Runs on
the generator's CPU, never the router's: on a router the exporter runs
beside the forwarding cores. What could not be written (ring_full) is
counted by the program and reported."""
import subprocess
import threading

import topology as topo
from router_modes import nsenter

PERIOD_S = 0.05  # 1:1000 of ~1.2 Mpps is ~60 records per drain


class Drainer:
    def __init__(self, router, pin):
        self.p = subprocess.Popen(
            f"{nsenter(router.t.rtr)} taskset -c {topo.GEN_CPU} "
            f"{router.dpctl} --pin {pin} -", shell=True, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.lock = threading.Lock()
        self.drained = 0
        self.sampled = 0
        self.ring_full = 0
        self.stop = threading.Event()
        self.t = threading.Thread(target=self._loop, daemon=True)
        self.t.start()

    def _drain_once(self):
        self.p.stdin.write("samples\n")
        self.p.stdin.flush()
        n = 0
        while True:
            ln = self.p.stdout.readline()
            if not ln:
                raise RuntimeError("xr-dpctl samples: ended")
            if ln.startswith("err"):
                raise RuntimeError(f"xr-dpctl samples: {ln.strip()}")
            if ln.startswith("end "):
                f = ln.split()
                with self.lock:
                    self.drained += int(f[1])
                    self.sampled = int(f[3])
                    self.ring_full = int(f[5])
                return n
            if not ln.startswith("ok"):
                n += 1

    def _loop(self):
        while not self.stop.wait(PERIOD_S):
            self._drain_once()

    def stats(self):
        """{drained, sampled, ring_full} so far (the last two are the
        program's own per-CPU counters, summed)."""
        with self.lock:
            return {"drained": self.drained, "sampled": self.sampled,
                    "ring_full": self.ring_full}

    def close(self):
        self.stop.set()
        self.t.join()
        self._drain_once()
        self.p.stdin.close()
        self.p.wait(timeout=10)
        return self.stats()

# SPDX-License-Identifier: GPL-2.0-only
"""One FRR instance per network namespace, configured through vtysh, and
xdp-routerd beside it: what the labs, the demo and the e2e tests start."""

import json
import os
import shutil
import signal
import subprocess
import tempfile

from xrtest import sh, wait_for

FRR = "/usr/lib/frr"


class Frr:
    """zebra (with dplane_fpm_nl) and the given daemons in netns ns."""

    def __init__(self, ns, daemons=("staticd",), fpm=True, config="",
                 zebra_args=()):
        self.ns = ns
        self.daemons = ("zebra",) + tuple(daemons)
        self.dir = tempfile.mkdtemp(prefix=f"frr-{ns.name}.")
        zebra_conf = "log file %s/zebra.log informational\n" % self.dir
        if fpm:
            zebra_conf += "fpm address 127.0.0.1\n"
        self.write("zebra.conf", zebra_conf)
        for d in daemons:
            self.write(f"{d}.conf", "")
        self.write("frr.conf", config)
        # FRR insists on its own user, which must be in the vty group.
        shutil.chown(self.dir, "frr", "frr")
        for f in os.listdir(self.dir):
            shutil.chown(self.path(f), "frr", "frr")
        self.zebra_args = list(zebra_args)
        if fpm:
            self.zebra_args = ["-M", "dplane_fpm_nl"] + self.zebra_args

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)

    def start_daemon(self, d, extra=()):
        args = [f"{FRR}/{d}", "-d", "-u", "frr", "-g", "frr",
                "--vty_socket", self.dir, "-z", self.path("zserv.api"),
                "-f", self.path(f"{d}.conf"), "-i", self.path(f"{d}.pid")]
        if d == "zebra":
            args += self.zebra_args
        self.ns.run(" ".join(args + list(extra)))

    def start(self):
        for d in self.daemons:
            self.start_daemon(d)
        wait_for(lambda: all(os.path.exists(self.path(f"{d}.vty"))
                             for d in self.daemons), 20,
                 what="FRR vty sockets")
        cfg = open(self.path("frr.conf")).read().strip()
        if cfg:
            self.configure(*cfg.splitlines())
        return self

    def pid(self, d):
        try:
            with open(self.path(f"{d}.pid")) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def stop_daemon(self, d, sig=signal.SIGTERM):
        pid = self.pid(d)
        if pid:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
            wait_for(lambda: not os.path.exists(f"/proc/{pid}"), 10,
                     what=f"{d} to exit")
            # a dead daemon's vty socket would fool start()'s wait
            for ext in ("vty", "pid"):
                try:
                    os.unlink(self.path(f"{d}.{ext}"))
                except OSError:
                    pass

    def stop(self):
        for d in reversed(self.daemons):
            self.stop_daemon(d)
        shutil.rmtree(self.dir, ignore_errors=True)

    def vtysh(self, *cmds, check=True):
        args = ["vtysh", "--vty_socket", self.dir]
        for c in cmds:
            args += ["-c", c]
        out = subprocess.run(args, capture_output=True, text=True)
        if check and (out.returncode or "% " in out.stdout):
            raise RuntimeError(f"vtysh {cmds}: {out.stdout}{out.stderr}")
        return out.stdout

    def configure(self, *lines):
        return self.vtysh("configure terminal", *lines)

    def load_config(self, path):
        """Applies an integrated frr.conf (as vtysh -b would at boot): each
        line goes to the daemons that know it, in its node."""
        out = subprocess.run(["vtysh", "--vty_socket", self.dir, "-f", path],
                             capture_output=True, text=True)
        text = out.stdout + out.stderr
        if out.returncode or "% " in text or "line " in text:
            raise RuntimeError(f"vtysh -f {path}: {text}")
        return text

    def json(self, cmd):
        return json.loads(self.vtysh(cmd) or "{}")

    def fib(self, family="ip"):
        """zebra's installed routes: {prefix: [nexthop dicts]}"""
        out = {}
        for prefix, entries in self.json(f"show {family} route json").items():
            for e in entries:
                if e.get("installed") and e.get("selected"):
                    out[prefix] = e
        return out


class Routerd:
    """xdp-routerd in a namespace (nsenter keeps bpffs visible)."""

    def __init__(self, binary, ns, pin_dir, args=(), log=None):
        self.binary = binary
        self.ns = ns
        self.pin_dir = pin_dir
        self.args = list(args)
        self.log_path = log or tempfile.mktemp(prefix=f"xdp-routerd-{ns.name}.",
                                               suffix=".log")
        self.p = None

    def start(self):
        log = open(self.log_path, "a")
        self.p = subprocess.Popen(
            self.ns.nsenter() + [self.binary, "--foreground", "--pin-path",
                                 self.pin_dir, "--config", "/dev/null",
                                 *self.args],
            stdout=log, stderr=log)
        return self

    def running(self):
        return self.p is not None and self.p.poll() is None

    def kill(self, sig=signal.SIGTERM):
        if self.running():
            self.p.send_signal(sig)
            self.p.wait(10)

    def log(self):
        try:
            return open(self.log_path).read()
        except OSError:
            return ""


def cleanup_pins(pin_dir):
    sh(f"rm -rf {pin_dir}", check=False)

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The Debian package, installed with dpkg into a fresh debootstrapped tree
of each Debian release it targets, and started there.

For each SUITE (default: trixie, the images' base, and bookworm, the build
host's release):
  1. an overlay on the cached pristine tree /var/cache/xdp-router/base-SUITE
     (images/lib.sh base_tree; debootstrapped once), so every run starts
     fresh and leaves the cache untouched;
  2. dpkg -i xdp-router.deb: refused for unmet dependencies (a fresh tree has
     no FRR), then apt-get -f install resolves them from Debian's archive:
     the Depends name real Debian packages; dpkg -s says installed, every
     library resolves (ldd), files are where the docs say, /etc/frr is the
     frr package's own (dpkg --verify frr);
  3. in a new net+pid namespace inside the tree, with bpffs mounted:
     xdp-router-frr-setup --yes wires FRR (the operator's one step),
     xdp-routerd starts from the installed config with only the unit's
     capabilities (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN), attaches XDP, the
     packaged FRR (frrinit.sh, watchfrr) connects over FPM and a static
     route reaches the fast path. (zebra's "offloaded" flag is
     tests/e2e/test_offload.py's: FRR 10.3 as Debian ships it drops FPM
     route notifications.)

usage: test_package.py [--deb FILE | --build-dir DIR] [SUITE...]
Needs root and, the first time, Debian's mirror (else exit 77: skipped).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from xrtest import Results, sh  # noqa: E402

CACHE = os.environ.get("XR_CACHE", "/var/cache/xdp-router")
CAPS = "-all,+bpf,+perfmon,+net_admin"   # the unit's bounding set

# Runs inside the tree (chroot) as pid 1 of a new pid+net+mount namespace:
# every process it starts dies with it. Prints "ok NAME" / "FAIL NAME".
INSIDE = r"""
set -u
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
poll() { # poll SECONDS NAME CMD...: CMD until it succeeds or time runs out
	t=$1 name=$2; shift 2
	end=$(( $(date +%s) + t ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && { fail "$name"; return 1; }
		sleep 0.2
	done
	ok "$name"
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t bpf bpf /sys/fs/bpf
mount -t tmpfs tmpfs /run
ip link set lo up
ip link add lan0 type veth peer name lan1
ip addr add 10.77.0.1/24 dev lan0
ip link set lan0 up
ip link set lan1 up

xdp-router-frr-setup --check && fail "frr_unwired_before_setup"
xdp-router-frr-setup --yes --no-restart >/dev/null && ok frr_setup
xdp-router-frr-setup --check && ok frr_setup_check
grep -q dplane_fpm_nl /etc/frr/daemons && ok daemons_has_fpm_module

setpriv --bounding-set=__CAPS__ --inh-caps=-all \
	xdp-routerd --foreground >/tmp/xdp-routerd.log 2>&1 &
poll 20 xdp_attached sh -c 'ip link show lan0 | grep -q xdp'
poll 10 maps_pinned test -e /sys/fs/bpf/xdp-router/counters
poll 10 control_socket test -S /run/xdp-router/control.sock
xdp-routerctl status >/tmp/status.txt 2>&1 && ok ctl_status

/usr/lib/frr/frrinit.sh start >/tmp/frrinit.log 2>&1 || cat /tmp/frrinit.log
poll 30 vtysh_answers vtysh -c 'show version'
poll 30 fpm_connected grep -q 'zebra connected' /tmp/xdp-routerd.log
vtysh -c 'configure terminal' -c 'ip route 198.51.100.0/24 10.77.0.2' \
	>/dev/null
poll 20 route_in_fast_path sh -c \
	'xdp-routerctl routes ipv4 | grep -q 198.51.100.0/24'
/usr/lib/frr/frrinit.sh stop >/dev/null 2>&1
echo "--- xdp-routerd log"; cat /tmp/xdp-routerd.log
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deb")
    ap.add_argument("--build-dir")
    ap.add_argument("suites", nargs="*", default=["trixie", "bookworm"])
    a = ap.parse_args()

    if os.environ.get("XR_PKGTEST_NS") != "1":
        # every mount below is private to this process and goes with it
        os.environ["XR_PKGTEST_NS"] = "1"
        os.execvp("unshare", ["unshare", "--mount", "--propagation",
                              "private", sys.executable] + sys.argv)

    deb = a.deb or build_deb(a.build_dir)
    print(f"package: {deb} ({os.path.getsize(deb)} bytes)", flush=True)
    res = Results()
    for suite in a.suites:
        t0 = time.monotonic()
        tree = base_tree(suite)
        test_suite(res, suite, tree, deb)
        print(f"{suite}: {time.monotonic() - t0:.0f} s", flush=True)
    res.finish()


def build_deb(build_dir):
    if build_dir:
        sh(f"cd {build_dir} && cpack -G DEB")
        debs = sorted((os.path.join(build_dir, f)
                       for f in os.listdir(build_dir)
                       if f.startswith("xdp-router_") and f.endswith(".deb")),
                      key=os.path.getmtime)
        return debs[-1]
    return sh(f"{ROOT}/images/build-deb.sh 2>/dev/null").strip()


def base_tree(suite):
    if not os.path.exists(f"{CACHE}/base-{suite}/etc/xdp-router-suite"):
        try:
            urllib.request.urlopen(
                f"http://deb.debian.org/debian/dists/{suite}/Release",
                timeout=15)
        except OSError as e:
            print(f"SKIP: no cached {suite} tree and Debian's mirror is out "
                  f"of reach ({e})")
            sys.exit(77)
    return sh(f"bash -c '. {ROOT}/images/lib.sh && base_tree {suite}'"
              ).strip().splitlines()[-1]


def chroot(tree, cmd, check=True):
    return subprocess.run(
        ["chroot", tree, "/usr/bin/env", "-i",
         "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
         "DEBIAN_FRONTEND=noninteractive", "/bin/sh", "-c", cmd],
        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        check=check).stdout


def test_suite(res, suite, base, deb):
    work = tempfile.mkdtemp(prefix=f"pkgtest-{suite}.", dir=CACHE)
    tree = f"{work}/merged"
    try:
        for d in ("upper", "work", "merged"):
            os.mkdir(f"{work}/{d}")
        sh(f"mount -t overlay overlay -o lowerdir={base},"
           f"upperdir={work}/upper,workdir={work}/work {tree}")
        archives = f"{CACHE}/apt-{suite}"
        os.makedirs(archives, exist_ok=True)
        sh(f"mount -t proc proc {tree}/proc")
        sh(f"mount --bind {archives} {tree}/var/cache/apt/archives")
        shutil.copy(deb, f"{tree}/tmp/xdp-router.deb")

        # 1. dpkg alone: the fresh tree lacks FRR, so dpkg must refuse
        out = chroot(tree, "dpkg -i /tmp/xdp-router.deb", check=False)
        res.check("dependency problems" in out and "frr" in out,
                  f"{suite}: dpkg -i names the missing dependencies", out)
        # 2. apt resolves them by their Debian names
        out = chroot(tree, "apt-get -qq -f install -y "
                     "--no-install-recommends 2>&1; echo rc=$?", check=False)
        res.check(out.strip().endswith("rc=0"),
                  f"{suite}: apt-get -f install resolves the Depends", out)
        status = chroot(tree, "dpkg-query -W -f '${Status}' xdp-router",
                        check=False)
        res.check(status == "install ok installed",
                  f"{suite}: dpkg says installed", status)
        audit = chroot(tree, "dpkg --audit", check=False)
        res.check(audit.strip() == "", f"{suite}: dpkg --audit clean", audit)
        for f in ("/usr/sbin/xdp-routerd", "/usr/sbin/xdp-routerctl",
                  "/usr/sbin/xdp-router-frr-setup",
                  "/etc/xdp-router/xdp-router.conf",
                  "/usr/lib/systemd/system/xdp-routerd.service",
                  "/usr/share/man/man8/xdp-routerd.8",
                  "/usr/share/man/man8/xdp-routerctl.8",
                  "/usr/share/doc/xdp-router/appliance.md",
                  "/usr/share/doc/xdp-router/examples/frr.conf.example"):
            res.check(os.path.exists(tree + f), f"{suite}: installs {f}")
        conff = chroot(tree, "dpkg-query -W -f '${Conffiles}' xdp-router")
        res.check("/etc/xdp-router/xdp-router.conf" in conff,
                  f"{suite}: xdp-router.conf is a conffile", conff)
        ldd = chroot(tree, "ldd /usr/sbin/xdp-routerd /usr/sbin/xdp-routerctl")
        res.check("not found" not in ldd,
                  f"{suite}: every shared library resolves", ldd)
        frr = chroot(tree, "dpkg --verify frr; grep -c fpm "
                     "/etc/frr/daemons /etc/frr/frr.conf", check=False)
        res.check("??5" not in frr and "/etc/frr/daemons:0" in frr,
                  f"{suite}: /etc/frr untouched by the package", frr)
        out = chroot(tree, "xdp-routerd --help")
        res.check("--pin-path" in out, f"{suite}: xdp-routerd --help")
        frr_version = chroot(tree, "dpkg-query -W -f '${Version}' frr")
        print(f"{suite}: FRR {frr_version}", flush=True)

        # 3. a real start in its own namespaces
        sh(f"umount {tree}/proc")
        script = INSIDE.replace("__CAPS__", CAPS)
        with open(f"{tree}/tmp/inside.sh", "w") as f:
            f.write(script)
        r = subprocess.run(
            ["timeout", "180", "unshare", "--net", "--pid", "--fork",
             "--mount", "--propagation", "private", "chroot", tree,
             "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
             "/bin/sh", "/tmp/inside.sh"],
            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lines = r.stdout.splitlines()
        zopts = chroot(tree, "grep ^zebra_options /etc/frr/daemons")
        newer = sh(f"dpkg --compare-versions {frr_version} ge 8.5 && "
                   "echo yes || echo no").strip() == "yes"
        res.check(("notify_on_offload" in zopts) == newer,
                  f"{suite}: offload flag only with FRR >= 8.5", zopts)
        expected = ["frr_setup", "frr_setup_check", "daemons_has_fpm_module",
                    "xdp_attached", "maps_pinned", "control_socket",
                    "ctl_status", "vtysh_answers", "fpm_connected",
                    "route_in_fast_path"]
        for name in expected:
            res.check(f"ok {name}" in lines, f"{suite}: {name}", "")
        if any(f"ok {n}" not in lines for n in expected) or \
                any(line.startswith("FAIL") for line in lines):
            print(r.stdout)
    finally:
        sh(f"umount -R {tree}", check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

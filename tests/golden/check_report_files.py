#!/usr/bin/env python3
"""`vetter scan --out` writes reports safely (issue #17): never through a symlink, mode 0600, whole
or not at all, and a write that fails is exit 4 with a message naming the file.

    tests/golden/check_report_files.py build/vetter

Tests run as root, so a write is made to fail with a file-size limit (RLIMIT_FSIZE, SIGXFSZ
ignored): write(2) then fails with EFBIG, as it would with ENOSPC on a full disk.
"""

import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile

from golden import HERE, ROOT, check, failures



def scan(vetter, *args, limit=None, stdout=subprocess.PIPE):
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([vetter, "scan", "--config", "samples/vetter.yaml", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, preexec_fn=small_files if limit else None)


def read(path):
    with open(path) as f:
        return f.read()


def main():
    vetter = os.path.abspath(sys.argv[1])
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        # A link planted where a report goes is replaced; neither its target nor a dangling
        # link's target is written.
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        victim = os.path.join(tmp, "victim")
        with open(victim, "w") as f:
            f.write("precious\n")
        os.symlink(victim, os.path.join(out, "report.json"))
        dangling = os.path.join(tmp, "created-through-link")
        os.symlink(dangling, os.path.join(out, "report.csv"))
        old_mask = os.umask(0o022)
        run = scan(vetter, "--out", out, "--format", "json,csv", "--quiet")
        os.umask(old_mask)
        check(run.returncode == 1, f"the scan runs (exit 1, flagged): {run.returncode} {run.stderr}")
        check(read(victim) == "precious\n", "a symlink's target is not overwritten")
        check(not os.path.lexists(dangling), "a dangling symlink's target is not created")
        for name in ("report.json", "report.csv"):
            path = os.path.join(out, name)
            check(not os.path.islink(path), f"{name} is a file, no longer the link")
            check(os.path.isfile(path) and os.path.getsize(path) > 1000, f"{name} is written")
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            check(mode == 0o600, f"{name} has mode 0600, not {oct(mode)}")
        check(sorted(os.listdir(out)) == ["report.csv", "report.json"],
              f"no temporary file is left: {os.listdir(out)}")

        # A symlinked --out directory itself is refused, before anything is written.
        link_dir = os.path.join(tmp, "link-dir")
        real_dir = os.path.join(tmp, "real-dir")
        os.mkdir(real_dir)
        os.symlink(real_dir, link_dir)
        for given in (link_dir, link_dir + "/"):
            run = scan(vetter, "--out", given, "--format", "json,md", "--quiet")
            check(run.returncode == 2, f"--out {given} (a symlink) is exit 2: {run.returncode}")
            check("symbolic link" in run.stderr, f"the message says why: {run.stderr}")
        check(os.listdir(real_dir) == [], "nothing is written through the linked directory")

        # A write that fails (a full disk) is exit 4, names the file and the OS error, and leaves
        # the previous report whole and no temporary file.
        full = os.path.join(tmp, "full")
        os.mkdir(full)
        previous = os.path.join(full, "report.json")
        with open(previous, "w") as f:
            f.write("the previous report\n")
        run = scan(vetter, "--out", full + "/", "--format", "json", "--quiet", limit=4096)
        check(run.returncode == 4, f"a failed write is exit 4, got {run.returncode}: {run.stderr}")
        check(previous in run.stderr and "File too large" in run.stderr,
              f"the message names the file and the error: {run.stderr}")
        check(read(previous) == "the previous report\n", "the previous report is left whole")
        check(os.listdir(full) == ["report.json"], f"no temporary file is left: {os.listdir(full)}")

        single = os.path.join(tmp, "single.json")
        run = scan(vetter, "--out", single, "--quiet", limit=4096)
        check(run.returncode == 4, f"--out FILE: a failed write is exit 4, got {run.returncode}")
        check(not os.path.lexists(single), "no partial single-file report")
        check(not any(n.startswith(".single.json") for n in os.listdir(tmp)),
              f"no temporary file is left: {os.listdir(tmp)}")

        # `vetter scan > file` on a full disk is not a success either.
        redirected = os.path.join(tmp, "stdout.json")
        with open(redirected, "w") as f:
            run = scan(vetter, "--format", "json", limit=4096, stdout=f)
        check(run.returncode == 4, f"a failed write to stdout is exit 4, got {run.returncode}")

    # /dev/full fails every write with ENOSPC; /dev/null and /dev/stdout are written in place,
    # never replaced by a renamed file (we run as root: a rename would replace /dev/null itself).
    run = scan(vetter, "--out", "/dev/full", "--format", "json", "--quiet")
    check(run.returncode == 4, f"--out /dev/full is exit 4, got {run.returncode}")
    check("/dev/full" in run.stderr and "No space left on device" in run.stderr,
          f"the message names /dev/full and ENOSPC: {run.stderr}")
    run = scan(vetter, "--out", "/dev/null", "--format", "json", "--quiet")
    check(run.returncode == 1, f"--out /dev/null works: {run.returncode} {run.stderr}")
    check(stat.S_ISCHR(os.lstat("/dev/null").st_mode), "/dev/null is still the device")
    run = scan(vetter, "--out", "/dev/stdout", "--format", "json", "--quiet")
    check(run.returncode == 1 and run.stdout.lstrip().startswith("{") and '"accounts"' in run.stdout,
          f"--out /dev/stdout writes the report to stdout: {run.returncode} {run.stdout[:80]!r}")
    check(os.path.islink("/dev/stdout") or not os.path.isfile("/dev/stdout"),
          "/dev/stdout is not replaced by a file")

    usage = subprocess.run([vetter, "scan", "--help"], capture_output=True, text=True)
    check("4  could not write the report" in usage.stdout, "scan --help documents exit 4")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("report files: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Debian package: `dpkg-buildpackage -us -uc -b` builds
libapache2-mod-notimpl from a copy of the working tree, configured as a
developer's tree is (its clean step says it runs make distclean over that
build); the .deb holds
the module and its mods-available files, depends on the apache2 API, and
leaves enabling to the maintainer scripts; unpacked into a scratch root (the
machine's own /etc/apache2 is never touched), its notimpl.load and
notimpl.conf (conf-examples/notimpl.conf, NotImplEngine ReportOnly) load
into Debian's apache2, which then refuses nothing and counts BREW as
would-refuse, and with NotImplEngine On answers BREW with a 501 JSON
document.

Marked slow (it builds a whole package; deselect with -m "not slow").
Needs the package's build dependencies: dpkg-dev, debhelper, apache2-dev
(which provides dh-apache2), autoconf, automake, libtool and libcmocka-dev
(for the unit tests the build runs; not with DEB_BUILD_OPTIONS=nocheck and
DEB_BUILD_PROFILES=nocheck), plus apache2 to run the result.  Skipped only
when dpkg-buildpackage is missing."""

import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from harness import STOCK_501_LOG, assert_stock_501, is_debian_apache2, \
    settings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

PACKAGE = "libapache2-mod-notimpl"
MODULE = "/usr/lib/apache2/modules/mod_notimpl.so"
MODS_AVAILABLE = "/etc/apache2/mods-available"
BUILD_TIMEOUT = 1200

pytestmark = pytest.mark.slow

# What a build leaves in a working tree: never copied, whatever .gitignore
# says, so the package is built from sources alone.
BUILD_PRODUCTS = [
    ".git", ".libs", "*.o", "*.lo", "*.slo", "*.la", "*.so", "*.a",
    "autom4te.cache", "config.status", "config.log", "config.cache",
    "libtool", "stamp-h1", "__pycache__", ".pytest_cache", "*.pyc",
    "test/integration/config.ini",
    "debian/" + PACKAGE, "debian/" + PACKAGE + "-dbgsym", "debian/tmp",
    "debian/.debhelper", "debian/files", "debian/*.substvars",
    "debian/*.debhelper.log", "debian/*.debhelper",
    "debian/debhelper-build-stamp",
    "debian/autoreconf.before", "debian/autoreconf.after",
    "debian/configured-by-package",
]

# The files a package build could change on this machine if `make install`
# ignored DESTDIR or apxs were run with -a.
SYSTEM_FILES = [
    MODULE,
    MODS_AVAILABLE + "/notimpl.load",
    MODS_AVAILABLE + "/notimpl.conf",
    "/etc/apache2/mods-enabled/notimpl.load",
    "/etc/apache2/apache2.conf",
    "/etc/apache2/httpd.conf",
]


def _is_build_product(rel, has_makefile_am):
    parts = rel.split("/")
    for pattern in BUILD_PRODUCTS:
        if "/" in pattern:
            if fnmatch.fnmatch(rel, pattern) \
                    or rel.startswith(pattern.rstrip("/") + "/"):
                return True
        elif any(fnmatch.fnmatch(p, pattern) for p in parts):
            return True
    # configure's output, not a source, where automake makes it.
    return has_makefile_am and parts[-1] == "Makefile" \
        and os.path.exists(os.path.join(REPO, rel + ".am"))


def _source_files():
    """Tracked and untracked-but-not-ignored files of the working tree (the
    uncommitted state is what is under test), less build products."""
    try:
        out = subprocess.run(
            ["git", "-C", REPO, "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True,
            timeout=60).stdout
        files = [f for f in out.decode("utf-8", "surrogateescape").split("\0")
                 if f]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an unpacked tarball): the whole tree.
        files = []
        for root, dirs, names in os.walk(REPO):
            for n in names:
                files.append(os.path.relpath(os.path.join(root, n), REPO))
    has_makefile_am = os.path.exists(os.path.join(REPO, "Makefile.am"))
    return sorted(f for f in files
                  if not _is_build_product(f, has_makefile_am)
                  and os.path.lexists(os.path.join(REPO, f)))


def _fingerprint(paths):
    """path -> sha256 of its content (None when absent)."""
    out = {}
    for p in paths:
        try:
            with open(p, "rb") as f:
                out[p] = hashlib.sha256(f.read()).hexdigest()
        except FileNotFoundError:
            out[p] = None
    return out


def _run(cmd, **kwargs):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120, **kwargs)
    text = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        pytest.fail("%s failed (exit %d):\n%s"
                    % (" ".join(cmd), p.returncode, text), pytrace=False)
    return text


class Built:
    def __init__(self, workdir, tree, deb, log):
        self.workdir = workdir
        self.tree = tree
        self.deb = deb
        self.log = log

    def contents(self):
        """Paths in the .deb, without the leading '.'; directories end
        in '/'."""
        listing = _run(["dpkg-deb", "-c", self.deb])
        return [line.split(None, 5)[5].split(" -> ")[0][1:]
                for line in listing.splitlines() if line.strip()]

    def field(self, name):
        return _run(["dpkg-deb", "-f", self.deb, name]).strip()

    def control_file(self, name):
        return _run(["dpkg-deb", "-I", self.deb, name])


@pytest.fixture(scope="module")
def built():
    if shutil.which("dpkg-buildpackage") is None:
        pytest.skip("dpkg-buildpackage is not installed (apt-get install "
                    "dpkg-dev debhelper apache2-dev autoconf automake "
                    "libtool libcmocka-dev)")
    workdir = tempfile.mkdtemp(prefix="notimpl-deb-", dir="/tmp")
    try:
        tree = os.path.join(workdir, "mod-notimpl")
        for rel in _source_files():
            src = os.path.join(REPO, rel)
            dst = os.path.join(tree, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst, follow_symlinks=False)

        # An outer make (make check) must not hand its jobserver or
        # DESTDIR to the package build.
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DESTDIR")}
        env["LC_ALL"] = "C.UTF-8"
        # Configured the way a developer's tree is (./run test), so the
        # build shows what its clean step does to such a tree.
        for cmd in (["./autogen.sh"], ["./configure", "--enable-werror"]):
            p = subprocess.run(cmd, cwd=tree, env=env,
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=600)
            assert p.returncode == 0, p.stdout.decode("utf-8", "replace")
        before = _fingerprint(SYSTEM_FILES)
        p = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"],
                           cwd=tree, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=BUILD_TIMEOUT)
        log = p.stdout.decode("utf-8", "replace")
        changed = [f for f, digest in _fingerprint(SYSTEM_FILES).items()
                   if digest != before[f]]
        if changed:
            pytest.fail("the package build changed this machine's files "
                        "(make install must honour DESTDIR, apxs must not "
                        "run with -a): %s" % ", ".join(changed),
                        pytrace=False)
        if p.returncode != 0:
            pytest.fail("dpkg-buildpackage -us -uc -b failed (exit %d); the "
                        "end of its output:\n%s"
                        % (p.returncode, "\n".join(log.splitlines()[-40:])),
                        pytrace=False)
        debs = [f for f in os.listdir(workdir)
                if f.startswith(PACKAGE + "_") and f.endswith(".deb")]
        assert len(debs) == 1, "expected one %s .deb, found %r" % (PACKAGE,
                                                                  debs)
        yield Built(workdir, tree, os.path.join(workdir, debs[0]), log)
    finally:
        if not os.environ.get("NOTIMPL_KEEP_TMP"):
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def unpacked(built):
    """The package's files under a scratch root, with notimpl.load pointing
    at the unpacked module instead of /usr/lib/apache2/modules."""
    root = os.path.join(built.workdir, "root")
    _run(["dpkg-deb", "-x", built.deb, root])
    load = root + MODS_AVAILABLE + "/notimpl.load"
    with open(load) as f:
        text = f.read()
    assert re.search(r"^\s*LoadModule\s+notimpl_module\s+%s\s*$"
                     % re.escape(MODULE), text, re.M), text
    with open(load, "w") as f:
        f.write(text.replace(MODULE, root + MODULE))
    return root


def test_package_ships_the_module_and_its_mods_available_files(built):
    files = built.contents()
    assert MODULE in files
    assert MODS_AVAILABLE + "/notimpl.load" in files
    assert MODS_AVAILABLE + "/notimpl.conf" in files
    # Nothing else under /etc: enabling is the maintainer scripts' job.
    assert sorted(f for f in files if f.startswith("/etc/")
                  and not f.endswith("/")) == [
                      MODS_AVAILABLE + "/notimpl.conf",
                      MODS_AVAILABLE + "/notimpl.load"]
    assert not [f for f in files if f.endswith(".la") or f.endswith(".a")]
    assert "/usr/share/doc/%s/copyright" % PACKAGE in files


def test_package_depends_on_the_apache2_api(built):
    assert built.field("Package") == PACKAGE
    assert built.field("Version") == _run(
        ["dpkg-parsechangelog", "-S", "Version"], cwd=built.tree).strip()
    assert built.field("Section") == "httpd"
    depends = [d.strip() for d in built.field("Depends").split(",")]
    assert any(re.fullmatch(r"apache2-api-\d{8}", d) for d in depends), \
        depends


def test_mods_available_files_are_conffiles_enabled_by_postinst(built):
    conffiles = built.control_file("conffiles").split()
    assert sorted(conffiles) == [MODS_AVAILABLE + "/notimpl.conf",
                                 MODS_AVAILABLE + "/notimpl.load"]
    postinst = built.control_file("postinst")
    assert re.search(r"apache2_invoke enmod \$conf", postinst)
    assert re.search(r"for conf in notimpl\b", postinst)


def test_package_build_says_it_distcleans_a_developer_build(built):
    # dpkg-buildpackage's clean step runs make distclean over a tree
    # configured outside the package: never without a word.
    assert "this tree holds a build configured outside the package" \
        in built.log
    assert "(--enable-werror)" in built.log
    assert '"./run deb" builds the package from a copy' in built.log


def test_package_build_installs_without_apxs_editing_httpd_conf(built):
    # What apxs -a prints as it edits the configuration: upstream's apxs
    # rewrites httpd.conf, Debian's writes mods-available and runs a2enmod.
    assert "activating module" not in built.log
    assert "preparing module" not in built.log
    assert "a2enmod" not in built.log


# The .deb is built with Debian's apxs for Debian's apache2: loading it into
# another httpd (NOTIMPL_APXS) would test neither the package nor the module.
needs_debian_apache2 = pytest.mark.skipif(
    not is_debian_apache2(),
    reason="the Debian package is for Debian's apache2; the httpd under "
           "test is %s" % settings()["httpd"])


@needs_debian_apache2
def test_unpacked_package_passes_apache2_configtest(unpacked, configtest):
    rc, out = configtest(
        "Include %s%s/notimpl.load\nInclude %s%s/notimpl.conf\n"
        % (unpacked, MODS_AVAILABLE, unpacked, MODS_AVAILABLE),
        notimpl=False)
    assert rc == 0, out
    assert "Syntax OK" in out


def test_package_ships_the_one_notimpl_conf_of_conf_examples(built,
                                                            unpacked):
    # One copy, not two that drift: the package installs conf-examples/.
    for name in ("notimpl.conf", "notimpl.load"):
        with open(os.path.join(REPO, "conf-examples", name), "rb") as f:
            source = f.read()
        with open(unpacked + MODS_AVAILABLE + "/" + name, "rb") as f:
            shipped = f.read()
        if name == "notimpl.load":
            shipped = shipped.replace((unpacked + MODULE).encode(),
                                      MODULE.encode())
        assert shipped == source, name
    with open(os.path.join(REPO, "conf-examples", "notimpl.conf")) as f:
        conf = f.read()
    active = [line.strip() for line in conf.splitlines()
              if line.strip() and not line.lstrip().startswith("#")]
    assert "NotImplEngine ReportOnly" in active, active
    # The way to go live and the status page are written there.
    assert "NotImplEngine On" in conf
    assert "SetHandler notimpl-status" in conf


STATUS = ('<Location "/notimpl-status">\n    SetHandler notimpl-status\n'
          '</Location>\n')


def _package_config(unpacked, extra=""):
    return ("Include %s%s/notimpl.load\nInclude %s%s/notimpl.conf\n%s%s"
            % (unpacked, MODS_AVAILABLE, unpacked, MODS_AVAILABLE, STATUS,
               extra))


@needs_debian_apache2
def test_unpacked_package_refuses_nothing_and_counts_would_refuse(
        unpacked, httpd):
    # ReportOnly: BREW gets what stock httpd answers, and is counted.
    srv = httpd(_package_config(unpacked), notimpl=False)
    srv.expect_log(STOCK_501_LOG)
    assert_stock_501(srv.request("BREW", "/"), "BREW")
    assert srv.request("GET", "/").status == 200
    doc = srv.request("GET", "/notimpl-status").json()
    assert doc["total"] == 0, doc
    # BREW is no name of the closed set: counted under other.
    assert doc["would_refuse"]["methods"] == {}, doc
    assert doc["would_refuse"]["other_methods"] == 1, doc


@needs_debian_apache2
def test_unpacked_package_switched_on_answers_brew_with_501_json(unpacked,
                                                                 httpd):
    # The last step its comments describe: NotImplEngine On.
    srv = httpd(_package_config(unpacked, "NotImplEngine On\n"),
                notimpl=False)
    r = srv.request("BREW", "/")
    assert r.status == 501
    assert r.content_type == "application/json; charset=utf-8"
    assert "Allow" not in r.headers
    assert r.headers.get("Cache-Control") == "no-store"
    doc = r.json()
    assert doc["error"] == "not_implemented"
    assert doc["method"] == "BREW"

    assert srv.request("GET", "/").status == 200

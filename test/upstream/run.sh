#!/usr/bin/env bash
# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
# Builds httpd 2.4 from upstream source in the layout of the official
# httpd:2.4 container image, builds the module with that httpd's apxs, and
# runs the real-httpd suite against it.
#
#   ./run test-upstream [--prefix=DIR] [--disable-ssl] [SOURCE] [-- PYTEST ARGS]
#
# SOURCE is an httpd source tree (a release tarball unpacked, or a git
# checkout: ./buildconf is run when there is no configure) or a tarball.
# Default: Debian's source package of apache2, whose .orig.tar.gz is the
# pristine upstream release (apt-get source --download-only, newest version
# the archive serves; a deb-src entry is added under
# /etc/apt/sources.list.d/, its URIs copied from the machine's own deb
# entries, when apt has none).
#
# httpd is configured as the image's Dockerfile does, with Debian's APR and
# APR-util:
#   --prefix=DIR (default /usr/local/apache2, as in the image)
#   --enable-mods-shared=reallyall --enable-mpms-shared=all --enable-pie
#   --with-apr=/usr/bin/apr-1-config --with-apr-util=/usr/bin/apu-1-config
#   CFLAGS, CPPFLAGS, LDFLAGS from dpkg-buildflags
# mod_ssl is left out with --disable-ssl, and against OpenSSL 3 for releases
# before 2.4.52 (CHANGES: "mod_ssl: Add build support for OpenSSL v3").
# The build is skipped when DIR already holds a build of the same source
# with the same options; DIR is replaced only if this script installed it.
#
# The module is built in a copy of this tree (the working tree's files, not
# its build products), under $NOTIMPL_UPSTREAM_DIR (default
# /var/tmp/notimpl-upstream)/module-<prefix>, so the Debian build in the
# tree itself is left alone; there: autogen.sh, ./configure
# --with-apxs=DIR/bin/apxs --enable-werror, make, make install (apxs -i into
# DIR/modules, never -a), a configtest of DIR/conf/httpd.conf with the
# LoadModule line of docs/install.md, and make check (unit tests and the real-httpd
# suite, NOTIMPL_APXS=DIR/bin/apxs) against the installed module.
#
# Needs root for apt-get and for installing into DIR.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
work=${NOTIMPL_UPSTREAM_DIR:-/var/tmp/notimpl-upstream}
prefix=/usr/local/apache2
ssl=auto
source=""
pytest_args=()

# To stderr: some output is read by command substitution.
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'test-upstream: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --prefix=*) prefix=${1#--prefix=} ;;
        --disable-ssl) ssl=no ;;
        --) shift; pytest_args=("$@"); break ;;
        -h | --help) sed -n '4,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) die "unknown option $1 (see ./run test-upstream --help)" ;;
        *) [[ -z $source ]] || die "one SOURCE only"; source=$1 ;;
    esac
    shift
done
[[ $prefix == /* ]] || die "--prefix needs an absolute path"
[[ $(id -u) -eq 0 ]] || die "run as root (apt-get, install into $prefix)"

started=$SECONDS
mkdir -p "$work"

# ---------------------------------------------------------------- source

# deb-src entries for the suites and URIs the machine already uses for its
# binary packages (deb822 .sources stanzas and one-line sources.list).
DEB_SRC_FILE=/etc/apt/sources.list.d/notimpl-deb-src.sources
add_deb_src() {
    local f out=""
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f && $f != "$DEB_SRC_FILE" ]] || continue
        out+=$(awk 'BEGIN { RS = ""; ORS = "\n\n" }
            /(^|\n)Types:[^\n]*[ \t]deb([ \t\n]|$)/ && !/(^|\n)Enabled: *no/ {
                sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, "")
                gsub(/(^|\n)#[^\n]*/, ""); print }' "$f")
        out+=$'\n'
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        # deb [options] URI suite components  ->  one deb822 stanza
        out+=$(awk '$1 == "deb" {
                i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                uri = $i; suite = $(i + 1); comps = ""
                for (j = i + 2; j <= NF; j++) comps = comps " " $j
                printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:%s\n\n", uri, suite, comps
            }' "$f")
        out+=$'\n'
    done
    [[ -n ${out//[$'\n']/} ]] || die "no deb entries in /etc/apt to derive a deb-src entry from"
    say "adding $DEB_SRC_FILE (deb-src for the machine's own deb entries)"
    { echo "# Written by mod_notimpl's ./run test-upstream: source packages"
      echo "# from the same archives as the binary packages."
      printf '%s\n' "$out" | cat -s; } >"$DEB_SRC_FILE"
    apt-get update -q </dev/null >&2
}

debian_orig_tarball() {
    if [[ $(apt-cache showsrc apache2 2>/dev/null | grep -c '^Package: apache2') -eq 0 ]]; then
        add_deb_src
    fi
    local d=$work/debian-source
    mkdir -p "$d"
    chmod 755 "$d"
    # The newest version first; an archive may list a source version it no
    # longer serves (a 404), so older ones are tried after it.
    local v got=""
    for v in $(apt-cache showsrc apache2 | sed -n 's/^Version: *//p' | sort -rV | uniq); do
        if (cd "$d" && apt-get source -q --download-only "apache2=$v" </dev/null >&2); then
            got=$v
            break
        fi
        say "apache2 $v: source not downloadable, trying an older one"
    done
    [[ -n $got ]] || die "could not download any apache2 source package"
    local orig
    orig=$d/apache2_${got%-*}.orig.tar.gz
    orig=${orig/_[0-9]*:/_}
    [[ -f $orig ]] || die "apt-get source gave no $orig"
    echo "$orig"
}

if [[ -z $source ]]; then
    say "Debian's apache2 source package"
    source=$(debian_orig_tarball)
fi
[[ -e $source ]] || die "no such source: $source"
source=$(cd "$(dirname "$source")" && pwd)/$(basename "$source")

src=$work/src-$(basename "$source" | sed 's/\.tar\..*$//; s/\.tgz$//')
rm -rf "$src"
mkdir -p "$src"
if [[ -d $source ]]; then
    say "copying $source"
    cp -a "$source"/. "$src"/
else
    say "unpacking $source"
    tar -xf "$source" -C "$src" --strip-components=1
fi
[[ -f $src/include/ap_release.h ]] || die "$source is not an httpd source tree (no include/ap_release.h)"

ap_release() {
    sed -n "s/^#define AP_SERVER_${1}_NUMBER *\([0-9]*\).*/\1/p" "$src/include/ap_release.h"
}
version="$(ap_release MAJORVERSION).$(ap_release MINORVERSION).$(ap_release PATCHLEVEL)"
[[ $version == 2.4.* ]] || die "$source is httpd $version, not 2.4"
patch=$(ap_release PATCHLEVEL)
say "httpd $version from $source"

# ---------------------------------------------------------------- packages

# libpcre3-dev: releases before 2.4.53 know only PCRE 1 (pcre-config).
# libnghttp2-dev: mod_http2.  libxml2-dev: mod_proxy_html, mod_xml2enc.
# autoconf, libtool, python3: ./buildconf for a git checkout.
packages=(gcc libc6-dev make autoconf automake libtool python3 dpkg-dev
          libapr1-dev libaprutil1-dev libpcre2-dev libpcre3-dev
          libnghttp2-dev zlib1g-dev libssl-dev libxml2-dev
          apache2-dev libcmocka-dev python3-pytest curl nghttp2-client)
missing=()
for p in "${packages[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] \
        || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    apt-get update -q </dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" </dev/null
fi

# ---------------------------------------------------------------- httpd

if [[ $ssl == auto ]]; then
    ssl=yes
    if [[ $patch -lt 52 ]] && openssl version 2>/dev/null | grep -q '^OpenSSL 3'; then
        say "httpd $version predates mod_ssl's OpenSSL 3 support (2.4.52): building without mod_ssl"
        ssl=no
    fi
fi
# The image's flags: Debian's dpkg-buildflags, PIE, --as-needed.  Without
# CFLAGS httpd (and apxs -q CFLAGS, hence the module) would be built -O0.
# dpkg-buildflags maps the current directory out of debug paths: the source.
cd "$src"
configure_args=(--build="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"
                --prefix="$prefix"
                --enable-mods-shared=reallyall --enable-mpms-shared=all
                --enable-pie
                --with-apr=/usr/bin/apr-1-config
                --with-apr-util=/usr/bin/apu-1-config
                CFLAGS="-pipe $(dpkg-buildflags --get CFLAGS)"
                CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)"
                LDFLAGS="-Wl,--as-needed $(dpkg-buildflags --get LDFLAGS)")
[[ $ssl == yes ]] || configure_args=(--disable-ssl "${configure_args[@]}")
slug=$(echo "${prefix#/}" | tr '/' '-')
log=$work/httpd-$slug

stamp="$version $(sha256sum "$source" 2>/dev/null | cut -c1-16 || echo dir:$source) ${configure_args[*]}"
if [[ -x $prefix/bin/httpd && -f $prefix/.notimpl-build && $(cat "$prefix/.notimpl-build") == "$stamp" ]]; then
    say "$prefix already holds this build of httpd $version"
else
    cd "$src"
    if [[ ! -x configure ]]; then
        say "./buildconf (a git checkout)"
        # With apr-1-config, buildconf takes APR's and APR-util's m4 files
        # from the installed APR (libapr1-dev): no APR source is needed.
        ./buildconf --with-apr=/usr/bin/apr-1-config
    fi
    say "./configure ${configure_args[*]}"
    ./configure "${configure_args[@]}" >"$log-configure.log" 2>&1 \
        || { tail -n 40 "$log-configure.log" >&2; die "httpd's configure failed (log: $log-configure.log)"; }
    say "make (httpd $version)"
    make -j"$(nproc)" >"$log-make.log" 2>&1 \
        || { tail -n 40 "$log-make.log" >&2; die "httpd's make failed (log: $log-make.log)"; }
    # Only a tree this script installed is replaced.
    if [[ -e $prefix && ! -f $prefix/.notimpl-build ]]; then
        die "$prefix exists and was not installed by this script: choose another --prefix"
    fi
    say "make install into $prefix"
    rm -rf "$prefix"
    make install >"$log-install.log" 2>&1 \
        || { tail -n 40 "$log-install.log" >&2; die "httpd's make install failed"; }
    printf '%s\n' "$stamp" >"$prefix/.notimpl-build"
fi
"$prefix/bin/httpd" -v
echo "compiled in: $("$prefix/bin/httpd" -l | sed 1d | tr -d ' ' | tr '\n' ' ')"
echo "modules: $(ls "$prefix/modules" | grep -c '^mod_.*\.so$') in $prefix/modules"
for m in http2 dav dav_fs proxy proxy_http cgi status rewrite allowmethods; do
    [[ -f $prefix/modules/mod_$m.so ]] || echo "note: no mod_$m.so: the tests that need it will be skipped"
done

# ---------------------------------------------------------------- module

mod=$work/module-$slug
say "module: copy of $top in $mod"
rm -rf "$mod"
mkdir -p "$mod"
chmod 755 "$work" "$mod"
(cd "$top" && git ls-files -z --cached --others --exclude-standard 2>/dev/null) \
    | (cd "$top" && while IFS= read -r -d '' f; do
           [[ -e $f || -L $f ]] || continue
           case $f in
               test/integration/config.ini | mod_notimpl.so | apxs.log | configure | Makefile | Makefile.in | config.status | config.log | aclocal.m4) continue ;;
           esac
           mkdir -p "$mod/$(dirname "$f")"
           cp -a "$f" "$mod/$f"
       done)
[[ -f $mod/configure.ac ]] || die "could not copy the source tree (is $top a git checkout?)"

cd "$mod"
./autogen.sh >/dev/null
say "./configure --with-apxs=$prefix/bin/apxs --enable-werror"
./configure --with-apxs="$prefix/bin/apxs" --enable-werror >configure.out \
    || { cat configure.out >&2; die "configure failed"; }
sed -n '/summary of build options/,$p' configure.out
make -j"$(nproc)"

conf=$prefix/conf/httpd.conf
before=$(sha256sum "$conf")
say "make install (apxs -i into $prefix/modules)"
make install
[[ -f $prefix/modules/mod_notimpl.so ]] || die "make install did not put mod_notimpl.so into $prefix/modules"
[[ $(sha256sum "$conf") == "$before" ]] || die "make install edited $conf (apxs -a?)"

# docs/install.md's line for this layout, in the stock configuration.
say "configtest: $conf + LoadModule notimpl_module modules/mod_notimpl.so"
check=$mod/httpd-readme.conf
{ cat "$conf"
  echo "LoadModule notimpl_module modules/mod_notimpl.so"
  echo "Include $mod/conf-examples/notimpl.conf"
} >"$check"
"$prefix/bin/httpd" -t -d "$prefix" -f "$check"

say "make check against httpd $version ($prefix)"
export NOTIMPL_APXS=$prefix/bin/apxs NOTIMPL_MODULE=$prefix/modules/mod_notimpl.so
status=0
make --no-print-directory check VERBOSE=1 PYTEST_FLAGS="${pytest_args[*]}" || status=$?
say "httpd $version in $prefix: make check exit $status, $((SECONDS - started)) s in all"
exit $status

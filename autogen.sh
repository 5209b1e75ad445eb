#!/bin/sh
# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
# Generates configure and Makefile.in from configure.ac and Makefile.am
# (autoconf, automake; Debian: apt-get install autoconf automake).
set -e
cd "$(dirname "$0")"
autoreconf -fi
echo "Now run ./configure (see ./configure --help)."

# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The documentation holds together: every relative link of README.md,
docs/ and bench/README.md names a file of the tree and, with a #fragment,
a heading of that file (GitHub's anchors); the README stays a front page
(at most 300 lines); nothing refers to a specification outside the tree;
the Debian package ships every page of docs/; `./run help` names every
command ./run accepts."""

import os
import re
import subprocess

from harness import REPO

PAGES = (["README.md", "bench/README.md"]
         + sorted("docs/" + f for f in os.listdir(os.path.join(REPO, "docs"))
                  if f.endswith(".md")))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def read(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return f.read()


def outside_code(text):
    """The text less fenced code blocks and inline code spans."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(path):
    """GitHub's heading anchors: lower case, punctuation but - and _
    dropped, spaces to -, a repeated heading numbered."""
    seen, out = {}, set()
    text = re.sub(r"^```.*?^```", "", read(path), flags=re.S | re.M)
    for title in re.findall(r"^#{1,6} +(.+?) *#*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else "%s-%d" % (slug, n))
    return out


def links():
    for page in PAGES:
        for target in LINK.findall(outside_code(read(page))):
            if not re.match(r"[a-z]+:", target):
                yield page, target


def test_every_relative_link_resolves_to_a_file_and_heading():
    broken = []
    for page, target in links():
        path, _, fragment = target.partition("#")
        resolved = (os.path.normpath(os.path.join(os.path.dirname(page),
                                                  path))
                    if path else page)
        if not os.path.exists(os.path.join(REPO, resolved)):
            broken.append((page, target, "no such file"))
        elif fragment and (not resolved.endswith(".md")
                           or fragment not in anchors(resolved)):
            broken.append((page, target, "no such heading"))
    assert list(links()) and not broken, broken


def test_readme_is_a_front_page_of_at_most_300_lines():
    assert len(read("README.md").splitlines()) <= 300


def tracked_text_files():
    """The tree's own files: git's list where there is one, else a walk
    that leaves out build products and caches."""
    try:
        out = subprocess.run(["git", "-C", REPO, "ls-files"], check=True,
                             capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [os.path.relpath(os.path.join(d, f), REPO)
               for d, dirs, files in os.walk(REPO)
               for f in files
               if not re.search(r"(^|/)(\.git|\.libs|\.deps|build|"
                                r"__pycache__|autom4te\.cache)(/|$)",
                                os.path.relpath(d, REPO))]
    for path in out:
        try:
            yield path, read(path)
        except (UnicodeDecodeError, OSError):
            continue


def test_nothing_refers_to_a_specification_outside_the_tree():
    """The contract is docs/behaviour.md; nothing cites a SPEC or a
    shared/ directory that the tree does not carry."""
    cites = [path for path, text in tracked_text_files()
             if path != "test/integration/test_docs.py"
             and re.search(r"\bSPEC\b|(?<![<:])\bshared/", text)]
    assert cites == []


def test_debian_package_ships_every_page_of_docs():
    shipped = read("debian/libapache2-mod-notimpl.docs").split()
    for page in PAGES:
        if page.startswith("docs/"):
            assert page in shipped, page


def test_run_help_names_every_command_run_accepts():
    out = subprocess.run([os.path.join(REPO, "run"), "help"],
                         capture_output=True, text=True, check=True).stdout
    src = read("run")
    dispatch = src[src.index('case $cmd in'):]
    accepted = set(re.findall(r"^\s+([a-z-]+)(?: \|[^)]*)?\)", dispatch,
                              flags=re.M))
    listed = set(re.findall(r"^  \./run ([a-z-]+)", out, flags=re.M))
    assert accepted and accepted == listed, (accepted, listed)


def test_development_page_names_every_source_and_test_file():
    page = read("docs/development.md")
    files = [f for f in os.listdir(REPO)
             if re.match(r"(mod_notimpl|notimpl_\w+)\.c$", f)]
    files += [f for f in os.listdir(os.path.join(REPO, "test", "integration"))
              if re.match(r"test_\w+\.py$", f)]
    for f in files:
        stem = f[:-2] if f.endswith(".c") else f
        assert "`%s" % stem in page, f

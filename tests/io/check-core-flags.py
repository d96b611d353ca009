#!/usr/bin/env python3
# check-core-flags.py — core speaks to any front end (suite core)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-core-flags.py SOURCE_ROOT
#
# Fails, naming the file and line, when a string literal in core/ names a
# command-line flag ("--crs", "--operator" …) or the CLI ("ngam-batch"):
# an import dialog would show it to someone who cannot type it.  Core says
# what is missing (a CRS for the source, an operator for the import) and
# which option settles it (ngam_io_error_option(), the warnings' options);
# the CLI adds its flag.  Comments may name flags; only literals count.
import os
import re
import sys

root = sys.argv[1]
flag = re.compile(r'(?<![\w-])--[a-z]|\bngam-batch\b')
# file: literal text allowed, with the reason (keep it short)
ALLOWED = {
}


def literals(text):
    """Yields (line, literal) for every string literal outside comments."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            line += text.count('\n', i, j)
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == '\\' else 1
            i = j + 1
        elif c == '"':
            j, start = i + 1, line
            while j < n and text[j] != '"':
                if text[j] == '\n':
                    line += 1
                j += 2 if text[j] == '\\' else 1
            yield start, text[i + 1:j]
            i = j + 1
        else:
            i += 1


problems = []
n_files = 0
for dirpath, dirnames, filenames in os.walk(os.path.join(root, 'core')):
    dirnames.sort()
    for name in sorted(filenames):
        if not name.endswith(('.c', '.h')):
            continue
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        n_files += 1
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for line, lit in literals(text):
            if flag.search(lit) and lit not in ALLOWED.get(rel, {}):
                problems.append(f'{rel}:{line}: "{lit}" names a command-line flag; say what is missing '
                                f'in words and let the front end add its flag')
print(f'core: {n_files} files checked')
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)

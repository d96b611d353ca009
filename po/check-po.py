#!/usr/bin/env python3
# check-po.py — the translations' packaging check (suite "packaging")
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-po.py SOURCE_ROOT MSGFMT
#
# Fails, naming the file, when:
#   - a po/*.po does not pass `msgfmt --check-format -c` (a translation
#     whose %s or %d differ from the original would crash the app), or
#     has untranslated or fuzzy messages;
#   - po/LINGUAS and the po/*.po files disagree;
#   - a file under app/, core/, ui/ or data/ marks strings for translation
#     (_(), N_(), C_(), NC_(), g_dngettext(), translatable="yes", a
#     gettext-domain, a desktop entry or metainfo template) and is not in
#     po/POTFILES.in, or POTFILES.in names a file that is not there.
import os
import re
import subprocess
import sys

root, msgfmt = sys.argv[1], sys.argv[2]
po_dir = os.path.join(root, 'po')
problems = []

def listed(path):
    with open(path, encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith('#')]

# --- every catalogue compiles, completely translated ---------------------
linguas = set()
for line in listed(os.path.join(po_dir, 'LINGUAS')):
    linguas.update(line.split())
po_files = sorted(f for f in os.listdir(po_dir) if f.endswith('.po'))
for lang in sorted(linguas - {f[:-3] for f in po_files}):
    problems.append(f'po/LINGUAS: {lang} has no po/{lang}.po')
for f in po_files:
    if f[:-3] not in linguas:
        problems.append(f'po/{f}: not in po/LINGUAS (it would be neither built nor installed)')
    r = subprocess.run([msgfmt, '--check-format', '-c', '--statistics', '-o', os.devnull,
                        os.path.join(po_dir, f)], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL='C'))
    if r.returncode != 0:
        problems.append(f'po/{f}: msgfmt --check-format -c failed:\n{r.stderr.strip()}')
    elif 'untranslated' in r.stderr or 'fuzzy' in r.stderr:
        problems.append(f'po/{f}: {r.stderr.strip()}')
    else:
        print(f'po/{f}: {r.stderr.strip()}')

# --- POTFILES.in names every file with marked strings --------------------
c_mark = re.compile(r'(?<![\w])(?:N_|C_|NC_|_|g_dngettext|g_dgettext|g_dpgettext2|ngettext|dgettext)\s*\(')
ui_mark = re.compile(r'translatable\s*=\s*"yes"|gettext-domain\s*=')
potfiles = listed(os.path.join(po_dir, 'POTFILES.in'))
for p in potfiles:
    if not os.path.isfile(os.path.join(root, p)):
        problems.append(f'po/POTFILES.in: {p} does not exist')
marked = []
for top in ('app', 'core', 'ui', 'data'):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if name.endswith(('.c', '.h')):
                pattern = c_mark
            elif name.endswith(('.ui', '.xml', '.xml.in')):
                pattern = ui_mark
            else:
                pattern = None
            try:
                with open(path, encoding='utf-8') as f:
                    text = f.read()
            except (UnicodeDecodeError, OSError):
                continue
            if (pattern is not None and pattern.search(text)) or \
               name.endswith(('.desktop.in', '.metainfo.xml.in')):
                marked.append(rel)
for rel in marked:
    if rel not in potfiles:
        problems.append(f'{rel}: marks strings for translation but is not in po/POTFILES.in')
print(f'POTFILES.in: {len(potfiles)} files; {len(marked)} files mark strings')

# --- every message marked in C has its translation -------------------------
# (a string marked but missing from a catalogue would be shown in English
# to a Vietnamese planner)
xgettext = os.path.join(os.path.dirname(msgfmt), 'xgettext')
c_files = [p for p in potfiles if p.endswith(('.c', '.h')) and os.path.isfile(os.path.join(root, p))]
if os.path.exists(xgettext) and c_files:
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'ngam.pot')
        r = subprocess.run([xgettext, '--from-code=UTF-8', '--language=C', '-k_', '-kN_', '-kC_:1c,2',
                            '-kNC_:1c,2', '-kg_dngettext:2,3', '-o', pot] + c_files,
                           cwd=root, capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f'xgettext failed:\n{r.stderr.strip()}')
        else:
            def msgids(path):
                ids, cur, ctx, state = set(), None, '', None
                with open(path, encoding='utf-8') as f:
                    for line in f:
                        line = line.rstrip('\n')
                        if line.startswith('msgctxt '):
                            ctx, state = line[8:], 'ctx'
                        elif line.startswith('msgid '):
                            cur, state = line[6:], 'id'
                        elif line.startswith('"') and state == 'id':
                            cur += line
                        elif line.startswith('"') and state == 'ctx':
                            ctx += line
                        else:
                            if state == 'id' and cur is not None:
                                ids.add((ctx, cur.replace('""', '')))
                                ctx = ''
                            state = None if not line.startswith('msgstr') else 'str'
                return {i for i in ids if i[1] != '""'}
            wanted = msgids(pot)
            for f in po_files:
                have = msgids(os.path.join(po_dir, f))
                missing = sorted(wanted - have)
                for ctx, mid in missing[:20]:
                    problems.append(f'po/{f}: no translation of {mid}')
                if len(missing) > 20:
                    problems.append(f'po/{f}: … and {len(missing) - 20} more messages without a translation')

for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)

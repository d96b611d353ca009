#!/usr/bin/env python3
# check-manifest.py — what the Flatpak manifest must promise, checked
# without network: every download pinned by a sha256, PROJ's data found,
# GDAL reduced to the drivers Ngầm reads, the app built with its UI.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def modules(mods):
    for m in mods:
        if isinstance(m, dict):
            yield m
            yield from modules(m.get("modules", []))


path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

check(manifest.get("id") == "org.ngam.Ngam", "id is not org.ngam.Ngam")
check(manifest.get("runtime") == "org.gnome.Platform", "runtime is not org.gnome.Platform")
check(manifest.get("sdk") == "org.gnome.Sdk", "sdk is not org.gnome.Sdk")
check(manifest.get("command") == "ngam", "command is not ngam")
check("--env=PROJ_DATA=/app/share/proj" in manifest.get("finish-args", []),
      "finish-args do not set PROJ_DATA=/app/share/proj")
for arg in ("--socket=wayland", "--socket=fallback-x11", "--share=ipc", "--device=dri"):
    check(arg in manifest.get("finish-args", []), f"finish-args lack {arg}")

by_name = {}
for m in modules(manifest.get("modules", [])):
    by_name[m.get("name")] = m
    for s in m.get("sources", []):
        if s.get("type") in ("archive", "file"):
            check(s.get("url", "").startswith("https://"),
                  f"module {m.get('name')}: source {s.get('url')} is not https")
            check(re.fullmatch(r"[0-9a-f]{64}", s.get("sha256", "")) is not None,
                  f"module {m.get('name')}: source {s.get('url')} has no sha256")
        if s.get("type") == "git":
            check(re.fullmatch(r"[0-9a-f]{40}", s.get("commit", "")) is not None,
                  f"module {m.get('name')}: git source not pinned to a commit")

for needed in ("geos", "proj", "minizip", "freexl", "librttopo", "libspatialite", "gdal", "ngam"):
    check(needed in by_name, f"no module {needed}")

gdal = by_name.get("gdal", {}).get("config-opts", [])
for opt in ("-DGDAL_BUILD_OPTIONAL_DRIVERS=OFF", "-DOGR_BUILD_OPTIONAL_DRIVERS=OFF",
            "-DGDAL_USE_SPATIALITE=ON", "-DGDAL_USE_GEOS=ON"):
    check(opt in gdal, f"gdal lacks {opt}")
for driver in ("GPKG", "SQLITE", "SHAPE", "GEOJSON", "OSM", "CSV"):
    check(f"-DOGR_ENABLE_DRIVER_{driver}=ON" in gdal, f"gdal does not enable the {driver} driver")

ngam = manifest.get("modules", [{}])[-1]
check(ngam.get("name") == "ngam", "the last module is not ngam")
check("-Dui=enabled" in ngam.get("config-opts", []), "ngam is not built with -Dui=enabled")

for p in problems:
    print(f"{path}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)

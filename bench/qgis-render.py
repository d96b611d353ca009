#!/usr/bin/python3
# qgis-render.py — QGIS's map renderer on a Ngầm project, for
# bench/render-compare.sh
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/qgis-render.py \
#       PROJECT.ngam WIDTH HEIGHT XMIN YMIN XMAX YMAX OUT_PREFIX
#
# Loads the project's ten layers through OGR (the file is a GeoPackage),
# in Ngầm's draw order with QGIS's default symbols, and renders the
# extent into WIDTH×HEIGHT with QgsMapRendererSequentialJob and
# QgsMapRendererParallelJob: each once to warm up, then timed
# BENCH_REPEATS times (default 1), the best kept.
# Prints "sequential S" and "parallel S"; writes OUT_PREFIX-seq.png and
# OUT_PREFIX-par.png.
import os
import sys
import time

from qgis.core import (QgsApplication, QgsMapRendererParallelJob,
                       QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

# bottom to top, as core/render/ngam-render-style.c stacks them
LAYERS = ["zones", "streets", "admin", "demand", "ducts", "routes", "spans",
          "manholes", "poles", "sites"]


def main():
    path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    xmin, ymin, xmax, ymax = map(float, sys.argv[4:8])
    prefix = sys.argv[8]
    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    for name in LAYERS:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if not layer.isValid():
            sys.exit(f"qgis-render: {path}: cannot open layer {name}")
        layers.append(layer)
    settings = QgsMapSettings()
    settings.setLayers(list(reversed(layers)))   # QGIS lists top first
    settings.setDestinationCrs(layers[1].crs())
    settings.setOutputSize(QSize(w, h))
    settings.setExtent(QgsRectangle(xmin, ymin, xmax, ymax))
    settings.setBackgroundColor(QColor(242, 239, 233))
    for label, job_type in (("sequential", QgsMapRendererSequentialJob),
                            ("parallel", QgsMapRendererParallelJob)):
        seconds = None
        repeats = max(1, int(os.environ.get("BENCH_REPEATS", "1")))
        for i in range(1 + repeats):
            job = job_type(settings)
            t0 = time.monotonic()
            job.start()
            job.waitForFinished()
            if i > 0 and (seconds is None or time.monotonic() - t0 < seconds):
                seconds = time.monotonic() - t0
        job.renderedImage().save(f"{prefix}-{label[:3]}.png")
        print(f"{label} {seconds:.3f}", flush=True)
    # QGIS 3.22's exitQgis() and its destructors crash at exit when run
    # headless; the pictures are written, so leave without them.
    os._exit(0)


if __name__ == "__main__":
    main()

/* ngam-core.h — everything libngam-core offers, for app/ and ui/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-context.h"
#include "ngam-gdal.h"
#include "ngam-csv.h"
#include "ngam-format.h"
#include "ngam-locale.h"
#include "ngam-geom.h"
#include "ngam-crs.h"
#include "ngam-layer.h"
#include "ngam-feature.h"
#include "ngam-store.h"
#include "ngam-zone.h"
#include "ngam-results.h"
#include "ngam-import.h"
#include "ngam-export.h"
#include "ngam-route-export.h"
#include "ngam-graph.h"
#include "ngam-route.h"
#include "ngam-steiner.h"
#include "ngam-sample.h"
#include "ngam-render.h"
#include "ngam-plan.h"

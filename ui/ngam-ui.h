/* ngam-ui.h — everything libngam-ui offers, for app/ and the display tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-application.h"
#include "ngam-attribute-table.h"
#include "ngam-compare-window.h"
#include "ngam-edit-layer.h"
#include "ngam-import-dialog.h"
#include "ngam-inspector.h"
#include "ngam-layer-list.h"
#include "ngam-locale.h"
#include "ngam-map-view.h"
#include "ngam-plan-panel.h"
#include "ngam-report-dialog.h"
#include "ngam-result-layer.h"
#include "ngam-result-table.h"
#include "ngam-scenario-editor.h"
#include "ngam-tile-cache.h"
#include "ngam-tile-loader.h"
#include "ngam-viewport.h"
#include "ngam-window.h"

/* test-crs.c — placeholder replaced below */

/** Playwright-driven Chromium executor, its shared browser pool and the navigation policy. */
@NullMarked
package dev.sightline.tools.browser;

import org.jspecify.annotations.NullMarked;

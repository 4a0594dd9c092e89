/**
 * X11 executor: an Xvfb display (ours or an existing one), a direct X11 connection for screenshots and the pointer,
 * xdotool for keys and text.
 */
@NullMarked
package dev.sightline.tools.desktop;

import org.jspecify.annotations.NullMarked;

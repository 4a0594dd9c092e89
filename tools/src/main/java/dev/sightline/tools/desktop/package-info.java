/** X11 executor: an Xvfb display (ours or an existing one), xdotool input and ffmpeg screenshots. */
@NullMarked
package dev.sightline.tools.desktop;

import org.jspecify.annotations.NullMarked;

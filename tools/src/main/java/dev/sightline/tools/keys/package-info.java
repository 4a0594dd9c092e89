/** Key names as the model writes them, normalised and translated for Playwright and xdotool. */
@NullMarked
package dev.sightline.tools.keys;

import org.jspecify.annotations.NullMarked;

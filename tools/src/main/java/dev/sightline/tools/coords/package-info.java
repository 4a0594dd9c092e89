/** Typed pixel spaces (model image, screen) and the mapping between them. */
@NullMarked
package dev.sightline.tools.coords;

import org.jspecify.annotations.NullMarked;

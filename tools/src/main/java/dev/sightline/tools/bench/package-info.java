/** The executor benchmark run by ./sightline bench executor. */
@NullMarked
package dev.sightline.tools.bench;

import org.jspecify.annotations.NullMarked;

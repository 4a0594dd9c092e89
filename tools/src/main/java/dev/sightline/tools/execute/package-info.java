/** The executor contract shared by the browser and the desktop: screenshots in, actions out. */
@NullMarked
package dev.sightline.tools.execute;

import org.jspecify.annotations.NullMarked;

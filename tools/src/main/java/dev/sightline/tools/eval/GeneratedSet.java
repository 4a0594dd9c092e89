package dev.sightline.tools.eval;

import java.nio.file.Path;

/** What the generator wrote: the annotation file and how many items and screenshots it holds. */
public record GeneratedSet(Path annotations, int items, int screenshots) {

}

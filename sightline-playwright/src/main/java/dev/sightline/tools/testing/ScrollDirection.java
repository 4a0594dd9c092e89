package dev.sightline.tools.testing;

/** Which way {@link SightlineAi#scroll} turns the wheel; the page's content moves the other way. */
public enum ScrollDirection {

	UP, DOWN, LEFT, RIGHT

}

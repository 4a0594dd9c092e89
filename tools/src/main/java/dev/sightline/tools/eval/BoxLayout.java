package dev.sightline.tools.eval;

/**
 * How an annotation's {@code bbox} is laid out. ScreenSpot and ScreenSpot-v2 write {@code [x, y, width, height]}
 * (and have {@code data_type}); ScreenSpot-Pro writes {@code [x1, y1, x2, y2]} (and has {@code img_size} and
 * {@code ui_type}). {@link #AUTO} tells them apart by those fields.
 */
public enum BoxLayout {

	AUTO, XYWH, XYXY

}

package dev.sightline.tools.execute;

import org.jspecify.annotations.Nullable;

/**
 * What the target says lies at a point (or has the keyboard focus) just before an action there runs, for approval
 * rules. Browsers read it in a JavaScript world the page cannot patch and resolve iframes to the frame that would
 * receive the input; a desktop cannot tell and answers {@link #UNKNOWN}.
 *
 * @param pageUrl the top-level page's URL; {@code null} on a desktop
 * @param frameUrl the URL of the frame that receives the input (the page itself, or an iframe inside it);
 * {@code null} when unknown
 * @param submitsForm the input lands on a form's submit control, or Enter there submits the focused field's form
 * @param downloads the click lands on a link that downloads a file ({@code a[download]})
 * @param opaque the point lies in a frame whose content could not be read: it may submit or download anything
 * @param element short description of the element ("button 'Pay'", "input[password] 'Password'"); never an input's
 * typed value
 */
public record PointInfo(@Nullable String pageUrl, @Nullable String frameUrl, boolean submitsForm, boolean downloads,
		boolean opaque, String element) {

	public static final PointInfo UNKNOWN = new PointInfo(null, null, false, false, false, "");

}

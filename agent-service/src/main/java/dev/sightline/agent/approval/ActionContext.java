package dev.sightline.agent.approval;

import org.jspecify.annotations.Nullable;

/**
 * What the target says about an action before it runs, for the approval rules.
 *
 * @param pageHost host[:port] of the current page; null on a desktop target
 * @param frameHost host[:port] of the frame that receives the input (an iframe's own host, or the page's); null when
 * unknown
 * @param submitsForm the click lands on a form's submit control (or Enter is pressed in a form field)
 * @param downloads the click lands on a link that downloads a file ({@code a[download]})
 * @param opaque the input lands in a frame whose content could not be read; it is treated as possibly submitting
 * and downloading
 * @param element short description of the element under the point ("button 'Pay'"), empty when unknown
 */
public record ActionContext(@Nullable String pageHost, @Nullable String frameHost, boolean submitsForm,
		boolean downloads, boolean opaque, String element) {

	public static final ActionContext UNKNOWN = new ActionContext(null, null, false, false, false, "");

	/** A context in the page itself (no iframe). */
	public ActionContext(@Nullable String pageHost, boolean submitsForm, boolean downloads, String element) {
		this(pageHost, pageHost, submitsForm, downloads, false, element);
	}

}

package dev.sightline.agent.approval;

import org.jspecify.annotations.Nullable;

/**
 * What the page says about an action before it runs, for the approval rules.
 *
 * @param pageHost host[:port] of the current page; null on a desktop target
 * @param submitsForm the click lands on a form's submit control (or Enter is pressed in a form field)
 * @param downloads the click lands on a link that downloads a file ({@code a[download]})
 * @param element short description of the element under the point ("button 'Pay'"), empty when unknown
 */
public record ActionContext(@Nullable String pageHost, boolean submitsForm, boolean downloads, String element) {

	public static final ActionContext UNKNOWN = new ActionContext(null, false, false, "");

}

package dev.sightline.agent.approval;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.TypeText;

/** The configured rules; {@link #match} says which one, if any, an action must wait for. Pure logic. */
public record ApprovalRules(List<ApprovalRule> rules) {

	public static final ApprovalRules NONE = new ApprovalRules(List.of());

	public ApprovalRules {
		rules = List.copyOf(rules);
	}

	public boolean isEmpty() {
		return rules.isEmpty();
	}

	/** The reason the action waits ("submit on shop.example.com: button 'Pay'"), or empty when none applies. */
	public Optional<String> match(Action action, ActionContext context) {
		for (ApprovalRule rule : rules) {
			if (applies(rule, action, context)) {
				String element = context.element().isEmpty() ? "" : ": " + context.element();
				return Optional.of("approval rule '" + rule.describe() + "' matches " + action.name() + element);
			}
		}
		return Optional.empty();
	}

	/**
	 * A rule's hosts match the page's host or the host of the frame that receives the input (a payment iframe).
	 * Input into a frame that could not be read ({@code opaque}) is treated as possibly submitting and downloading.
	 */
	private static boolean applies(ApprovalRule rule, Action action, ActionContext context) {
		boolean hosts = rule.coversHost(context.pageHost())
				|| (context.frameHost() != null && rule.coversHost(context.frameHost()));
		return switch (rule.on()) {
			case NAVIGATE -> action instanceof Navigate navigate && rule.coversHost(hostOf(navigate.url()));
			case TYPE -> action instanceof TypeText && hosts;
			case CLICK -> isClick(action) && hosts;
			case SUBMIT -> canSubmit(action) && (context.submitsForm() || context.opaque()) && hosts;
			case DOWNLOAD -> isClick(action) && (context.downloads() || context.opaque()) && hosts;
		};
	}

	static boolean isClick(Action action) {
		return action.name().endsWith("click");
	}

	/** Actions that can submit a form: a click, Enter, or typing a line break (which presses Enter). */
	public static boolean canSubmit(Action action) {
		return isClick(action) || isEnter(action)
				|| action instanceof TypeText type && (type.text().indexOf('\n') >= 0 || type.text().indexOf('\r') >= 0);
	}

	private static boolean isEnter(Action action) {
		return action instanceof Key key && key.keys().stream().anyMatch(k -> k.equalsIgnoreCase("enter")
				|| k.equalsIgnoreCase("return") || k.equalsIgnoreCase("kp_enter"));
	}

	static @Nullable String hostOf(String url) {
		try {
			URI uri = URI.create(url.strip());
			if (uri.getHost() == null) {
				return null;
			}
			return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

}

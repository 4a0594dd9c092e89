package dev.sightline.agent.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Desktop tasks: {@code sightline.desktop.*}. A task that names no display gets an Xvfb of its own (random display
 * number, an auth cookie only the task holds, no TCP), stopped with the task. Naming an existing display gives the
 * task that display's screen and keyboard (on a workstation, {@code :0} is the operator's own desktop), so it is
 * refused unless the operator listed it here.
 *
 * @param enabled whether desktop tasks are accepted at all (default true); false refuses them at submit with 403
 * @param allowedDisplays existing displays tasks may name (default none): {@code :5} for every tenant, or
 * {@code tenant=:5} for one tenant; an entry {@code :5} also covers its screens {@code :5.N}
 * @param xauthority the Xauthority file with the cookies of the allowed displays; unset: the service's
 * {@code XAUTHORITY}, else {@code ~/.Xauthority}
 */
@Validated
@ConfigurationProperties(DesktopSettings.PREFIX)
public record DesktopSettings(@DefaultValue("true") boolean enabled, @DefaultValue List<String> allowedDisplays,
		@Nullable String xauthority) {

	public static final String PREFIX = "sightline.desktop";

	private static final Pattern ENTRY = Pattern.compile("(?:([A-Za-z0-9._-]{1,64})=)?(:[0-9]{1,5}(?:\\.[0-9]{1,2})?)");

	public DesktopSettings {
		allowedDisplays = allowedDisplays == null ? List.of() : allowedDisplays.stream().map(String::strip).toList();
		for (String entry : allowedDisplays) {
			if (!ENTRY.matcher(entry).matches()) {
				throw new IllegalArgumentException(PREFIX + ".allowed-displays entry '" + entry
						+ "' must be ':N' (every tenant) or 'tenant=:N' (one tenant), e.g. ':5' or 'acme=:5.0'");
			}
		}
	}

	/** Own Xvfb displays only, no existing display allowed. */
	public static DesktopSettings defaults() {
		return new DesktopSettings(true, List.of(), null);
	}

	/** Whether {@code tenant} may name the existing display {@code display} (e.g. {@code :5} or {@code :5.0}). */
	public boolean allows(String tenant, String display) {
		String wanted = display.strip().toLowerCase(Locale.ROOT);
		String server = wanted.contains(".") ? wanted.substring(0, wanted.indexOf('.')) : wanted;
		for (String entry : allowedDisplays) {
			var match = ENTRY.matcher(entry);
			if (!match.matches()) {
				continue;
			}
			String owner = match.group(1);
			String allowed = match.group(2);
			boolean forTenant = owner == null || owner.equals(tenant);
			boolean sameDisplay = allowed.equals(wanted) || (!allowed.contains(".") && allowed.equals(server));
			if (forTenant && sameDisplay) {
				return true;
			}
		}
		return false;
	}

	/** Why {@code tenant} may not run a desktop task on {@code display} (null: an own Xvfb), or null when it may. */
	public @Nullable String refusal(String tenant, @Nullable String display) {
		if (!enabled) {
			return "desktop tasks are turned off on this server (" + PREFIX + ".enabled=false)";
		}
		if (display != null && !allows(tenant, display)) {
			return "target.display " + display + " is not allowed for tenant '" + tenant + "' ("
					+ PREFIX + ".allowed-displays); omit target.display to get an isolated Xvfb of the task's own";
		}
		return null;
	}

}

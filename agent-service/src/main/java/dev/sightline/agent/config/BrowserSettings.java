package dev.sightline.agent.config;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.sightline.net.NavigationPolicy;

/**
 * The browser agent's reach: {@code sightline.browser.*}. Tasks may narrow these lists, never widen them.
 *
 * @param allowedHosts entries {@code host} (and its subdomains), {@code *.host}, {@code host:port}, an IP address
 * ({@code [v6]:port} with a port) or a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}); when any are listed they are
 * the only reachable hosts. Loopback, private and other special addresses are reachable only where an entry names
 * them (an address, a range, or {@code localhost})
 * @param deniedHosts entries in the same forms, never reachable (a CIDR entry denies every name resolving into it)
 * @param defaultViewportWidth viewport width in CSS pixels of a task that names none
 * @param defaultViewportHeight viewport height in CSS pixels of a task that names none
 */
@Validated
@ConfigurationProperties(BrowserSettings.PREFIX)
public record BrowserSettings(@DefaultValue List<String> allowedHosts, @DefaultValue List<String> deniedHosts,
		@DefaultValue("1280") @Min(200) @Max(7680) int defaultViewportWidth,
		@DefaultValue("720") @Min(200) @Max(4320) int defaultViewportHeight) {

	public static final String PREFIX = "sightline.browser";

	public BrowserSettings {
		// Parsed here so that a bad entry stops start-up with its name, not the first task.
		NavigationPolicy.parse(allowedHosts);
		NavigationPolicy.parse(deniedHosts);
	}

}

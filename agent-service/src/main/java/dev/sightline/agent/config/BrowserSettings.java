package dev.sightline.agent.config;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The browser agent's reach: {@code sightline.browser.*}. Tasks may narrow these lists, never widen them.
 *
 * @param allowedHosts {@code host[:port]} entries; loopback and private addresses are reachable only when listed
 * @param deniedHosts {@code host[:port]} entries never reachable
 * @param defaultViewportWidth viewport width in CSS pixels of a task that names none
 * @param defaultViewportHeight viewport height in CSS pixels of a task that names none
 */
@Validated
@ConfigurationProperties(BrowserSettings.PREFIX)
public record BrowserSettings(@DefaultValue List<String> allowedHosts, @DefaultValue List<String> deniedHosts,
		@DefaultValue("1280") @Min(200) @Max(7680) int defaultViewportWidth,
		@DefaultValue("720") @Min(200) @Max(4320) int defaultViewportHeight) {

	public static final String PREFIX = "sightline.browser";

}

package dev.sightline.agent.approval;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sightline.agent.approval.*}: which actions need a person's approval before they run.
 *
 * @param rules entries {@code on} (download | submit | click | type | navigate) and optional {@code hosts}, e.g.
 * {@code sightline.agent.approval.rules[0].on=submit}, {@code sightline.agent.approval.rules[0].hosts=shop.example.com};
 * empty (the default): no action waits
 */
@ConfigurationProperties(ApprovalSettings.PREFIX)
public record ApprovalSettings(@DefaultValue List<Entry> rules) {

	public static final String PREFIX = "sightline.agent.approval";

	/** One configured rule as bound from properties; {@link #toRule()} validates it. */
	public record Entry(String on, @DefaultValue List<String> hosts) {
	}

	public ApprovalSettings {
		rules = rules == null ? List.of() : List.copyOf(rules);
		if (rules.size() > 64) {
			throw new IllegalArgumentException(PREFIX + ".rules has " + rules.size() + " entries; at most 64");
		}
		for (int i = 0; i < rules.size(); i++) {
			Entry entry = rules.get(i);
			if (entry.on() == null) {
				throw new IllegalArgumentException(PREFIX + ".rules[" + i
						+ "].on is required (one of download, submit, click, type, navigate)");
			}
			try {
				ApprovalRule.of(entry.on(), entry.hosts());
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException(PREFIX + ".rules[" + i + "]: " + e.getMessage(), e);
			}
		}
	}

	public ApprovalRules toRules() {
		return new ApprovalRules(rules.stream().map(entry -> ApprovalRule.of(entry.on(), entry.hosts())).toList());
	}

}

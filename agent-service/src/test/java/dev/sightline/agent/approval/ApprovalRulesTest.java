package dev.sightline.agent.approval;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.ModelPoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalRulesTest {

	static final ActionContext SHOP_BUTTON = new ActionContext("shop.example.com", true, false, "button 'Pay'");

	static final ActionContext SHOP_LINK = new ActionContext("shop.example.com", false, true, "a 'report.pdf'");

	static final LeftClick CLICK = new LeftClick(new ModelPoint(10, 10));

	@Test
	void pausesASubmitOnAListedHostOnly() {
		ApprovalRules rules = new ApprovalRules(List.of(ApprovalRule.of("submit", List.of("shop.example.com"))));

		assertThat(rules.match(CLICK, SHOP_BUTTON)).hasValue(
				"approval rule 'submit on shop.example.com' matches left_click: button 'Pay'");
		assertThat(rules.match(CLICK, new ActionContext("other.example.com", true, false, ""))).isEmpty();
		assertThat(rules.match(CLICK, SHOP_LINK)).as("not a submit control").isEmpty();
		assertThat(rules.match(Key.of("Enter"), new ActionContext("shop.example.com:443", true, false, ""))).isPresent();
	}

	@Test
	void pausesAnyDownloadWhenNoHostIsListed() {
		ApprovalRules rules = new ApprovalRules(List.of(ApprovalRule.of("download", null)));

		assertThat(rules.match(CLICK, SHOP_LINK)).hasValueSatisfying(
				reason -> assertThat(reason).contains("download on any host"));
		assertThat(rules.match(CLICK, SHOP_BUTTON)).isEmpty();
	}

	@Test
	void matchesNavigationByItsDestinationAndTypingByThePage() {
		ApprovalRules rules = new ApprovalRules(List.of(ApprovalRule.of("navigate", List.of("bank.example.com")),
				ApprovalRule.of("type", List.of("shop.example.com"))));

		assertThat(rules.match(new Navigate("https://bank.example.com/transfer"), SHOP_BUTTON)).isPresent();
		assertThat(rules.match(new Navigate("https://news.example.com/"), SHOP_BUTTON)).isEmpty();
		assertThat(rules.match(new TypeText("hello"), SHOP_BUTTON)).isPresent();
		assertThat(rules.match(new TypeText("hello"), ActionContext.UNKNOWN)).as("desktop: no page host").isEmpty();
	}

	@Test
	void rejectsRulesWithAnUnknownKindOrAMalformedHost() {
		assertThatThrownBy(() -> ApprovalRule.of("delete", null)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("must be one of download, submit, click, type, navigate; got 'delete'");
		assertThatThrownBy(() -> ApprovalRule.of("click", List.of("https://x.example.com/")))
			.hasMessageContaining("approval rule host 'https://x.example.com/' must look like host or host:port");
		assertThatThrownBy(() -> new ApprovalSettings(List.of(new ApprovalSettings.Entry(null, List.of()))))
			.hasMessageContaining("sightline.agent.approval.rules[0].on is required");
	}

	@Test
	void typingALineBreakCanSubmitAndIsJudgedLikeEnter() {
		ApprovalRules rules = new ApprovalRules(List.of(ApprovalRule.of("submit", List.of("shop.example.com"))));
		ActionContext inFormField = new ActionContext("shop.example.com", true, false, "input[text] 'Card number'");

		assertThat(rules.match(new TypeText("4111\n"), inFormField)).isPresent();
		assertThat(rules.match(new TypeText("4111\r"), inFormField)).isPresent();
		assertThat(rules.match(new TypeText("4111"), inFormField)).as("no line break: nothing submits").isEmpty();
		assertThat(ApprovalRules.canSubmit(new TypeText("a\nb"))).isTrue();
	}

	@Test
	void aRuleMatchesTheHostOfTheIframeThatReceivesTheClick() {
		ApprovalRules rules = new ApprovalRules(List.of(ApprovalRule.of("submit", List.of("pay.example.net"))));
		ActionContext payFrame = new ActionContext("shop.example.com", "pay.example.net", true, false, false,
				"button 'Pay'");

		assertThat(rules.match(CLICK, payFrame)).isPresent();
		assertThat(rules.match(CLICK, new ActionContext("shop.example.com", "ads.example.org", true, false, false, "")))
			.isEmpty();
	}

	@Test
	void inputIntoAFrameThatCouldNotBeReadIsTreatedAsSubmittingAndDownloading() {
		ActionContext opaque = new ActionContext("shop.example.com", "shop.example.com", false, false, true, "iframe");

		assertThat(new ApprovalRules(List.of(ApprovalRule.of("submit", null))).match(CLICK, opaque)).isPresent();
		assertThat(new ApprovalRules(List.of(ApprovalRule.of("download", null))).match(CLICK, opaque)).isPresent();
	}

}

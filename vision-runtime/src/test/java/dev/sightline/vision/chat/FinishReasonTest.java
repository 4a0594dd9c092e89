package dev.sightline.vision.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishReasonTest {

	@Test
	void everyReasonHasOpenAisWireNameAndCancelledReadsAsStopOnTheWire() {
		assertThat(FinishReason.STOP.wireName()).isEqualTo("stop");
		assertThat(FinishReason.LENGTH.wireName()).isEqualTo("length");
		assertThat(FinishReason.TOOL_CALLS.wireName()).isEqualTo("tool_calls");
		assertThat(FinishReason.CONTENT_FILTER.wireName()).isEqualTo("content_filter");
		assertThat(FinishReason.CANCELLED.wireName()).isEqualTo("stop");
		assertThat(FinishReason.CANCELLED.label()).isEqualTo("cancelled");
	}

	@Test
	void anEndpointsReasonReadsBackIncludingTheDeprecatedFunctionCallAndUnknownOnes() {
		for (FinishReason reason : FinishReason.values()) {
			if (reason != FinishReason.CANCELLED) {
				assertThat(FinishReason.fromWire(reason.wireName())).isEqualTo(reason);
			}
		}
		assertThat(FinishReason.fromWire("LENGTH")).isEqualTo(FinishReason.LENGTH);
		assertThat(FinishReason.fromWire("function_call")).isEqualTo(FinishReason.TOOL_CALLS);
		assertThat(FinishReason.fromWire("abort")).isEqualTo(FinishReason.STOP);
		assertThat(FinishReason.fromWire(null)).isEqualTo(FinishReason.STOP);
	}

}

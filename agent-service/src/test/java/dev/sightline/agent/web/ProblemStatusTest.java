package dev.sightline.agent.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.sightline.agent.task.TaskException;

import static org.assertj.core.api.Assertions.assertThat;

/** Each typed refusal answers the status the API has always given it; the domain never names a status itself. */
class ProblemStatusTest {

	@Test
	void mapsEachTaskRefusalToItsStatus() {
		assertThat(ProblemStatus.of(TaskException.NotFound.task("t"))).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(ProblemStatus.of(new TaskException.Invalid("bad"))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ProblemStatus.of(new TaskException.Conflict("ended"))).isEqualTo(HttpStatus.CONFLICT);
		assertThat(ProblemStatus.of(new TaskException.NotPermitted("display"))).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(ProblemStatus.of(new TaskException.LimitReached("full", 5))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(ProblemStatus.of(new TaskException.Unavailable("hand-off"))).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void asksClientsToWaitOnlyWhenALimitIsReached() {
		assertThat(ProblemStatus.retryAfterSeconds(new TaskException.LimitReached("full", 5))).isEqualTo(5);
		assertThat(ProblemStatus.retryAfterSeconds(new TaskException.Conflict("ended"))).isZero();
	}

	@Test
	void leavesOtherExceptionsToTheirOwnHandlers() {
		assertThat(ProblemStatus.ofKnown(new IllegalStateException("x"))).isNull();
		assertThat(ProblemStatus.ofKnown(new HttpProblem(HttpStatus.UNPROCESSABLE_CONTENT, "no point")))
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
	}

}

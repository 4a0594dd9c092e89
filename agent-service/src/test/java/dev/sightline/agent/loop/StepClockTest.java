package dev.sightline.agent.loop;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.loop.StepClock.Phase;
import dev.sightline.agent.task.StepTimings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StepClockTest {

	@Test
	void chargesEachLapToItsPhaseAddsRepeatedPhasesAndTakesAPersonsWaitOutOfExecute() throws InterruptedException {
		StepClock clock = new StepClock();
		TimeUnit.MILLISECONDS.sleep(20);
		clock.lap(Phase.SCREENSHOT);
		TimeUnit.MILLISECONDS.sleep(30);
		clock.lap(Phase.MODEL);
		TimeUnit.MILLISECONDS.sleep(10);
		clock.lap(Phase.PARSE);
		TimeUnit.MILLISECONDS.sleep(30);
		clock.lap(Phase.MODEL); // a re-ask
		TimeUnit.MILLISECONDS.sleep(400);
		clock.skip(); // uncounted
		TimeUnit.MILLISECONDS.sleep(40);
		clock.lap(Phase.EXECUTE);
		clock.exclude(Phase.EXECUTE, TimeUnit.MILLISECONDS.toNanos(25));

		StepTimings timings = clock.timings();

		// Lower bounds are exact (sleeps never return early); upper bounds leave room for a loaded machine.
		assertThat(timings.screenshotMs()).isBetween(20.0, 300.0);
		assertThat(timings.modelMs()).isBetween(60.0, 360.0);
		assertThat(timings.parseMs()).isBetween(10.0, 300.0);
		// 40 ms less the 25 ms excluded; the 400 ms before skip() are no phase's.
		assertThat(timings.executeMs()).isBetween(15.0, 350.0);
		assertThat(timings.preprocessMs()).isZero();
		assertThat(timings.recordMs()).isZero();
		assertThat(timings.overheadMs()).isCloseTo(timings.screenshotMs() + timings.parseMs() + timings.executeMs(),
				within(1e-9));
	}

}

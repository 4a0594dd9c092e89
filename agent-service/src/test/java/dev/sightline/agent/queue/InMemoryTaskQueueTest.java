package dev.sightline.agent.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryTaskQueueTest {

	@Test
	void refusesTasksBeyondRunningPlusCapacityNamingBoth() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		try (InMemoryTaskQueue queue = new InMemoryTaskQueue(1, 1)) {
			queue.start(id -> {
				started.countDown();
				await(release);
			});
			queue.submit("a");
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			queue.submit("b");

			assertThatThrownBy(() -> queue.submit("c")).isInstanceOf(QueueFullException.class)
				.hasMessageContaining("1 running and 1 waiting");
			release.countDown();
		}
	}

	@Test
	void runsEveryTaskAndFreesItsPlace() throws Exception {
		List<String> ran = new CopyOnWriteArrayList<>();
		CountDownLatch done = new CountDownLatch(6);
		try (InMemoryTaskQueue queue = new InMemoryTaskQueue(2, 1)) {
			queue.start(id -> {
				ran.add(id);
				done.countDown();
			});
			for (int i = 0; i < 6; i++) {
				submitWhenThereIsRoom(queue, "t" + i);
			}
			assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(ran).containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5");
	}

	@Test
	void runsAtMostConcurrencyTasksAtOnce() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch twoStarted = new CountDownLatch(2);
		try (InMemoryTaskQueue queue = new InMemoryTaskQueue(2, 5)) {
			queue.start(id -> {
				twoStarted.countDown();
				await(release);
			});
			for (int i = 0; i < 4; i++) {
				queue.submit("t" + i);
			}
			assertThat(twoStarted.await(5, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(100);
			assertThat(queue.running()).isEqualTo(2);
			assertThat(queue.waiting()).isEqualTo(2);
			release.countDown();
		}
	}

	private static void submitWhenThereIsRoom(TaskQueue queue, String id) throws InterruptedException {
		for (int attempt = 0; attempt < 500; attempt++) {
			try {
				queue.submit(id);
				return;
			}
			catch (QueueFullException e) {
				Thread.sleep(10);
			}
		}
		throw new AssertionError("no room for " + id);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}

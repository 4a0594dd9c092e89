package dev.sightline.agent.loop;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.approval.ApprovalGate;
import dev.sightline.agent.approval.LocalApprovalGate;
import dev.sightline.agent.approval.ApprovalSettings;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.video.VideoSettings;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.config.DesktopSettings;
import dev.sightline.agent.config.SecuritySettings;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.result.EndOfTask;
import dev.sightline.agent.queue.InMemoryTaskQueue;
import dev.sightline.agent.queue.QueueFullException;
import dev.sightline.agent.queue.TaskQueue;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskLifecycle;
import dev.sightline.agent.task.SubmitCheck;
import dev.sightline.agent.task.TaskService;
import dev.sightline.agent.task.TaskStatus;

/** Wires queue, loop and task service; on start, re-queues what a previous process left running (once). */
@Configuration(proxyBeanMethods = false)
public class LoopConfiguration {

	private static final Logger log = LoggerFactory.getLogger(LoopConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(TaskQueue.class)
	TaskQueue taskQueue(AgentSettings settings) {
		return new InMemoryTaskQueue(settings.concurrency(), settings.queueCapacity());
	}

	@Bean
	CancelSignals cancelSignals() {
		return new CancelSignals();
	}

	@Bean
	TaskEvents taskEvents(TaskStore store) {
		return new TaskEvents(store);
	}

	@Bean
	LoopMetrics loopMetrics(MeterRegistry registry) {
		return new LoopMetrics(registry);
	}

	@Bean
	ApprovalGate approvalGate() {
		return new LocalApprovalGate();
	}

	@Bean
	TaskLifecycle taskLifecycle(TaskStore store, TaskEvents events, SecretVault secrets, SecretHandOff handOff) {
		return new TaskLifecycle(store, events, secrets, handOff);
	}

	@Bean
	AgentLoop agentLoop(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, TaskLifecycle lifecycle, AgentSettings settings,
			LoopMetrics metrics, JsonMapper json, ApprovalSettings approval, ApprovalGate approvals, VideoSettings video,
			SecretHandOff handOff, ObjectProvider<EndOfTask> endOfTask, ObjectProvider<TaskFileHandler> files) {
		AgentLoop loop = new AgentLoop(new AgentLoop.Parts(store, events, models, targets, secrets, cancels, lifecycle,
				settings, metrics, json, approval.toRules(), approvals, video.framesBetweenStepsFps(), handOff));
		endOfTask.ifAvailable(loop::endOfTask);
		files.ifAvailable(loop::files);
		return loop;
	}

	@Bean
	TaskService taskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets,
			CancelSignals cancels, ModelBackend model, AgentSettings agent, BrowserSettings browser,
			SecuritySettings security, ApprovalGate approvals, SecretHandOff handOff, DesktopSettings desktop,
			ObjectProvider<SubmitCheck> checks) {
		return new TaskService(store, queue, events, secrets, cancels, model, agent, browser, security, approvals,
				handOff, desktop, checks.orderedStream().toList());
	}

	@Bean
	QueueStarter queueStarter(TaskStore store, TaskQueue queue, AgentLoop loop, TaskLifecycle lifecycle) {
		return new QueueStarter(store, queue, loop, lifecycle);
	}

	/** Recovers unfinished tasks, then starts the workers once the application is ready. */
	public static final class QueueStarter {

		private final TaskStore store;

		private final TaskQueue queue;

		private final AgentLoop loop;

		private final TaskLifecycle lifecycle;

		QueueStarter(TaskStore store, TaskQueue queue, AgentLoop loop, TaskLifecycle lifecycle) {
			this.store = store;
			this.queue = queue;
			this.loop = loop;
			this.lifecycle = lifecycle;
		}

		@EventListener(ApplicationReadyEvent.class)
		public void start() {
			for (Task task : store.unfinished()) {
				if (task.status() == TaskStatus.QUEUED) {
					submit(task);
				}
				else if (task.requeues() == 0) {
					lifecycle.requeue(task, "interrupted by a restart; re-queued once");
					log.info("task {} was {} when the service stopped; re-queued", task.id(), task.status().wireName());
					submit(task);
				}
				else {
					lifecycle.finish(task, TaskStatus.FAILED,
							"interrupted by a restart again after being re-queued once; not re-queued");
				}
			}
			queue.start(loop::run);
		}

		private void submit(Task task) {
			try {
				queue.submit(task.id());
			}
			catch (QueueFullException e) {
				lifecycle.finish(task, TaskStatus.FAILED, "could not be re-queued after a restart: " + e.getMessage());
			}
		}

	}

}

package dev.sightline.agent.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.approval.ActionContext;
import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.approval.ApprovalGate;
import dev.sightline.agent.approval.ApprovalRules;
import dev.sightline.agent.approval.PageProbe;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.loop.StepOutcome.Finish;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;

/** The approve phase of a step: an action a rule matches waits for a person's decision before it runs. */
final class ActionApproval {

	private static final Logger log = LoggerFactory.getLogger(ActionApproval.class);

	/** How often an action is put to a person again when the page keeps changing under it. */
	private static final int MAX_APPROVAL_ASKS = 3;

	private final ApprovalRules rules;

	private final ApprovalGate approvals;

	private final TaskStore store;

	private final TaskEvents events;

	private final SecretVault secrets;

	ActionApproval(ApprovalRules rules, ApprovalGate approvals, TaskStore store, TaskEvents events, SecretVault secrets) {
		this.rules = rules;
		this.approvals = approvals;
		this.store = store;
		this.events = events;
		this.secrets = secrets;
	}

	/**
	 * Classifies the action just before it runs and, when a rule matches, waits for a person; NEXT when it may run.
	 * After the wait the target is probed again: the page may have changed while the person looked (a swapped
	 * button, a moved form). The same answer lets the action run; a different one is judged afresh (asked again when
	 * a rule matches), and a page that keeps changing is refused.
	 */
	StepOutcome approve(TaskRun run, int n, Action shown, Action action,
			CoordinateMapping mapping) {
		if (rules.isEmpty()) {
			return StepOutcome.NEXT;
		}
		ActionContext context = PageProbe.probe(run.executor, action, mapping);
		var reason = rules.match(action, context);
		for (int asks = 0; reason.isPresent(); asks++) {
			if (asks == MAX_APPROVAL_ASKS) {
				return StepOutcome.finish(TaskStatus.FAILED, "step " + n + " was approved " + asks
						+ " times but the page changed under it each time; refused");
			}
			StepOutcome decided = awaitApproval(run, n, shown, secrets.redact(run.id, reason.get()));
			if (!(decided instanceof StepOutcome.Next)) {
				return decided;
			}
			ActionContext now = PageProbe.probe(run.executor, action, mapping);
			if (now.equals(context)) {
				return StepOutcome.NEXT;
			}
			log.info("task {} step {}: the page changed while awaiting approval ({} -> {}); judging again", run.id, n,
					secrets.redact(run.id, context.toString()), secrets.redact(run.id, now.toString()));
			context = now;
			reason = rules.match(action, now);
		}
		return StepOutcome.NEXT;
	}

	/**
	 * Pauses the task as awaiting approval until a person decides, the task is cancelled or its deadline passes (the
	 * wait counts against timeoutSeconds). NEXT when approved; every other outcome ends the task.
	 */
	private StepOutcome awaitApproval(TaskRun run, int n, Action shown, String reason) {
		String id = run.id;
		CompletableFuture<ApprovalDecision> gate = approvals.open(id, reason);
		try {
			// The request (with its reason) is stored before the status says so: whoever sees awaiting_approval
			// finds what to decide on.
			events.publish(new TaskEvent.ApprovalRequested(id, n, shown, reason));
			boolean paused;
			try {
				paused = store.changeStatus(id, TaskStatus.RUNNING, TaskStatus.AWAITING_APPROVAL);
			}
			catch (UnsupportedOperationException e) {
				return StepOutcome.finish(TaskStatus.FAILED,
						"step " + n + " needs approval (" + reason + ") but " + e.getMessage());
			}
			if (!paused) {
				Finish limit = run.limits();
				return limit != null ? limit : StepOutcome.finish(TaskStatus.FAILED,
						"step " + n + " needs approval but the task was no longer running");
			}
			log.info("task {} awaits approval of step {}: {}", id, n, reason);
			CompletableFuture.anyOf(gate, run.cancel)
				.get(Math.max(1, run.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (!gate.isDone()) {
				return StepOutcome.finish(TaskStatus.CANCELLED, "cancelled while awaiting approval of step " + n);
			}
			ApprovalDecision decision = gate.join();
			events.publish(new TaskEvent.ApprovalDecided(id, n, decision.approved(), decision.comment()));
			if (!decision.approved()) {
				return StepOutcome.finish(TaskStatus.FAILED, "rejected by a person: step " + n + " would "
						+ shown.name() + " (" + reason + ")"
						+ (decision.comment() == null ? "" : "; comment: " + decision.comment()));
			}
			store.changeStatus(id, TaskStatus.AWAITING_APPROVAL, TaskStatus.RUNNING);
			log.info("task {} step {} approved", id, n);
			return StepOutcome.NEXT;
		}
		catch (TimeoutException e) {
			return StepOutcome.finish(TaskStatus.TIMED_OUT, "timed out after " + run.spec.timeoutSeconds()
					+ " s (timeoutSeconds) while awaiting approval of step " + n);
		}
		catch (InterruptedException e) {
			return StepOutcome.LEFT_RUNNING;
		}
		catch (ExecutionException e) {
			throw new IllegalStateException("approval wait failed", e);
		}
		finally {
			approvals.close(id);
		}
	}

}

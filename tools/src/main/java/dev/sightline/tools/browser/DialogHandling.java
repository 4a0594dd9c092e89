package dev.sightline.tools.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.PlaywrightException;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.execute.HandledDialog;
import dev.sightline.tools.execute.OpenDialog;

/**
 * Keeps a page's JavaScript dialogs open until the model answers them, without letting a task hang.
 * <p>
 * A dialog opened by an input event blocks that event: Chromium acknowledges the mouse-up (or key press) that ran
 * {@code alert()} only once the dialog closes, so the Playwright call that sent it does not return until then. The
 * executor therefore sends input from a thread of its own (the input thread): when a dialog opens, Playwright calls
 * this listener on that thread, nested inside the pending call; the listener records the dialog, lets the task's
 * thread go on, and serves every further Playwright call of the executor (screenshots, the answer) on the input
 * thread until the dialog is answered. Playwright's Java client allows calls from inside its event listeners but not
 * from two threads at once, so every call goes through {@link #run}, which picks the one thread allowed to make it.
 * A dialog opened outside input (a timer firing while the executor waits) blocks nothing and is only recorded.
 * <p>
 * A dialog left unanswered for {@code timeoutMs} is dismissed with a note; so is one still open when the model acts
 * elsewhere (input cannot reach a page that waits on a dialog).
 */
final class DialogHandling implements AutoCloseable {

	/** How long the task's thread waits between looks at the input thread. */
	private static final long POLL_MS = 5;

	private final long timeoutMs;

	private final ExecutorService input;

	private volatile @Nullable Thread inputThread;

	private final BlockingQueue<FutureTask<?>> calls = new LinkedBlockingQueue<>();

	/** Answered or timed-out dialogs not yet reported with an action. */
	private final List<HandledDialog> handled = new ArrayList<>();

	private volatile @Nullable Dialog open;

	private volatile @Nullable OpenDialog openInfo;

	private volatile long openedNs;

	/** The input thread is blocked under a dialog and runs the executor's calls. */
	private volatile boolean serving;

	/** Input sent but not finished: blocked under a dialog, or finishing once it closed. */
	private @Nullable Future<String> pendingInput;

	DialogHandling(long timeoutMs) {
		this.timeoutMs = timeoutMs;
		this.input = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("sightline-input").daemon().factory());
	}

	/** The Playwright listener of every page's dialogs. */
	void opened(Dialog dialog) {
		if (open != null) {
			// A second dialog cannot open while one waits; a page that manages it anyway gets it dismissed.
			dismissQuietly(dialog, "dismissed: another dialog was already open");
			return;
		}
		open = dialog;
		openInfo = new OpenDialog(dialog.type(), dialog.message(),
				dialog.defaultValue() == null ? "" : dialog.defaultValue());
		openedNs = System.nanoTime();
		if (Thread.currentThread() == inputThread) {
			serve();
		}
	}

	/** The dialog the page waits on; empty when none. */
	@Nullable OpenDialog openDialog() {
		return openInfo;
	}

	/**
	 * Sends input on the input thread and returns its sentence once it is done, or {@code null} as soon as a dialog
	 * opened under it (the input finishes when the dialog is answered).
	 */
	@Nullable String input(Supplier<String> send) {
		Future<String> sent = input.submit(() -> {
			inputThread = Thread.currentThread();
			return send.get();
		});
		while (true) {
			try {
				return sent.get(POLL_MS, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				if (serving) {
					pendingInput = sent;
					return null;
				}
			}
			catch (ExecutionException ex) {
				throw unwrap(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ToolsException("interrupted while the page received input", ex);
			}
		}
	}

	/** Answers the open dialog as the model asked; a sentence for the record. */
	String answer(AnswerDialog answer) {
		OpenDialog info = openInfo;
		if (info == null) {
			return "dialog " + answer.button() + ": no dialog is open";
		}
		run(() -> {
			close(answer.accept(), answer.text(), HandledDialog.BY_THE_MODEL);
			return null;
		});
		awaitInput();
		return "dialog " + answer.button() + (answer.text() == null ? "" : " with " + answer.text().length()
				+ " characters") + " (" + info.type() + " \"" + info.message() + "\")";
	}

	/** Before the model's other actions: dismisses an open dialog (input cannot reach the page while it waits). */
	void dismissBefore(String action) {
		if (openInfo == null) {
			return;
		}
		run(() -> {
			close(false, null, "dismissed: the model did " + action + " without answering it");
			return null;
		});
		awaitInput();
	}

	/** Waits {@code ms} while a dialog is open, dismissing it at its bound; returns early once it is closed. */
	void waitUnder(long ms) {
		long deadlineNs = System.nanoTime() + ms * 1_000_000;
		while (openInfo != null && System.nanoTime() < deadlineNs) {
			expireOverdue();
			sleep();
		}
	}

	/** Dismisses the open dialog once it has waited past the bound, recording why. */
	void expireOverdue() {
		if (openInfo != null && System.nanoTime() - openedNs > timeoutMs * 1_000_000) {
			run(() -> {
				close(false, null, "dismissed: unanswered for " + timeoutMs + " ms");
				return null;
			});
			awaitInput();
		}
	}

	/** The dialogs answered since the last call, oldest first. */
	List<HandledDialog> drainHandled() {
		synchronized (handled) {
			List<HandledDialog> drained = List.copyOf(handled);
			handled.clear();
			return drained;
		}
	}

	/**
	 * Runs one Playwright call of the executor on the thread allowed to make it: the input thread while it is
	 * blocked under a dialog, else the caller's once any input still finishing is done.
	 */
	<T> T run(Supplier<T> work) {
		while (true) {
			if (serving && Thread.currentThread() != inputThread) {
				FutureTask<T> call = new FutureTask<>(work::get);
				calls.add(call);
				while (!call.isDone()) {
					if (!serving && calls.remove(call)) {
						// The dialog closed (timed out) before the input thread took it: run it here.
						return work.get();
					}
					try {
						return call.get(POLL_MS, TimeUnit.MILLISECONDS);
					}
					catch (TimeoutException ex) {
						// Look again.
					}
					catch (ExecutionException ex) {
						throw unwrap(ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new ToolsException("interrupted while a page dialog was open", ex);
					}
				}
				try {
					return call.get();
				}
				catch (ExecutionException ex) {
					throw unwrap(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new ToolsException("interrupted while a page dialog was open", ex);
				}
			}
			Future<String> pending = pendingInput;
			if (pending == null || pending.isDone() || Thread.currentThread() == inputThread) {
				return work.get();
			}
			sleep();
		}
	}

	/** The listener's loop on the input thread: runs the executor's calls until the dialog is answered or overdue. */
	private void serve() {
		serving = true;
		try {
			while (open != null) {
				long leftMs = timeoutMs - (System.nanoTime() - openedNs) / 1_000_000;
				if (leftMs <= 0) {
					close(false, null, "dismissed: unanswered for " + timeoutMs + " ms");
					break;
				}
				FutureTask<?> call;
				try {
					call = calls.poll(Math.min(leftMs, 50), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					// The executor is closing: let the page go.
					close(false, null, "dismissed: the browser closed");
					break;
				}
				if (call != null) {
					call.run();
				}
			}
		}
		finally {
			serving = false;
		}
	}

	/** Waits until input blocked under the closed dialog has finished (or blocks under a new one). */
	private void awaitInput() {
		Future<String> pending = pendingInput;
		while (pending != null && !pending.isDone() && !serving) {
			sleep();
		}
		if (pending != null && pending.isDone()) {
			pendingInput = null;
			try {
				pending.get();
			}
			catch (ExecutionException ex) {
				// The input's own failure surfaced after the dialog; the answer itself succeeded.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void close(boolean accept, @Nullable String text, String note) {
		Dialog dialog = open;
		OpenDialog info = openInfo;
		if (dialog == null || info == null) {
			return;
		}
		open = null;
		openInfo = null;
		try {
			if (accept) {
				if (text != null) {
					dialog.accept(text);
				}
				else {
					dialog.accept();
				}
			}
			else {
				dialog.dismiss();
			}
		}
		catch (PlaywrightException ex) {
			// The page went away with its dialog: nothing waits on it any more.
		}
		synchronized (handled) {
			handled.add(new HandledDialog(info.type(), info.message(), accept, note));
		}
	}

	private void dismissQuietly(Dialog dialog, String note) {
		try {
			dialog.dismiss();
		}
		catch (PlaywrightException ex) {
			// Gone with its page.
		}
		synchronized (handled) {
			handled.add(new HandledDialog(dialog.type(), dialog.message(), false, note));
		}
	}

	private static RuntimeException unwrap(ExecutionException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new ToolsException("page input failed: " + cause, cause);
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL_MS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ToolsException("interrupted while waiting for page input to finish", ex);
		}
	}

	@Override
	public void close() {
		input.shutdownNow();
	}

}

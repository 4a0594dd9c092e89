package dev.sightline.tools.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * Runs every item of a set at every pixel budget through one model, at most {@code concurrency} calls in flight,
 * and writes the results into an output folder: {@code results.jsonl} (appended as runs finish; runs already in it
 * are skipped, so a stopped run resumes; failed calls are retried), {@code report.json}, {@code results.csv} and {@code misses.html}. Runs are
 * started budget by budget in the given order, items in set order.
 */
public final class GroundingRunner {

	public static final String RESULTS_JSONL = "results.jsonl";

	private final VisionLanguageModel model;

	private final ModelProfile profile;

	private final EvalSettings settings;

	private final EvalProgress.Listener progress;

	/** A run asking {@code model} as a model of the family {@code profile}. */
	public GroundingRunner(VisionLanguageModel model, ModelProfile profile, EvalSettings settings) {
		this(model, profile, settings, EvalProgress.Listener.NONE);
	}

	GroundingRunner(VisionLanguageModel model, ModelProfile profile, EvalSettings settings,
			EvalProgress.Listener progress) {
		this.model = model;
		this.profile = profile;
		this.settings = settings;
		this.progress = progress;
	}

	/** Runs what is not yet in {@code outDir}, then reports on all of it. */
	public AccuracyReport run(List<GroundingItem> items, Path outDir, RunInfo info) throws IOException {
		Files.createDirectories(outDir);
		ItemGrounder grounder = new ItemGrounder(model, profile);
		try (ResultLog log = ResultLog.open(outDir.resolve(RESULTS_JSONL))) {
			record Run(GroundingItem item, PixelBudget budget) {
			}
			List<Run> todo = new ArrayList<>();
			for (PixelBudget budget : settings.budgets()) {
				for (GroundingItem item : items) {
					if (!log.finished(ItemResult.key(item.id(), budget.maxPixels()))) {
						todo.add(new Run(item, budget));
					}
				}
			}
			int total = items.size() * settings.budgets().size();
			// Runs recorded by an earlier, interrupted invocation count as done for the progress bar.
			AtomicInteger done = new AtomicInteger(total - todo.size());
			AtomicInteger hits = new AtomicInteger(
					(int) log.results().stream().filter(ItemResult::hit).count());
			List<Runnable> pending = new ArrayList<>();
			for (Run run : todo) {
				pending.add(() -> {
					ItemResult result = grounder.run(run.item(), run.budget());
					try {
						log.append(result);
					}
					catch (IOException e) {
						throw new UncheckedIOException("cannot append to " + log.file(), e);
					}
					int hitCount = result.hit() ? hits.incrementAndGet() : hits.get();
					progress.onResult(done.incrementAndGet(), total, hitCount);
				});
			}
			runAll(pending);
			List<ItemResult> results = log.results();
			AccuracyReport report = AccuracyReport.of(results);
			ReportWriter.writeJson(outDir.resolve(ReportWriter.REPORT_JSON), info, report);
			ReportWriter.writeCsv(outDir.resolve(ReportWriter.RESULTS_CSV), results);
			MissesPage.write(outDir.resolve(MissesPage.FILE), results);
			return report;
		}
	}

	private void runAll(List<Runnable> pending) throws IOException {
		if (pending.isEmpty()) {
			return;
		}
		ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), Thread.ofPlatform()
			.name("eval-", 0)
			.daemon(true)
			.factory());
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (Runnable task : pending) {
				futures.add(pool.submit(task));
			}
			for (Future<?> future : futures) {
				try {
					future.get();
				}
				catch (ExecutionException e) {
					if (e.getCause() instanceof UncheckedIOException io) {
						throw io.getCause();
					}
					throw new IllegalStateException("a grounding run failed: " + e.getCause(), e.getCause());
				}
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted; finished runs are kept in " + RESULTS_JSONL, e);
		}
		finally {
			pool.shutdownNow();
		}
	}

}

package dev.sightline.agent.video;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.task.TaskStore;

/**
 * A task's screen history as a timed clip: each step's screenshot at its capture time, in seconds since the first
 * recorded screenshot. Only the tenant's own tasks are readable; another tenant's id answers 404 as an unknown one.
 */
public final class TaskRecordings {

	/** A step's screenshot, or a frame sampled during that step ({@code frame} not null), and when. */
	record RecordedStep(int step, double timestampSec, TaskStore.@Nullable Frame frame) {

		RecordedStep(int step, double timestampSec) {
			this(step, timestampSec, null);
		}

	}

	private final TaskStore store;

	public TaskRecordings(TaskStore store) {
		this.store = store;
	}

	/** Capture times of every recorded screenshot, without reading the images. */
	List<RecordedStep> timeline(String tenant, String taskId) {
		Task task = store.find(tenant, taskId).orElseThrow(() -> TaskException.NotFound.task(taskId));
		List<Step> steps = store.steps(task.id()).stream().filter(s -> s.screenshotBytes() > 0).toList();
		List<RecordedStep> timeline = new ArrayList<>();
		if (steps.isEmpty()) {
			return timeline;
		}
		Instant origin = steps.get(0).startedAt();
		List<RecordedStep> all = new ArrayList<>();
		for (Step step : steps) {
			all.add(new RecordedStep(step.n(), Duration.between(origin, step.startedAt()).toNanos() / 1e9));
		}
		// Frames sampled between steps (sightline.video.frames-between-steps-fps) fill the gaps.
		for (TaskStore.Frame frame : store.frames(task.id())) {
			all.add(new RecordedStep(frame.step(), Duration.between(origin, frame.capturedAt()).toNanos() / 1e9, frame));
		}
		all.sort(java.util.Comparator.comparingDouble(RecordedStep::timestampSec));
		for (RecordedStep recorded : all) {
			// Two captures within the clock's resolution carry no new time; the model needs strictly rising times.
			if (timeline.isEmpty() || recorded.timestampSec() > timeline.get(timeline.size() - 1).timestampSec()) {
				timeline.add(recorded);
			}
		}
		return timeline;
	}

	/** The clip of a task: every recorded screenshot, or those {@link FrameSelection} picks. */
	List<ClipFrame> frames(String tenant, String taskId, double fps, int maxFrames, int maxDurationSeconds) {
		List<RecordedStep> timeline = timeline(tenant, taskId);
		if (timeline.isEmpty()) {
			throw VideoProblem.undecodable("task '" + taskId + "' has no recorded screenshots yet (0 frames)");
		}
		double durationSec = timeline.get(timeline.size() - 1).timestampSec();
		if (durationSec > maxDurationSeconds) {
			throw VideoProblem.tooLong(String.format(Locale.ROOT,
					"the recording of task '%s' lasts %.1f s, more than the ceiling of %d s "
							+ "(sightline.video.max-duration-seconds)",
					taskId, durationSec, maxDurationSeconds));
		}
		double[] times = timeline.stream().mapToDouble(RecordedStep::timestampSec).toArray();
		List<ClipFrame> frames = new ArrayList<>();
		for (int i : FrameSelection.select(times, fps, maxFrames)) {
			RecordedStep recorded = timeline.get(i);
			byte[] png = (recorded.frame() == null ? store.screenshot(taskId, recorded.step())
					: store.frame(taskId, recorded.frame()))
				.orElseThrow(() -> VideoProblem.undecodable(
						"the screenshot of step " + recorded.step() + " of task '" + taskId + "' is missing"));
			frames.add(new ClipFrame(png, recorded.timestampSec(), recorded.step()));
		}
		return frames;
	}

	/** Every recorded screenshot, for export. */
	List<ClipFrame> allFrames(String tenant, String taskId) {
		return frames(tenant, taskId, 1e9, Integer.MAX_VALUE, Integer.MAX_VALUE);
	}

}

package dev.sightline.agent.loop;

import java.nio.file.Path;
import java.util.List;

import dev.sightline.agent.task.Task;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.UploadFile;

/** Where the loop gets a task's input files from and leaves its downloads; nothing either way by default. */
public interface TaskFileHandler {

	TaskFileHandler NONE = new TaskFileHandler() {

		@Override
		public List<UploadFile> uploadsFor(Task task, Path dir) {
			return List.of();
		}

		@Override
		public void keep(String taskId, List<Download> downloads) {
		}

		@Override
		public void release(String taskId) {
		}

	};

	/** The task's input files, written under {@code dir} for the page's file chooser. */
	List<UploadFile> uploadsFor(Task task, Path dir);

	/** Keeps what an action downloaded as the task's files; the working copies are then removed. */
	void keep(String taskId, List<Download> downloads);

	/** The task's run is over: removes what {@link #uploadsFor} wrote for it. */
	void release(String taskId);

}

package dev.sightline.tools.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.FilePayload;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.execute.PageEvent;
import dev.sightline.tools.execute.UploadFile;

/**
 * What a person would look at: a popup or new tab becomes the task's current page, and when it closes its opener
 * (else the last open page) is current again. Also serves the page's file choosers with the task's files. Each
 * change is kept as a {@link PageEvent} for the action during which it happened. Called from Playwright's listeners,
 * which run on the thread inside a Playwright call of the executor.
 */
final class PageFollower {

	/** A page change seen by a listener; the URL is read when reported, since a popup opens at about:blank. */
	private record Seen(PageEvent.Kind kind, Page page, String detail) {
	}

	private final List<UploadFile> uploads;

	private final List<Seen> seen = new ArrayList<>();

	private @Nullable Page current;

	PageFollower(List<UploadFile> uploads) {
		this.uploads = List.copyOf(uploads);
	}

	/** The page screenshots and actions go to. */
	Page current() {
		if (current == null) {
			throw new IllegalStateException("no page opened yet");
		}
		return current;
	}

	/** A page of the context opened: the first one, or a popup / new tab that now takes over. */
	void opened(Page page) {
		if (current != null) {
			synchronized (seen) {
				seen.add(new Seen(PageEvent.Kind.PAGE_OPENED, page, "a popup or new tab opened and became current"));
			}
		}
		current = page;
	}

	/** A page closed; when it was the current one, its opener (else the last page still open) takes over. */
	void closed(Page page, List<Page> stillOpen) {
		if (page != current) {
			return;
		}
		Page opener = null;
		try {
			opener = page.opener();
		}
		catch (PlaywrightException ex) {
			// The opener is gone too.
		}
		Page next = opener != null && !opener.isClosed() ? opener
				: stillOpen.stream().filter(p -> p != page && !p.isClosed()).reduce((a, b) -> b).orElse(null);
		synchronized (seen) {
			seen.add(new Seen(PageEvent.Kind.PAGE_CLOSED, page,
					next == null ? "the current page closed; no page is left" : "closed; back to its opener"));
		}
		if (next != null) {
			current = next;
		}
	}

	/**
	 * The page opened a file chooser (the model clicked an upload control): it gets the task's files, all of them
	 * when it takes several, else the first; without files nothing is chosen and the chooser is left dismissed.
	 */
	void fileChooser(FileChooser chooser) {
		Page page = chooser.page();
		if (uploads.isEmpty()) {
			record(PageEvent.Kind.FILE_CHOOSER_DISMISSED, page, "file chooser dismissed: the task has no files");
			return;
		}
		List<UploadFile> chosen = chooser.isMultiple() ? uploads : uploads.subList(0, 1);
		List<FilePayload> payloads = new ArrayList<>(chosen.size());
		try {
			for (UploadFile file : chosen) {
				// As payloads, so the page sees the task's file names, not those of the files on disk.
				payloads.add(new FilePayload(file.name(), file.contentType(), Files.readAllBytes(file.path())));
			}
			chooser.setFiles(payloads.toArray(FilePayload[]::new));
		}
		catch (IOException | PlaywrightException ex) {
			record(PageEvent.Kind.FILE_CHOOSER_DISMISSED, page, "file chooser dismissed: " + ex.getMessage());
			return;
		}
		record(PageEvent.Kind.FILES_CHOSEN, page, chosen.size() + (chosen.size() == 1 ? " file: " : " files: ")
				+ chosen.stream().map(UploadFile::name).collect(Collectors.joining(", ")));
	}

	private void record(PageEvent.Kind kind, Page page, String detail) {
		synchronized (seen) {
			seen.add(new Seen(kind, page, detail));
		}
	}

	/** The events since the last call, oldest first. */
	List<PageEvent> drain() {
		synchronized (seen) {
			List<PageEvent> events = new ArrayList<>(seen.size());
			for (Seen s : seen) {
				events.add(new PageEvent(s.kind(), s.page().url(), s.detail()));
			}
			seen.clear();
			return events;
		}
	}

}

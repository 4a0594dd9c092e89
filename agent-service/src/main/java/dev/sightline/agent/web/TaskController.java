package dev.sightline.agent.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.sightline.agent.task.TaskView;
import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.task.FileInput;
import dev.sightline.agent.files.TaskFiles;
import dev.sightline.agent.idempotency.IdempotentSubmit;
import dev.sightline.agent.result.TaskResults;
import dev.sightline.agent.webhook.WebhookOutbox;
import dev.sightline.agent.webhook.Webhooks;
import dev.sightline.agent.security.CurrentTenant;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskService;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.TaskTarget;

/** Tasks of the calling tenant. */
@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {

	/** An idle SSE connection is closed after this; clients reconnect with Last-Event-ID. */
	static final long SSE_TIMEOUT_MS = 30 * 60 * 1000L;

	private final TaskService tasks;

	private final TaskEvents events;

	private final IdempotentSubmit idempotent;

	private final TaskResults results;

	private final Webhooks webhooks;

	private final TaskFiles files;

	TaskController(TaskService tasks, TaskEvents events, IdempotentSubmit idempotent, TaskResults results,
			Webhooks webhooks, TaskFiles files) {
		this.files = files;
		this.tasks = tasks;
		this.events = events;
		this.idempotent = idempotent;
		this.results = results;
		this.webhooks = webhooks;
	}

	@GetMapping("/{id}/deliveries")
	@Operation(summary = "The task's webhook deliveries and each attempt: when, the HTTP status or error, how long")
	List<WebhookOutbox.Log> deliveries(@CurrentTenant String tenant, @PathVariable String id) {
		tasks.get(tenant, id);
		return webhooks.deliveries(id);
	}

	@PostMapping
	@Operation(summary = "Submit a task; it runs asynchronously (202 with Location). With an Idempotency-Key, the same "
			+ "key and body within 24 h return the original task (200), a different body 422")
	ResponseEntity<TaskView> submit(@CurrentTenant String tenant,
			@RequestHeader(value = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
			@Valid @RequestBody TaskRequest request) {
		List<TaskFiles.Incoming> incoming = files.check(request.files());
		if (!incoming.isEmpty() && !(request.target() instanceof TaskTarget.Browser)) {
			throw new TaskException.Invalid(
					"files are offered to a browser page's file chooser; a desktop task cannot take them");
		}
		IdempotentSubmit.Submitted submitted = idempotent.submit(tenant, idempotencyKey, request, id -> {
			// Stored before the task is queued, so whichever worker (or replica) runs it finds them.
			files.storeInputs(id, incoming);
			try {
				return tasks.submit(tenant, request, id);
			}
			catch (RuntimeException e) {
				files.forget(id);
				throw e;
			}
		});
		Task task = submitted.task();
		return ResponseEntity.status(submitted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
			.location(URI.create("/api/v1/tasks/" + task.id()))
			.body(TaskView.of(task));
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Submit a task with files: a 'request' part holding the JSON body, and file parts (any part "
			+ "name; the file name is the part's filename) that the page's file chooser receives")
	ResponseEntity<TaskView> submitMultipart(@CurrentTenant String tenant,
			@RequestHeader(value = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
			@Valid @RequestPart("request") TaskRequest request, MultipartHttpServletRequest multipart)
			throws IOException {
		List<FileInput> parts = new ArrayList<>();
		for (MultipartFile part : multipart.getMultiFileMap().values().stream().flatMap(List::stream).toList()) {
			if (part.getName().equals("request")) {
				continue;
			}
			String name = part.getOriginalFilename() == null || part.getOriginalFilename().isEmpty() ? part.getName()
					: part.getOriginalFilename();
			if (part.getSize() > files.settings().maxInputFileBytes()) {
				// Refused before its bytes are copied (and Base64-encoded) at all.
				throw new TaskException.TooLarge("file '" + name + "' has " + part.getSize()
						+ " bytes, more than the limit of " + files.settings().maxInputFileBytes()
						+ " bytes (sightline.files.max-input-file-bytes)");
			}
			// Carried as the JSON form, so an Idempotency-Key's body hash covers the files' content too.
			parts.add(new FileInput(name, Base64.getEncoder().encodeToString(part.getBytes()), part.getContentType()));
		}
		return submit(tenant, idempotencyKey, request.withFiles(parts));
	}

	@GetMapping("/{id}/files")
	@Operation(summary = "The files the task downloaded: name, size, SHA-256 and content type of each")
	List<TaskFile> files(@CurrentTenant String tenant, @PathVariable String id) {
		tasks.get(tenant, id);
		return files.outputs(id);
	}

	@GetMapping("/{id}/files/{name}")
	@Operation(summary = "A file the task downloaded, as an attachment")
	ResponseEntity<byte[]> file(@CurrentTenant String tenant, @PathVariable String id, @PathVariable String name) {
		tasks.get(tenant, id);
		TaskFile file = files.output(id, name)
			.orElseThrow(() -> new TaskException.NotFound("task '" + id + "' has no file '" + name + "'"));
		byte[] content = files.outputContent(id, name)
			.orElseThrow(() -> new TaskException.NotFound("task '" + id + "' has no file '" + name + "'"));
		MediaType type;
		try {
			type = MediaType.parseMediaType(file.contentType());
		}
		catch (org.springframework.http.InvalidMediaTypeException e) {
			type = MediaType.APPLICATION_OCTET_STREAM;
		}
		// An attachment the browser must not sniff: a downloaded page never runs in the service's origin.
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
			.header("X-Content-Type-Options", "nosniff")
			.header("X-Checksum-SHA256", file.sha256())
			.body(content);
	}

	@GetMapping("/{id}")
	@Operation(summary = "A task; with its structured result once it has one")
	TaskView get(@CurrentTenant String tenant, @PathVariable String id) {
		Task task = tasks.get(tenant, id);
		return TaskView.of(task, task.spec().output() == null ? null : results.of(id).orElse(null));
	}

	@GetMapping
	@Operation(summary = "The tenant's tasks, newest first; filter by status")
	TaskView.Page list(@CurrentTenant String tenant,
			@RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		TaskStatus filter;
		try {
			filter = status == null ? null : TaskStatus.fromWire(status);
		}
		catch (IllegalArgumentException e) {
			throw new TaskException.Invalid(e.getMessage());
		}
		TaskStore.TaskPage result = tasks.list(tenant, filter, page, size);
		return new TaskView.Page(result.items().stream().map(TaskView::of).toList(), result.total(), result.page(),
				result.size());
	}

	@PostMapping("/{id}/cancel")
	ResponseEntity<TaskView> cancel(@CurrentTenant String tenant,
			@PathVariable String id) {
		return ResponseEntity.accepted().body(TaskView.of(tasks.cancel(tenant, id)));
	}

	@PostMapping("/{id}/approve")
	@Operation(summary = "Approve the action a task awaits; the task goes on (409 when it is not awaiting approval)")
	ResponseEntity<TaskView> approve(@CurrentTenant String tenant,
			@PathVariable String id, @RequestBody(required = false) @Nullable DecisionRequest body) {
		return ResponseEntity.accepted().body(TaskView.of(tasks.decide(tenant, id, decision(true, body))));
	}

	@PostMapping("/{id}/reject")
	@Operation(summary = "Reject the action a task awaits; the task fails (409 when it is not awaiting approval)")
	ResponseEntity<TaskView> reject(@CurrentTenant String tenant,
			@PathVariable String id, @RequestBody(required = false) @Nullable DecisionRequest body) {
		return ResponseEntity.accepted().body(TaskView.of(tasks.decide(tenant, id, decision(false, body))));
	}

	/** Optional body of approve and reject: a note quoted in the task's events (and message when rejected). */
	record DecisionRequest(@Nullable String comment) {
	}

	private static ApprovalDecision decision(boolean approved, @Nullable DecisionRequest body) {
		try {
			return new ApprovalDecision(approved, body == null ? null : body.comment());
		}
		catch (IllegalArgumentException e) {
			throw new TaskException.Invalid(e.getMessage());
		}
	}

	@GetMapping("/{id}/steps")
	List<Step> steps(@CurrentTenant String tenant, @PathVariable String id) {
		return tasks.steps(tenant, id);
	}

	@GetMapping(value = "/{id}/steps/{n}/screenshot", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> screenshot(@CurrentTenant String tenant,
			@PathVariable String id, @PathVariable int n) {
		byte[] png = tasks.screenshot(tenant, id, n)
			.orElseThrow(() -> new TaskException.NotFound("task '" + id + "' has no screenshot of step " + n));
		return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png);
	}

	@GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Server-Sent Events of the task; reconnect with Last-Event-ID to replay what was missed")
	SseEmitter events(@CurrentTenant String tenant, @PathVariable String id,
			@RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId) {
		Task task = tasks.get(tenant, id);
		long after = parseLastEventId(lastEventId);
		SseEmitter emitter = new SseEmitter(SSE_TIMEOUT_MS);
		AtomicLong sent = new AtomicLong(after);
		Object lock = new Object();
		// Subscribe before replaying so nothing falls between; live events that arrive during the replay wait in
		// pending and follow it in id order, and the id check drops what both deliver.
		List<StoredEvent> pending = new ArrayList<>();
		boolean[] replaying = { true };
		Runnable unsubscribe = events.subscribe(id, event -> {
			synchronized (lock) {
				if (replaying[0]) {
					pending.add(event);
				}
				else {
					send(emitter, event, sent, lock);
				}
			}
		});
		emitter.onCompletion(unsubscribe);
		emitter.onTimeout(unsubscribe);
		emitter.onError(error -> unsubscribe.run());
		synchronized (lock) {
			for (StoredEvent event : events.replay(id, after)) {
				send(emitter, event, sent, lock);
			}
			pending.sort(Comparator.comparingLong(StoredEvent::id));
			for (StoredEvent event : pending) {
				send(emitter, event, sent, lock);
			}
			replaying[0] = false;
		}
		if (task.status().isFinal() && tasks.get(tenant, id).status().isFinal()) {
			emitter.complete();
		}
		return emitter;
	}

	private static void send(SseEmitter emitter, StoredEvent event, AtomicLong sent, Object lock) {
		synchronized (lock) {
			if (event.id() <= sent.get()) {
				return;
			}
			try {
				emitter.send(SseEmitter.event()
					.id(Long.toString(event.id()))
					.name(event.type())
					.data(event.dataJson(), MediaType.APPLICATION_JSON));
				sent.set(event.id());
				if (event.type().equals("finished")) {
					emitter.complete();
				}
			}
			catch (IOException | IllegalStateException e) {
				emitter.completeWithError(e);
			}
		}
	}

	private static long parseLastEventId(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException e) {
			throw new TaskException.Invalid("Last-Event-ID must be the numeric id of an event this API sent, got '" + value + "'");
		}
	}

}

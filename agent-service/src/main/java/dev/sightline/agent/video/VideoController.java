package dev.sightline.agent.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import tools.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.sightline.agent.security.CurrentTenant;

/** Questions about a clip (a task's recording, an uploaded file, timed frames) and recording export. */
@RestController
@RequestMapping("/api/v1/video")
class VideoController {

	static final int MAX_QUESTION_CHARS = 2000;

	/**
	 * Body of {@code POST /video/query} as JSON: exactly one of {@code taskId} and {@code frames}.
	 *
	 * @param fps most frames per second of recording to sample ({@code sightline.video.default-fps} when absent)
	 * @param maxFrames most frames to send ({@code sightline.video.max-frames} when absent, never above it)
	 */
	record QueryRequest(@Nullable String taskId,
			@JsonDeserialize(using = BoundedFramesDeserializer.class) @Nullable List<@Valid FrameInput> frames,
			@NotBlank(message = "question is required") @Size(max = MAX_QUESTION_CHARS,
					message = "question must be at most " + MAX_QUESTION_CHARS + " characters") String question,
			@Nullable Double fps, @Nullable Integer maxFrames) {
	}

	/**
	 * A frame sent with the request.
	 *
	 * @param image PNG or JPEG, base64 or a {@code data:} URL
	 * @param timestampSec when it was captured; strictly increasing across frames
	 */
	record FrameInput(@NotBlank(message = "frames[].image is required (base64 PNG/JPEG or a data: URL)") String image,
			@NotNull(message = "frames[].timestampSec is required") Double timestampSec) {
	}

	/** The answer, the moments it names (source seconds) and the frames the model saw. */
	record QueryResponse(String answer, List<Moment> moments, List<UsedFrame> frames, String source, String model,
			double modelMs) {
	}

	/** A frame the model saw: its place in the clip, capture time, and the step that recorded it (tasks only). */
	record UsedFrame(int index, double timestampSec, @Nullable Integer step) {
	}

	private final VideoSettings settings;

	private final TaskRecordings recordings;

	private final UploadedVideos uploads;

	private final VideoQueryService queries;

	private final RecordingExporter exporter;

	VideoController(VideoSettings settings, TaskRecordings recordings, UploadedVideos uploads,
			VideoQueryService queries, RecordingExporter exporter) {
		this.settings = settings;
		this.recordings = recordings;
		this.uploads = uploads;
		this.queries = queries;
		this.exporter = exporter;
	}

	@PostMapping(path = "/query", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Ask about a task's recording or timed frames; answers text and moments in seconds")
	QueryResponse query(@CurrentTenant String tenant,
			@Valid @RequestBody QueryRequest request) {
		double fps = fps(request.fps());
		int maxFrames = maxFrames(request.maxFrames());
		boolean hasTask = request.taskId() != null && !request.taskId().isBlank();
		boolean hasFrames = request.frames() != null;
		if (hasTask == hasFrames) {
			throw VideoProblem.badRequest(
					"give exactly one source: taskId, or frames with timestamps (or upload a file as multipart)");
		}
		if (hasTask) {
			List<ClipFrame> frames = recordings.frames(tenant, request.taskId(), fps, maxFrames,
					settings.maxDurationSeconds());
			return respond(queries.ask(frames, request.question()), "task:" + request.taskId());
		}
		return respond(queries.ask(sentFrames(request.frames(), fps, maxFrames), request.question()), "frames");
	}

	@PostMapping(path = "/query", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Ask about an uploaded video file (mp4, webm, mkv, mov; part 'file')")
	QueryResponse queryUpload(@CurrentTenant String tenant,
			@RequestPart("file") MultipartFile file, @RequestParam("question") String question,
			@RequestParam(name = "fps", required = false) @Nullable Double fps,
			@RequestParam(name = "maxFrames", required = false) @Nullable Integer maxFrames) {
		if (question.isBlank() || question.length() > MAX_QUESTION_CHARS) {
			throw VideoProblem.badRequest("question is required, at most " + MAX_QUESTION_CHARS + " characters");
		}
		double rate = fps(fps);
		int frames = maxFrames(maxFrames);
		String name = file.getOriginalFilename() == null ? "upload" : file.getOriginalFilename();
		if (file.isEmpty()) {
			throw VideoProblem.undecodable("video '" + name + "' is empty (0 bytes, 0 frames)");
		}
		String type = file.getContentType();
		if (type != null && !type.startsWith("video/") && !type.equals(MediaType.APPLICATION_OCTET_STREAM_VALUE)) {
			throw VideoProblem.unsupported("video '" + name + "' has content type " + type
					+ "; send a video/* file (mp4, webm, mkv, mov)");
		}
		Path temp = null;
		try {
			temp = Files.createTempFile("sightline-upload-", ".video");
			file.transferTo(temp);
			return respond(queries.ask(uploads.frames(temp, name, rate, frames), question), "upload:" + name);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot store the uploaded video " + name, e);
		}
		finally {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException ignored) {
					// A leftover temporary file is harmless.
				}
			}
		}
	}

	@GetMapping("/recordings/{taskId}")
	@Operation(summary = "A task's recording as a video file (format=mp4|webm), in real time")
	ResponseEntity<byte[]> recording(@CurrentTenant String tenant,
			@PathVariable String taskId, @RequestParam(defaultValue = "mp4") String format) {
		RecordingExporter.Format container = RecordingExporter.Format.fromWire(format);
		byte[] video = exporter.export(recordings.allFrames(tenant, taskId), container,
				"the recording of task '" + taskId + "'");
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(container.mediaType))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("task-" + taskId + "." + container.extension())
						.build()
						.toString())
			.body(video);
	}

	private double fps(@Nullable Double requested) {
		double fps = requested == null ? settings.defaultFps() : requested;
		if (!(fps > 0 && fps <= 30)) {
			throw VideoProblem.badRequest("fps must be within (0, 30] frames per second, got " + fps);
		}
		return fps;
	}

	private int maxFrames(@Nullable Integer requested) {
		int max = requested == null ? settings.maxFrames() : requested;
		if (max < 1 || max > settings.maxFrames()) {
			throw VideoProblem.badRequest("maxFrames must be within [1, " + settings.maxFrames()
					+ "] (sightline.video.max-frames), got " + max);
		}
		return max;
	}

	private List<ClipFrame> sentFrames(List<FrameInput> inputs, double fps, int maxFrames) {
		if (inputs.isEmpty()) {
			throw VideoProblem.undecodable("frames is empty: a video question needs at least 1 frame, got 0");
		}
		if (inputs.size() > settings.maxFrames()) {
			throw VideoProblem.tooLong(inputs.size() + " frames exceed the ceiling of " + settings.maxFrames()
					+ " frames (sightline.video.max-frames)");
		}
		double[] times = new double[inputs.size()];
		for (int i = 0; i < times.length; i++) {
			times[i] = inputs.get(i).timestampSec();
			if (!Double.isFinite(times[i]) || times[i] < 0) {
				throw VideoProblem.badRequest("frames[" + i + "].timestampSec must be a finite number >= 0, got "
						+ times[i]);
			}
			if (i > 0 && !(times[i] > times[i - 1])) {
				throw VideoProblem.badRequest(String.format(Locale.ROOT,
						"frames[].timestampSec must strictly increase: frame %d is at %.3f s, frame %d at %.3f s",
						i - 1, times[i - 1], i, times[i]));
			}
		}
		double durationSec = times[times.length - 1] - times[0];
		if (durationSec > settings.maxDurationSeconds()) {
			throw VideoProblem.tooLong(String.format(Locale.ROOT,
					"the frames span %.1f s, more than the ceiling of %d s (sightline.video.max-duration-seconds)",
					durationSec, settings.maxDurationSeconds()));
		}
		List<ClipFrame> frames = new ArrayList<>();
		for (int i : FrameSelection.select(times, fps, maxFrames)) {
			frames.add(new ClipFrame(decodeBase64(inputs.get(i).image(), i), times[i], null));
		}
		return frames;
	}

	private static QueryResponse respond(VideoQueryService.Answer answer, String source) {
		List<UsedFrame> used = new ArrayList<>();
		for (int i = 0; i < answer.frames().size(); i++) {
			ClipFrame frame = answer.frames().get(i);
			used.add(new UsedFrame(i, frame.timestampSec(), frame.step()));
		}
		return new QueryResponse(answer.answer(), answer.moments(), used, source, answer.model(), answer.modelMs());
	}

	private static byte[] decodeBase64(String image, int index) {
		String data = image.strip();
		if (data.startsWith("data:")) {
			int comma = data.indexOf(',');
			if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
				throw VideoProblem.badRequest(
						"frames[" + index + "].image data: URL must be base64 (data:image/png;base64,...)");
			}
			data = data.substring(comma + 1);
		}
		try {
			return Base64.getMimeDecoder().decode(data);
		}
		catch (IllegalArgumentException e) {
			throw VideoProblem.badRequest("frames[" + index + "].image is not valid base64: " + e.getMessage());
		}
	}

}

package dev.sightline.agent.web;

import java.util.Base64;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sightline.agent.model.ModelBackend;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.profile.UnknownModelProfileException;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.tools.turn.Located;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.InvalidImageException;

/** One-shot grounding: where in an image is the thing described; nothing is executed. */
@RestController
@RequestMapping("/api/v1/ground")
class GroundController {

	/**
	 * Body of {@code POST /ground}.
	 *
	 * @param image PNG or JPEG, base64 or a {@code data:} URL
	 * @param instruction what to find, e.g. "the Sign in button"
	 */
	record GroundRequest(
			@NotBlank(message = "image is required (base64 PNG/JPEG or a data: URL)") @Size(max = 16_000_000,
					message = "image must be at most 16000000 base64 characters") String image,
			@NotBlank(message = "instruction is required") @Size(max = 1000,
					message = "instruction must be at most 1000 characters") String instruction) {
	}

	/** A point or box in pixels of the image as sent, and the same in the model's resized image. */
	record GroundResponse(Point point, @Nullable Box box, @Nullable String label, Point modelPoint,
			ImageSize imageSize, ImageSize modelImageSize, String rawOutput, double modelMs, int promptTokens,
			int completionTokens) {
	}

	record Point(double xPx, double yPx) {
	}

	record Box(double x1Px, double y1Px, double x2Px, double y2Px) {
	}

	private final ModelBackend models;

	GroundController(ModelBackend models) {
		this.models = models;
	}

	@PostMapping
	@Operation(summary = "Locate what the instruction describes; answers image pixels, executes nothing")
	GroundResponse ground(@Valid @RequestBody GroundRequest request) {
		TurnPipeline turns;
		try {
			turns = new TurnPipeline(models.model(), models.profile());
		}
		catch (UnknownModelProfileException e) {
			throw new HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
		}
		ModelView view;
		try {
			view = turns.view(decodeBase64(request.image()));
		}
		catch (InvalidImageException e) {
			throw new HttpProblem(HttpStatus.BAD_REQUEST, "image: " + e.getMessage());
		}
		Reply reply = turns.ask(Prompts.groundingPoint(turns.profile(), request.instruction(), view.image()),
				GenerationOptions.GREEDY.withMaxNewTokens(128), view);
		Generation generation = reply.generation();
		Located located;
		try {
			located = turns.locate(reply);
		}
		catch (UnparseableOutputException e) {
			String raw = generation.text();
			throw new HttpProblem(HttpStatus.UNPROCESSABLE_CONTENT, "the model's answer has no point: " + e.getMessage()
					+ String.format(java.util.Locale.ROOT, " (model answered in %.1f ms, %d prompt and %d completion "
							+ "tokens; raw output: %s)", reply.modelMs(), generation.promptTokens(),
							generation.completionTokens(), raw.length() > 300 ? raw.substring(0, 300) + "…" : raw));
		}
		// Unchecked: an answer off the image is reported where it lands, as the caller sent the image.
		ScreenPoint point = located.projectedPoint();
		ScreenPoint[] box = located.projectedBox();
		return new GroundResponse(new Point(point.xPx(), point.yPx()),
				box == null ? null : new Box(box[0].xPx(), box[0].yPx(), box[1].xPx(), box[1].yPx()),
				located.grounding().label(), new Point(located.modelPoint().xPx(), located.modelPoint().yPx()),
				reply.mapping().screenshot(), reply.mapping().model(), generation.text(), reply.modelMs(),
				generation.promptTokens(), generation.completionTokens());
	}

	private static byte[] decodeBase64(String image) {
		String data = image.strip();
		if (data.startsWith("data:")) {
			int comma = data.indexOf(',');
			if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
				throw new HttpProblem(HttpStatus.BAD_REQUEST, "image data: URL must be base64 (data:image/png;base64,...)");
			}
			data = data.substring(comma + 1);
		}
		try {
			return Base64.getMimeDecoder().decode(data);
		}
		catch (IllegalArgumentException e) {
			throw new HttpProblem(HttpStatus.BAD_REQUEST, "image is not valid base64: " + e.getMessage());
		}
	}

}

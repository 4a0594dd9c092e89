package dev.sightline.agent.video;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Video questions and recording export: {@code sightline.video.*}.
 *
 * @param maxDurationSeconds longest clip (recording or uploaded file) a question may cover
 * @param maxFrames most frames sent to the model in one question, and most frames a request may carry
 * @param defaultFps frames per second of recording sampled when a request names no {@code fps}
 * @param maxNewTokens most tokens of the model's answer
 * @param ffmpeg the ffmpeg binary that decodes uploads and encodes exports
 * @param ffprobe the ffprobe binary that reads uploads' stream facts
 * @param timeoutSeconds longest one ffmpeg/ffprobe run may take
 * @param framesBetweenStepsFps extra screenshots per second sampled while a task waits between steps (on the model,
 * while settling), so its recording is a real timed clip; 0 (default) records the steps' screenshots only
 */
@Validated
@ConfigurationProperties(VideoSettings.PREFIX)
public record VideoSettings(@DefaultValue("1800") @Min(1) @Max(86_400) int maxDurationSeconds,
		@DefaultValue("64") @Min(1) @Max(MAX_FRAMES_CEILING) int maxFrames,
		@DefaultValue("1.0") @DecimalMin("0.01") @DecimalMax("30") double defaultFps,
		@DefaultValue("512") @Min(1) @Max(8192) int maxNewTokens, @DefaultValue("ffmpeg") @NotBlank String ffmpeg,
		@DefaultValue("ffprobe") @NotBlank String ffprobe,
		@DefaultValue("120") @Min(1) @Max(3600) int timeoutSeconds,
		@DefaultValue("0") @DecimalMin(value = "0", message = "must be within [0, 10] frames per second") @DecimalMax(
				value = "10", message = "must be within [0, 10] frames per second") double framesBetweenStepsFps) {

	public static final String PREFIX = "sightline.video";

	/** The most {@code maxFrames} may be set to, and the most frames a request may carry before it is bound. */
	public static final int MAX_FRAMES_CEILING = 768;

	public static VideoSettings defaults() {
		return new VideoSettings(1800, 64, 1.0, 512, "ffmpeg", "ffprobe", 120, 0);
	}

}

package dev.sightline.agent.task;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** Where a task acts: a browser page or an X display. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = TaskTarget.Browser.class, name = "browser"),
		@JsonSubTypes.Type(value = TaskTarget.Desktop.class, name = "desktop") })
public sealed interface TaskTarget {

	/** Viewport size in CSS pixels. */
	record Viewport(@Min(value = 200, message = "viewport width must be within [200, 7680] CSS px") @Max(value = 7680,
			message = "viewport width must be within [200, 7680] CSS px") int width,
			@Min(value = 200, message = "viewport height must be within [200, 4320] CSS px") @Max(value = 4320,
					message = "viewport height must be within [200, 4320] CSS px") int height) {
	}

	/**
	 * A browser page.
	 *
	 * @param url start page, http or https
	 * @param viewport viewport in CSS pixels; the server default when absent
	 * @param dpr device scale factor, within [1, 4]; 1 when absent; viewport × dpr² at most {@link #MAX_DEVICE_PIXELS}
	 */
	record Browser(
			@NotBlank(message = "target.url is required") @Size(max = 2048,
					message = "target.url must be at most 2048 characters") @Pattern(regexp = "(?i)https?://.+",
							message = "target.url must be an http or https URL") String url,
			@Nullable @Valid Viewport viewport,
			@Nullable @DecimalMin(value = "1", message = "target.dpr must be within [1, 4]") @DecimalMax(value = "4",
					message = "target.dpr must be within [1, 4]") Double dpr)
			implements TaskTarget {

		/**
		 * Most device pixels (viewport width × height × dpr²) a task's screenshots may have: 16 MiP, e.g. 3840×2160 at
		 * dpr 1 or 2560×1600 at dpr 2; an 8K viewport or 4K at dpr 2 is refused at submit.
		 */
		public static final long MAX_DEVICE_PIXELS = 16L * 1024 * 1024;

	}

	/**
	 * An X display.
	 *
	 * @param display an existing X display such as {@code :99}, accepted only when the operator allowed it for the
	 * tenant ({@code sightline.desktop.allowed-displays}); absent: the task gets its own isolated Xvfb, stopped when it
	 * ends
	 * @param screen size of the task's own Xvfb in pixels; the server's default viewport size when absent (ignored
	 * with an existing display, whose size is read from it)
	 */
	record Desktop(@Nullable @Pattern(regexp = ":[0-9]{1,5}(\\.[0-9]{1,2})?",
			message = "target.display must look like ':99' or ':99.0' (or be absent for a display of the task's own)") String display,
			@Nullable @Valid Viewport screen) implements TaskTarget {

		/** An existing display. */
		public Desktop(String display) {
			this(display, null);
		}

		/** Whether the task starts (and stops) an Xvfb of its own. */
		public boolean ownDisplay() {
			return display == null;
		}

	}

}

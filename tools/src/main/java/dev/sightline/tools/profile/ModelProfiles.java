package dev.sightline.tools.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code sightline.model.profile}: a profile id as given, or {@code auto} from what the model says it is —
 * {@code config.json}'s {@code model_type}/{@code architectures} of an in-process checkpoint (UI-TARS-1.5 is a
 * {@code qwen2_5_vl} checkpoint, told apart only by its name), or the served model name of an OpenAI endpoint.
 */
public final class ModelProfiles {

	/** The setting every message names. */
	public static final String SETTING = "sightline.model.profile";

	private static final ObjectMapper JSON = new ObjectMapper();

	private ModelProfiles() {
	}

	/**
	 * The profile for an in-process checkpoint.
	 *
	 * @param setting the value of {@value #SETTING}
	 * @param checkpoint the checkpoint directory when it is known (holding {@code config.json}), else {@code null}
	 * (then {@code name} is read as a directory when it is one)
	 * @param name the checkpoint's path or hub id as configured
	 */
	public static ModelProfile forCheckpoint(String setting, @Nullable Path checkpoint, String name) {
		if (!isAuto(setting)) {
			return named(setting);
		}
		Path dir = checkpoint != null ? checkpoint : localDirectory(name);
		if (dir != null && Files.isRegularFile(dir.resolve("config.json"))) {
			return fromConfig(readConfig(dir.resolve("config.json")), name + " (" + dir + ")");
		}
		return fromName(name);
	}

	/** The profile for a model served under {@code servedName} (OpenAI backend). */
	public static ModelProfile forServedModel(String setting, String servedName) {
		return forServedModel(SETTING, setting, servedName);
	}

	/** As {@link #forServedModel(String, String)}, the messages naming {@code settingKey} instead. */
	public static ModelProfile forServedModel(String settingKey, String setting, String servedName) {
		try {
			return isAuto(setting) ? fromName(servedName) : named(setting);
		}
		catch (UnknownModelProfileException e) {
			throw settingKey.equals(SETTING) ? e
					: new UnknownModelProfileException(e.getMessage().replace(SETTING, settingKey));
		}
	}

	/** The family {@code config.json} declares; the name decides between Qwen2.5-VL and UI-TARS-1.5. */
	static ModelProfile fromConfig(JsonNode config, String name) {
		List<String> types = new ArrayList<>();
		if (config.path("model_type").isTextual()) {
			types.add(config.path("model_type").asText());
		}
		config.path("architectures").forEach(architecture -> types.add(architecture.asText()));
		String joined = String.join(" ", types).toLowerCase(Locale.ROOT);
		boolean qwen25 = joined.contains("qwen2_5_vl");
		boolean qwen3 = joined.contains("qwen3_vl") || joined.contains("qwen3vl");
		if (qwen25 && !qwen3) {
			return isUiTars(name) ? ModelProfile.UI_TARS_1_5 : ModelProfile.QWEN2_5_VL;
		}
		if (qwen3 && !qwen25) {
			return ModelProfile.QWEN3_VL;
		}
		throw ambiguous("config.json of " + name + " declares model_type/architectures " + types
				+ ", which is " + (qwen25 ? "both Qwen2.5-VL and Qwen3-VL" : "no family Sightline knows"));
	}

	/** The family a checkpoint or served model name states. */
	static ModelProfile fromName(String name) {
		String normalised = name.toLowerCase(Locale.ROOT).replace('_', '-');
		List<ModelProfile> matches = new ArrayList<>();
		if (isUiTars(name)) {
			matches.add(ModelProfile.UI_TARS_1_5);
		}
		if (normalised.contains("qwen3-vl")) {
			matches.add(ModelProfile.QWEN3_VL);
		}
		if (normalised.contains("qwen2.5-vl") || normalised.contains("qwen2-5-vl")) {
			matches.add(ModelProfile.QWEN2_5_VL);
		}
		if (matches.size() == 1) {
			return matches.getFirst();
		}
		throw ambiguous("the model name '" + name + "' " + (matches.isEmpty()
				? "names no family Sightline knows (UI-TARS, Qwen3-VL, Qwen2.5-VL)" : "names several families " + matches));
	}

	/** {@code name} as a local checkpoint directory, or null when it is not one (e.g. a hub id). */
	private static @Nullable Path localDirectory(String name) {
		try {
			Path path = Path.of(name);
			return Files.isDirectory(path) ? path : null;
		}
		catch (InvalidPathException e) {
			return null;
		}
	}

	private static boolean isUiTars(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '-').contains("ui-tars");
	}

	private static boolean isAuto(String setting) {
		return setting.strip().equalsIgnoreCase(ModelProfile.AUTO);
	}

	private static ModelProfile named(String setting) {
		try {
			return ModelProfile.of(setting);
		}
		catch (IllegalArgumentException e) {
			throw new UnknownModelProfileException(
					SETTING + "=" + setting + " is not a profile; use auto or one of " + ModelProfile.ids());
		}
	}

	private static JsonNode readConfig(Path config) {
		try {
			return JSON.readTree(config.toFile());
		}
		catch (IOException e) {
			throw new UnknownModelProfileException(SETTING + "=auto could not read " + config + ": " + e.getMessage()
					+ "; set " + SETTING + " to one of " + ModelProfile.ids());
		}
	}

	private static UnknownModelProfileException ambiguous(String why) {
		return new UnknownModelProfileException(
				SETTING + "=auto cannot tell the model family: " + why + "; set " + SETTING + " to one of "
						+ ModelProfile.ids());
	}

}

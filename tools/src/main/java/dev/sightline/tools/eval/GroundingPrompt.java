package dev.sightline.tools.eval;

/**
 * The grounding question (spec §9.2, point form of the spatial-understanding cookbook): the instruction, and the
 * JSON the model should answer with, in pixels of the image it sees.
 */
public final class GroundingPrompt {

	private GroundingPrompt() {
	}

	public static String of(String instruction) {
		return "Locate the UI element for this instruction: \"" + instruction.strip() + "\". Output its point "
				+ "coordinates in JSON format, like [{\"point_2d\": [x, y], \"label\": \"...\"}].";
	}

}

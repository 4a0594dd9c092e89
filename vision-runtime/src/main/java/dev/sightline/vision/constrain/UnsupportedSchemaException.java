package dev.sightline.vision.constrain;

/** A JSON Schema the constrained decoder cannot enforce; says which keyword, where, and what is supported. */
public final class UnsupportedSchemaException extends IllegalArgumentException {

	private final String pointer;

	public UnsupportedSchemaException(String pointer, String message) {
		super(message + " (at " + pointer + ")");
		this.pointer = pointer;
	}

	/** Where in the schema, as a JSON pointer fragment ({@code #/properties/name/type}). */
	public String pointer() {
		return pointer;
	}

}

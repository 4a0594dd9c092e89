package dev.sightline.vision.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the Hugging Face hub, {@code Org/Name}, at a revision (branch, tag or commit; {@code main}
 * unless {@code Org/Name@revision} says otherwise).
 */
public record RepoId(String owner, String name, String revision) {

	// The hub's own rule for names: letters, digits, '-', '_', '.', at most 96 characters, no leading '-' or '.'.
	private static final Pattern PART = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,95}");

	private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_.\\-/]{1,200}");

	public static final String DEFAULT_REVISION = "main";

	public RepoId {
		if (!PART.matcher(owner).matches() || !PART.matcher(name).matches()) {
			throw new HubException("'" + owner + "/" + name
					+ "' is not a hub model id: expected Org/Name of letters, digits, '-', '_', '.' (at most 96 each)");
		}
		if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
			throw new HubException("'" + revision + "' is not a valid revision (branch, tag or commit hash)");
		}
	}

	/** Parses {@code Org/Name} or {@code Org/Name@revision}. */
	public static RepoId parse(String text) {
		String id = text;
		String revision = DEFAULT_REVISION;
		int at = text.indexOf('@');
		if (at >= 0) {
			id = text.substring(0, at);
			revision = text.substring(at + 1);
		}
		int slash = id.indexOf('/');
		if (slash <= 0 || slash != id.lastIndexOf('/') || slash == id.length() - 1) {
			throw new HubException("'" + text + "' is neither an existing directory nor a hub model id (Org/Name)");
		}
		return new RepoId(id.substring(0, slash), id.substring(slash + 1), revision);
	}

	public String id() {
		return owner + "/" + name;
	}

	/** The cache folder name huggingface_hub uses: {@code models--Org--Name}. */
	public String cacheFolderName() {
		return "models--" + owner + "--" + name;
	}

	/** True when the revision is a full commit hash, which never moves. */
	public boolean pinned() {
		return revision.matches("[0-9a-f]{40}");
	}

	@Override
	public String toString() {
		return id() + "@" + revision;
	}

}

package dev.sightline.agent.model;

/**
 * Whether a backend can answer now.
 *
 * @param backend {@code in-process} or {@code openai}
 * @param name checkpoint or served model name
 * @param ready true when generations can be requested
 * @param reason why not ready; empty when ready
 * @param fix what an operator should do; empty when ready
 */
public record ModelState(String backend, String name, boolean ready, String reason, String fix) {

	public static ModelState ready(String backend, String name) {
		return new ModelState(backend, name, true, "", "");
	}

	public static ModelState unavailable(String backend, String name, String reason, String fix) {
		return new ModelState(backend, name, false, reason, fix);
	}

}

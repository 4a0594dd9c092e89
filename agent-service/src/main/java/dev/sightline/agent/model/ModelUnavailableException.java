package dev.sightline.agent.model;

/** No model can answer: the message says why and how to fix it. Tasks are rejected with 503 while it holds. */
public class ModelUnavailableException extends RuntimeException {

	private final ModelState state;

	public ModelUnavailableException(ModelState state) {
		super("model backend '" + state.backend() + "' (" + state.name() + ") is unavailable: " + state.reason()
				+ ". Fix: " + state.fix());
		this.state = state;
	}

	public ModelState state() {
		return state;
	}

}

package dev.sightline.e2e.deploy;

/** A rendered Kubernetes manifest that does not match the Kubernetes API schema. */
class InvalidManifestException extends RuntimeException {

	InvalidManifestException(String message, Throwable cause) {
		super(message, cause);
	}

}

package dev.sightline.agent.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal decided in the web layer itself (a request that never reaches a domain service, such as an undecodable
 * image on the ground endpoint); answered as problem+json with {@link #status()}. Domain services throw their own
 * typed exceptions instead, which {@link ProblemStatus} maps.
 */
public class HttpProblem extends RuntimeException {

	private final HttpStatus status;

	public HttpProblem(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	public HttpStatus status() {
		return status;
	}

}

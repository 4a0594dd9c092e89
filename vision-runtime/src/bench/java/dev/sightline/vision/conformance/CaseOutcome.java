package dev.sightline.vision.conformance;

/** The result of one golden case. */
public sealed interface CaseOutcome {

	record Passed() implements CaseOutcome {
	}

	record Failed(String reason) implements CaseOutcome {
	}

	record Skipped(String reason) implements CaseOutcome {
	}

	static CaseOutcome passed() {
		return new Passed();
	}

	static CaseOutcome failed(String reason) {
		return new Failed(reason);
	}

	static CaseOutcome skipped(String reason) {
		return new Skipped(reason);
	}

	/** Passed when no check reported a mismatch, else failed with all mismatches. */
	static CaseOutcome of(java.util.List<java.util.Optional<String>> checks) {
		java.util.List<String> problems = checks.stream().flatMap(java.util.Optional::stream).toList();
		return problems.isEmpty() ? passed() : failed(String.join("; ", problems));
	}

}

package dev.sightline.vision.conformance;

import java.nio.file.Path;

/** Runs the golden cases of one kind; registered in {@link CaseRunners}. */
public interface CaseRunner {

	String kind();

	/** @param goldenDir the folder holding manifest.json; the case's file paths are relative to it */
	CaseOutcome run(GoldenCase goldenCase, Path goldenDir) throws Exception;

}

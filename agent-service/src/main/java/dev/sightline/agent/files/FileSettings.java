package dev.sightline.agent.files;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Files in and out of tasks: {@code sightline.files.*}. The input limits stay below the API's 16 MiB request limit
 * with Base64's 4/3 growth.
 *
 * @param maxInputFiles most files one task may bring (default 10)
 * @param maxInputFileBytes largest single input file (default 5 MiB)
 * @param maxInputTotalBytes largest sum of a task's input files (default 10 MiB)
 * @param maxOutputFileBytes largest download kept as a task file; larger ones are logged and dropped (default 50 MiB)
 */
@Validated
@ConfigurationProperties("sightline.files")
public record FileSettings(@DefaultValue("10") @Min(0) @Max(100) int maxInputFiles,
		@DefaultValue("5242880") @Min(1) @Max(12_582_912) long maxInputFileBytes,
		@DefaultValue("10485760") @Min(1) @Max(12_582_912) long maxInputTotalBytes,
		@DefaultValue("52428800") @Min(1) @Max(1_073_741_824) long maxOutputFileBytes) {

	public static FileSettings defaults() {
		return new FileSettings(10, 5L * 1024 * 1024, 10L * 1024 * 1024, 50L * 1024 * 1024);
	}

}

package dev.sightline.modelserver;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.qwen.LoadOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** serve-model's load flags: the prefix cache is on at 1024 MiB unless {@code --prefix-cache-mb} says otherwise. */
class LoadArgumentsTest {

	@Test
	void thePrefixCacheDefaultsTo1024MibAndTheFlagIsTakenOutOfTheArguments() {
		List<String> args = new ArrayList<>(List.of("--model", "m", "--prefix-cache-mb", "0", "--port", "1"));
		LoadOptions options = LoadArguments.extract(args);
		assertThat(options.prefixCacheBytes()).isZero();
		assertThat(args).containsExactly("--model", "m", "--port", "1");
		assertThat(LoadArguments.extract(new ArrayList<>(List.of("--model", "m"))).prefixCacheBytes())
			.isEqualTo(1024L << 20);
		assertThat(LoadArguments.extract(new ArrayList<>(List.of("--prefix-cache-mb=64"))).prefixCacheBytes())
			.isEqualTo(64L << 20);
	}

	@Test
	void aBadBudgetIsRefusedWithWhatWasWrong() {
		assertThatThrownBy(() -> LoadArguments.extract(new ArrayList<>(List.of("--prefix-cache-mb", "lots"))))
			.hasMessage("--prefix-cache-mb must be a whole number of megabytes (0 = off), got 'lots'");
		assertThatThrownBy(() -> LoadArguments.extract(new ArrayList<>(List.of("--prefix-cache-mb", "-5"))))
			.hasMessage("the prefix cache budget must be at least 0 MB (0 = off), got -5");
	}

}

package dev.sightline.tools.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessModelTest {

	@Test
	void aFolderWithoutConfigJsonIsRefusedBeforeAnythingLoads(@TempDir Path folder) {
		assertThatThrownBy(() -> InProcessModel.load(folder)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("an in-process model needs a checkpoint folder with config.json, got " + folder);
	}

}

package dev.sightline.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelProfilesTest {

	@TempDir
	Path dir;

	@Test
	void autoReadsQwen25FromConfigJson() throws IOException {
		Path checkpoint = checkpoint("qwen25", "{\"model_type\": \"qwen2_5_vl\", \"architectures\": "
				+ "[\"Qwen2_5_VLForConditionalGeneration\"]}");
		assertThat(ModelProfiles.forCheckpoint("auto", checkpoint, checkpoint.toString()))
			.isEqualTo(ModelProfile.QWEN2_5_VL);
	}

	@Test
	void autoReadsQwen3FromConfigJsonWhateverTheName() throws IOException {
		Path checkpoint = checkpoint("my-model", "{\"model_type\": \"qwen3_vl\", \"architectures\": "
				+ "[\"Qwen3VLForConditionalGeneration\"]}");
		assertThat(ModelProfiles.forCheckpoint("auto", checkpoint, "my-model")).isEqualTo(ModelProfile.QWEN3_VL);
	}

	@Test
	void autoTellsUiTarsFromAQwen25CheckpointByItsName() throws IOException {
		Path checkpoint = checkpoint("UI-TARS-1.5-7B", "{\"model_type\": \"qwen2_5_vl\"}");
		assertThat(ModelProfiles.forCheckpoint("auto", checkpoint, "ByteDance-Seed/UI-TARS-1.5-7B"))
			.isEqualTo(ModelProfile.UI_TARS_1_5);
	}

	@Test
	void autoReadsTheConfiguredDirectoryBeforeTheBackendResolvedIt() throws IOException {
		Path checkpoint = checkpoint("weights", "{\"model_type\": \"qwen3_vl\"}");
		assertThat(ModelProfiles.forCheckpoint("auto", null, checkpoint.toString())).isEqualTo(ModelProfile.QWEN3_VL);
	}

	@Test
	void autoFallsBackToTheHubIdBeforeTheCheckpointIsDownloaded() {
		assertThat(ModelProfiles.forCheckpoint("auto", null, "Qwen/Qwen3-VL-2B-Instruct"))
			.isEqualTo(ModelProfile.QWEN3_VL);
		assertThat(ModelProfiles.forCheckpoint("auto", null, "Qwen/Qwen2.5-VL-3B-Instruct"))
			.isEqualTo(ModelProfile.QWEN2_5_VL);
	}

	@Test
	void autoResolvesServedModelNames() {
		assertThat(ModelProfiles.forServedModel("auto", "ByteDance-Seed/UI-TARS-1.5-7B"))
			.isEqualTo(ModelProfile.UI_TARS_1_5);
		assertThat(ModelProfiles.forServedModel("auto", "qwen3-vl-8b-instruct")).isEqualTo(ModelProfile.QWEN3_VL);
		assertThat(ModelProfiles.forServedModel("AUTO", "Qwen/Qwen2.5-VL-7B-Instruct-AWQ"))
			.isEqualTo(ModelProfile.QWEN2_5_VL);
	}

	@Test
	void anExplicitProfileWinsOverTheName() {
		assertThat(ModelProfiles.forServedModel("ui-tars-1.5", "my-finetune")).isEqualTo(ModelProfile.UI_TARS_1_5);
		assertThat(ModelProfiles.forServedModel("qwen3-vl", "Qwen/Qwen2.5-VL-3B-Instruct"))
			.isEqualTo(ModelProfile.QWEN3_VL);
	}

	@Test
	void anUnknownNameIsAnErrorNamingTheSetting() {
		assertThatThrownBy(() -> ModelProfiles.forServedModel("auto", "llava-1.6"))
			.isInstanceOf(UnknownModelProfileException.class)
			.hasMessageContaining("sightline.model.profile")
			.hasMessageContaining("llava-1.6")
			.hasMessageContaining("qwen2.5-vl, qwen3-vl, ui-tars-1.5");
	}

	@Test
	void anAmbiguousNameIsAnErrorNamingTheSetting() {
		assertThatThrownBy(() -> ModelProfiles.forServedModel("auto", "Qwen3-VL-vs-Qwen2.5-VL-merge"))
			.isInstanceOf(UnknownModelProfileException.class)
			.hasMessageContaining("sightline.model.profile")
			.hasMessageContaining("several families");
	}

	@Test
	void anUnknownConfigJsonIsAnErrorNamingTheSetting() throws IOException {
		Path checkpoint = checkpoint("Qwen2.5-VL-3B", "{\"model_type\": \"llava\"}");
		assertThatThrownBy(() -> ModelProfiles.forCheckpoint("auto", checkpoint, "Qwen2.5-VL-3B"))
			.isInstanceOf(UnknownModelProfileException.class)
			.hasMessageContaining("sightline.model.profile")
			.hasMessageContaining("llava");
	}

	@Test
	void aMisspelledProfileIsAnErrorListingTheKnownOnes() {
		assertThatThrownBy(() -> ModelProfiles.forServedModel("qwen3", "x"))
			.isInstanceOf(UnknownModelProfileException.class)
			.hasMessageContaining("sightline.model.profile=qwen3")
			.hasMessageContaining("ui-tars-1.5");
	}

	@Test
	void messagesNameTheCallersOwnSetting() {
		assertThatThrownBy(() -> ModelProfiles.forServedModel("sightline.testing.model-profile", "auto", "scripted"))
			.isInstanceOf(UnknownModelProfileException.class)
			.hasMessageContaining("set sightline.testing.model-profile to one of")
			.hasMessageNotContaining("sightline.model.profile");
	}

	private Path checkpoint(String name, String config) throws IOException {
		Path checkpoint = Files.createDirectories(dir.resolve(name));
		Files.writeString(checkpoint.resolve("config.json"), config);
		return checkpoint;
	}

}

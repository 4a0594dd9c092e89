package dev.sightline.vision.weights;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On this build's test class path libtorch runs from its CPU natives (pytorch-native-cpu, test scope). */
class DevicePolicyTest {

	@Test
	void aGpuThatCannotBeHadIsAnErrorThatNamesTheMissingCudaNatives() {
		assertThatThrownBy(() -> new DevicePolicy("gpu:0").resolve()).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("sightline.model.device gpu:0 cannot be honoured")
			.hasMessageContaining("CPU natives")
			.hasMessageContaining("PYTORCH_FLAVOR");
	}

	@Test
	void autoFallsBackToTheCpuWhenLibtorchHasNoGpu() {
		assertThat(DevicePolicy.AUTO.resolve()).isEqualTo(Device.cpu());
		assertThat(new DevicePolicy("CPU").resolve()).isEqualTo(Device.cpu());
	}

	@Test
	void runtimeInfoNamesTheLoadedNativesAndTheDevice() {
		RuntimeInfo info = RuntimeInfo.of(Device.cpu(), DtypePolicy.AUTO_GPU, 1_000_000);
		assertThat(info.flavour()).isEqualTo("cpu");
		assertThat(info.libtorchVersion()).isEqualTo("2.7.1");
		assertThat(info.deviceMemoryBytes()).isPositive();
		assertThat(info.describe()).startsWith("PyTorch 2.7.1 (cpu natives, DJL ")
			.contains(" on cpu (")
			.contains("dtype auto-gpu (vision fp16/fp32, text fp16/fp32), weights 1.0 MB");
	}

	@Test
	void dtypeNamesParseAsUsersWriteThem() {
		assertThat(ComputeType.parse("auto-gpu")).isEqualTo(ComputeType.AUTO_GPU);
		assertThat(ComputeType.AUTO_GPU.wireName()).isEqualTo("auto-gpu");
		assertThat(ComputeType.AUTO.policy(Device.cpu())).isEqualTo(DtypePolicy.FP32);
		assertThat(ComputeType.AUTO.policy(Device.gpu(0))).isEqualTo(DtypePolicy.AUTO_GPU);
		assertThatThrownBy(() -> ComputeType.parse("bf16")).hasMessageContaining("auto, fp32, fp16 or auto-gpu");
	}

}

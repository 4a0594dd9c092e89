package dev.sightline.agent.architecture;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import dev.sightline.agent.SightlineApplication;

/** The service's packages as Spring Modulith application modules: no cycles, no reach into another's internals. */
class ModuleBoundariesTest {

	@Test
	void applicationModulesHaveNoCyclesAndUseOnlyEachOthersApi() {
		ApplicationModules.of(SightlineApplication.class).verify();
	}

}

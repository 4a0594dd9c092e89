package dev.sightline.agent.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiKeysTest {

	@Test
	void findsTheTenantOfAKeyAndNoTenantForAnUnknownOne() {
		ApiKeys keys = ApiKeys.parse(List.of("alice=alice-key-0123456789", " bob = bob-key-0123456789ab "));

		assertThat(keys.tenantOf("alice-key-0123456789")).contains("alice");
		assertThat(keys.tenantOf("bob-key-0123456789ab")).contains("bob");
		assertThat(keys.tenantOf("alice-key-012345678")).isEmpty();
		assertThat(keys.isEmpty()).isFalse();
	}

	@Test
	void keepsNoKeyInClear() throws Exception {
		String key = "alice-key-0123456789";
		ApiKeys keys = ApiKeys.parse(List.of("alice=" + key));

		java.lang.reflect.Field field = ApiKeys.class.getDeclaredField("entries");
		field.setAccessible(true);
		for (Object entry : (List<?>) field.get(keys)) {
			for (java.lang.reflect.RecordComponent component : entry.getClass().getRecordComponents()) {
				Object value = component.getAccessor().invoke(entry);
				assertThat(value).isNotEqualTo(key);
				if (value instanceof byte[] bytes) {
					assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(key);
				}
			}
		}
	}

	@Test
	void rejectsAnEntryWithoutTenantOrKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("just-a-key-0123456789")))
			.withMessageContaining("api-keys[0] must be 'tenant=key'");
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("alice=")))
			.withMessageContaining("must be 'tenant=key'");
	}

	@Test
	void rejectsAShortKeyNamingTheMinimum() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("alice=short")))
			.withMessageContaining("has 5 characters, fewer than the minimum of 16");
	}

	@Test
	void rejectsTwoTenantsSharingAKey() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiKeys.parse(List.of("alice=same-key-0123456789", "bob=same-key-0123456789")))
			.withMessageContaining("tenant 'bob' reuses the key of tenant 'alice'");
	}

	@Test
	void rejectsATenantNameThatIsNotAnId() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("al ice=alice-key-0123456789")))
			.withMessageContaining("tenant 'al ice' must match");
	}

}

package dev.sightline.tools.testing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheKeyTest {

	@Test
	void urlPatternDropsSchemePortQueryAndNumericIds() {
		assertThat(CacheKey.urlPattern("http://127.0.0.1:43117/orders/17/edit?x=1#top"))
			.isEqualTo("127.0.0.1/orders/*/edit");
		assertThat(CacheKey.urlPattern("https://Shop.Example.com")).isEqualTo("shop.example.com/");
		assertThat(CacheKey.urlPattern("about:blank")).isEqualTo("about:blank");
	}

	@Test
	void rejectsABlankInstructionAndAnEmptyViewport() {
		assertThatThrownBy(() -> new CacheKey("h/", " ", 10, 10)).hasMessageContaining("instruction");
		assertThatThrownBy(() -> new CacheKey("h/", "x", 0, 10)).hasMessageContaining("at least 1x1");
	}

	@Test
	void parsesCacheModesAsWrittenInSettings() {
		assertThat(CacheMode.parse("read-only")).isEqualTo(CacheMode.READ_ONLY);
		assertThat(CacheMode.parse("OFF")).isEqualTo(CacheMode.OFF);
		assertThatThrownBy(() -> CacheMode.parse("sometimes")).hasMessageContaining("read-write, read-only or off");
	}

	enum Size {

		SMALL, LARGE

	}

	record Item(String name, int count, Size size, List<Double> prices) {
	}

	@Test
	void derivesTheJsonSchemaOfARecord() {
		Map<String, Object> schema = JsonSchemas.of(Item.class);

		assertThat(schema).containsEntry("type", "object").containsEntry("required",
				List.of("name", "count", "size", "prices"));
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
		assertThat(properties.get("count")).isEqualTo(Map.of("type", "integer"));
		assertThat(properties.get("size")).isEqualTo(Map.of("type", "string", "enum", List.of("SMALL", "LARGE")));
		assertThat(properties.get("prices"))
			.isEqualTo(Map.of("type", "array", "items", Map.of("type", "number")));
	}

	@Test
	void refusesQueryTypesItCannotDescribe() {
		assertThatThrownBy(() -> JsonSchemas.of(Thread.class)).hasMessageContaining("java.lang.Thread is none of these");
	}

	@Test
	void readsJsonOutOfFencesAndProse() {
		assertThat(JsonAnswer.read("```json\n{\"pass\": true,}\n```").path("pass").asBoolean()).isTrue();
		assertThat(JsonAnswer.read("Sure! {'value': 2} is my answer").path("value").asInt()).isEqualTo(2);
		assertThatThrownBy(() -> JsonAnswer.read("no idea")).isInstanceOf(SightlineException.class)
			.hasMessageContaining("not JSON: no idea");
	}

}

package dev.sightline.tools.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KeyNamesTest {

	@ParameterizedTest(name = "{0} -> playwright {1}, xdotool {2}")
	@CsvSource(delimiter = '|', value = { "ctrl+shift+T|Control+Shift+KeyT|ctrl+shift+T",
			"ctrl+c|Control+KeyC|ctrl+c", "Return|Enter|Return", "enter|Enter|Return", "super|Meta|super",
			"Page_Down|PageDown|Page_Down", "Control_L+a|Control+KeyA|ctrl+a", "alt+Tab|Alt+Tab|alt+Tab",
			"BackSpace|Backspace|BackSpace", "esc|Escape|Escape", "cmd+v|Meta+KeyV|super+v", "Up|ArrowUp|Up",
			"ctrl+minus|Control+-|ctrl+minus", "ctrl++|Control++|ctrl+plus", "F5|F5|F5", "space|Space|space",
			"KP_0|Numpad0|KP_0", "ctrl-c|Control+KeyC|ctrl+c", "a|a|a", "ctrl+1|Control+Digit1|ctrl+1" })
	void mapsModelKeyNamesToPlaywrightAndXdotool(String model, String playwright, String xdotool) {
		List<String> chord = KeyNames.chord(List.of(model));
		assertThat(KeyNames.playwright(chord)).isEqualTo(playwright);
		assertThat(KeyNames.xdotool(chord)).isEqualTo(xdotool);
	}

	@Test
	void readsAChordGivenAsSeparateKeys() {
		assertThat(KeyNames.chord(List.of("ctrl", "shift", "t"))).containsExactly("Control", "Shift", "t");
	}

	@Test
	void keepsSingleCharactersIncludingPlus() {
		assertThat(KeyNames.chord(List.of("+"))).containsExactly("+");
		assertThat(KeyNames.xdotool(KeyNames.chord(List.of("/")))).isEqualTo("slash");
	}

	@Test
	void rejectsUnknownKeyNamesListingTheKnownOnes() {
		assertThatThrownBy(() -> KeyNames.chord(List.of("ctrl", "Hyperdrive"))).isInstanceOf(UnknownKeyException.class)
			.hasMessageContaining("'Hyperdrive'")
			.hasMessageContaining("PageDown");
	}

	@Test
	void rejectsAnEmptyChord() {
		assertThatThrownBy(() -> KeyNames.chord(List.of())).isInstanceOf(UnknownKeyException.class)
			.hasMessageContaining("at least one key");
	}

}

package dev.sightline.tools.keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Key names as Qwen2.5-VL writes them ({@code ctrl}, {@code Return}, {@code super}, {@code Page_Down}, xdotool and
 * browser spellings alike) normalised to one canonical name, then translated for Playwright's
 * {@code keyboard.press} and for {@code xdotool key}. Canonical names are Playwright's key names (plus single
 * characters), because that vocabulary is the larger one and round-trips to xdotool keysyms.
 */
public final class KeyNames {

	/** Canonical name → xdotool keysym. */
	private static final Map<String, String> XDOTOOL = new HashMap<>();

	/** Lower-cased alias → canonical name. */
	private static final Map<String, String> ALIASES = new HashMap<>();

	/** Printable characters whose xdotool keysym is a name. */
	private static final Map<Character, String> XDOTOOL_CHARS = new HashMap<>();

	static {
		key("Control", "ctrl", "ctrl", "control", "control_l", "control_r", "ctl", "ctrl_l", "ctrl_r", "strg");
		key("Shift", "shift", "shift", "shift_l", "shift_r");
		key("Alt", "alt", "alt", "alt_l", "alt_r", "option", "opt", "altgr");
		key("Meta", "super", "meta", "super", "super_l", "super_r", "win", "windows", "cmd", "command", "meta_l",
				"meta_r", "os", "hyper");
		key("Enter", "Return", "enter", "return", "kp_enter", "ret", "newline");
		key("Tab", "Tab", "tab");
		key("Escape", "Escape", "escape", "esc");
		key("Backspace", "BackSpace", "backspace", "back_space", "bksp");
		key("Delete", "Delete", "delete", "del");
		key("Insert", "Insert", "insert", "ins");
		key("Home", "Home", "home");
		key("End", "End", "end");
		key("PageUp", "Page_Up", "pageup", "page_up", "pgup", "prior");
		key("PageDown", "Page_Down", "pagedown", "page_down", "pgdn", "next");
		key("ArrowUp", "Up", "up", "arrowup", "arrow_up", "uparrow");
		key("ArrowDown", "Down", "down", "arrowdown", "arrow_down", "downarrow");
		key("ArrowLeft", "Left", "left", "arrowleft", "arrow_left", "leftarrow");
		key("ArrowRight", "Right", "right", "arrowright", "arrow_right", "rightarrow");
		key("Space", "space", "space", "spacebar", "space_bar");
		key("CapsLock", "Caps_Lock", "capslock", "caps_lock", "caps");
		key("NumLock", "Num_Lock", "numlock", "num_lock");
		key("ScrollLock", "Scroll_Lock", "scrolllock", "scroll_lock");
		key("PrintScreen", "Print", "printscreen", "print", "prtsc", "print_screen");
		key("Pause", "Pause", "pause", "break");
		key("ContextMenu", "Menu", "contextmenu", "menu", "apps");
		for (int i = 1; i <= 24; i++) {
			key("F" + i, "F" + i, "f" + i);
		}
		for (int i = 0; i <= 9; i++) {
			key("Numpad" + i, "KP_" + i, "numpad" + i, "kp_" + i);
		}
		String[][] punctuation = { { " ", "space" }, { "!", "exclam" }, { "\"", "quotedbl" }, { "#", "numbersign" },
				{ "$", "dollar" }, { "%", "percent" }, { "&", "ampersand" }, { "'", "apostrophe" },
				{ "(", "parenleft" }, { ")", "parenright" }, { "*", "asterisk" }, { "+", "plus" }, { ",", "comma" },
				{ "-", "minus" }, { ".", "period" }, { "/", "slash" }, { ":", "colon" }, { ";", "semicolon" },
				{ "<", "less" }, { "=", "equal" }, { ">", "greater" }, { "?", "question" }, { "@", "at" },
				{ "[", "bracketleft" }, { "\\", "backslash" }, { "]", "bracketright" }, { "^", "asciicircum" },
				{ "_", "underscore" }, { "`", "grave" }, { "{", "braceleft" }, { "|", "bar" },
				{ "}", "braceright" }, { "~", "asciitilde" } };
		for (String[] entry : punctuation) {
			XDOTOOL_CHARS.put(entry[0].charAt(0), entry[1]);
			// xdotool's keysym names are also what the model writes for punctuation ("ctrl+minus").
			if (!entry[1].equals("space")) {
				ALIASES.put(entry[1].toLowerCase(Locale.ROOT), entry[0]);
			}
		}
	}

	private KeyNames() {
	}

	private static void key(String canonical, String xdotool, String... aliases) {
		XDOTOOL.put(canonical, xdotool);
		ALIASES.put(canonical.toLowerCase(Locale.ROOT), canonical);
		for (String alias : aliases) {
			ALIASES.put(alias, canonical);
		}
	}

	/** The canonical name of one key, e.g. {@code "Return"} → {@code "Enter"}, {@code "A"} → {@code "A"}. */
	public static String canonical(String name) {
		if (name.length() == 1) {
			return name;
		}
		String trimmed = name.strip();
		if (trimmed.length() == 1) {
			return trimmed;
		}
		if (trimmed.isEmpty()) {
			// A run of spaces is the space bar written literally.
			if (!name.isEmpty()) {
				return "Space";
			}
			throw new UnknownKeyException("key name is empty");
		}
		String canonical = ALIASES.get(trimmed.toLowerCase(Locale.ROOT));
		if (canonical == null) {
			throw new UnknownKeyException("unknown key name '" + abbreviate(trimmed) + "'; use a single character or one of "
					+ new TreeSet<>(XDOTOOL.keySet()));
		}
		return canonical;
	}

	/**
	 * Splits and normalises what the model gave as keys: a list of names, where an element may itself be a chord
	 * written {@code "ctrl+shift+t"} or {@code "ctrl-c"}; a literal {@code "+"} stays a key.
	 */
	public static List<String> chord(List<String> names) {
		List<String> keys = new ArrayList<>();
		for (String name : names) {
			for (String part : splitChord(name)) {
				keys.add(canonical(part));
			}
		}
		if (keys.isEmpty()) {
			throw new UnknownKeyException("a key action needs at least one key name");
		}
		if (keys.size() > 8) {
			throw new UnknownKeyException("a chord may hold at most 8 keys, got " + keys.size() + ": " + keys);
		}
		return List.copyOf(keys);
	}

	private static List<String> splitChord(String name) {
		if (name.length() <= 1) {
			return List.of(name);
		}
		List<String> parts = new ArrayList<>();
		String separator = name.contains("+") ? "+" : (name.matches("(?i)(ctrl|control|alt|shift|super|meta|cmd)-.+") ? "-" : null);
		if (separator == null) {
			return List.of(name);
		}
		int start = 0;
		for (int i = 0; i < name.length(); i++) {
			// "ctrl++" and "ctrl+-" hold the separator itself as the last key.
			if (name.startsWith(separator, i) && i > start) {
				parts.add(name.substring(start, i));
				start = i + 1;
			}
		}
		if (start < name.length()) {
			parts.add(name.substring(start));
		}
		return parts;
	}

	/** Playwright's {@code keyboard.press} argument for a canonical chord, e.g. {@code "Control+Shift+T"}. */
	public static String playwright(List<String> canonicalKeys) {
		// Canonical names are Playwright's own; Playwright splits on '+' and reads a trailing "+" as the plus key.
		if (canonicalKeys.size() == 1) {
			return canonicalKeys.get(0);
		}
		// In a chord, letters and digits go by key code so Shift acts as on a keyboard: Shift+KeyK gives "K".
		return String.join("+", canonicalKeys.stream().map(KeyNames::playwrightChordKey).toList());
	}

	private static String playwrightChordKey(String key) {
		if (key.length() == 1) {
			char c = key.charAt(0);
			if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return "Key" + Character.toUpperCase(c);
			}
			if (c >= '0' && c <= '9') {
				return "Digit" + c;
			}
		}
		return key;
	}

	/** {@code xdotool key} argument for a canonical chord, e.g. {@code "ctrl+shift+t"}. */
	public static String xdotool(List<String> canonicalKeys) {
		return String.join("+", canonicalKeys.stream().map(KeyNames::xdotoolKey).toList());
	}

	private static String xdotoolKey(String key) {
		if (key.length() == 1) {
			char c = key.charAt(0);
			String named = XDOTOOL_CHARS.get(c);
			return named != null ? named : key;
		}
		String keysym = XDOTOOL.get(key);
		if (keysym == null) {
			throw new UnknownKeyException("no xdotool keysym for canonical key '" + key + "'");
		}
		return keysym;
	}

	private static String abbreviate(String text) {
		return text.length() <= 40 ? text : text.substring(0, 40) + "...";
	}

}

package dev.sightline.e2e.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as its instructions: line continuations joined, comments and parser directives dropped, each
 * instruction keeping the line it starts on so that lint findings point at it.
 */
record Dockerfile(List<Instruction> instructions) {

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

	/** One instruction: {@code keyword} upper-cased, {@code arguments} with continuations joined by a space. */
	record Instruction(int line, String keyword, String arguments) {
	}

	static Dockerfile parse(String text) {
		List<Instruction> instructions = new ArrayList<>();
		String[] lines = text.split("\\R", -1);
		StringBuilder pending = null;
		int start = 0;
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			String trimmed = line.strip();
			if (pending == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
				continue;
			}
			if (pending != null && trimmed.startsWith("#")) {
				// Comment lines inside a continued instruction are removed by Docker, not ending it.
				continue;
			}
			if (pending == null) {
				pending = new StringBuilder();
				start = i + 1;
			}
			boolean continued = trimmed.endsWith("\\");
			pending.append(continued ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed).append(' ');
			if (!continued) {
				instructions.add(toInstruction(start, pending.toString().strip()));
				pending = null;
			}
		}
		if (pending != null) {
			instructions.add(toInstruction(start, pending.toString().strip()));
		}
		return new Dockerfile(List.copyOf(instructions));
	}

	private static Instruction toInstruction(int line, String text) {
		int space = text.indexOf(' ');
		String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
		String arguments = space < 0 ? "" : text.substring(space + 1).strip();
		return new Instruction(line, keyword, arguments);
	}

	List<Instruction> all(String keyword) {
		return this.instructions.stream().filter((instruction) -> instruction.keyword().equals(keyword)).toList();
	}

	/** ARG defaults declared before the first FROM: the only variables a FROM line may use. */
	Map<String, String> globalArgs() {
		Map<String, String> args = new LinkedHashMap<>();
		for (Instruction instruction : this.instructions) {
			if (instruction.keyword().equals("FROM")) {
				break;
			}
			if (instruction.keyword().equals("ARG")) {
				String[] pair = instruction.arguments().split("=", 2);
				args.put(pair[0].strip(), pair.length == 2 ? unquote(pair[1].strip()) : "");
			}
		}
		return args;
	}

	/** One build stage: its FROM instruction and the instructions up to the next FROM. */
	record Stage(Instruction from, String image, String name, List<Instruction> instructions) {
	}

	List<Stage> stages() {
		Map<String, String> args = globalArgs();
		List<Stage> stages = new ArrayList<>();
		Instruction from = null;
		List<Instruction> body = new ArrayList<>();
		for (Instruction instruction : this.instructions) {
			if (instruction.keyword().equals("FROM")) {
				if (from != null) {
					stages.add(stage(from, args, body));
				}
				from = instruction;
				body = new ArrayList<>();
			}
			else if (from != null) {
				body.add(instruction);
			}
		}
		if (from != null) {
			stages.add(stage(from, args, body));
		}
		return stages;
	}

	private static Stage stage(Instruction from, Map<String, String> args, List<Instruction> body) {
		List<String> words = new ArrayList<>();
		for (String word : from.arguments().split("\\s+")) {
			if (!word.startsWith("--")) {
				words.add(word);
			}
		}
		String image = expand(words.get(0), args);
		String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : "";
		return new Stage(from, image, name, List.copyOf(body));
	}

	static String expand(String text, Map<String, String> variables) {
		Matcher matcher = VARIABLE.matcher(text);
		StringBuilder expanded = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
			String fallback = matcher.group(2) != null ? matcher.group(2) : "";
			String value = variables.getOrDefault(name, "");
			matcher.appendReplacement(expanded, Matcher.quoteReplacement(value.isEmpty() ? fallback : value));
		}
		matcher.appendTail(expanded);
		return expanded.toString();
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

}

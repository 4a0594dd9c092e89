package dev.sightline.vision.prompt;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * The {@code tojson} filter as transformers' chat-template environment defines it: Python
 * {@code json.dumps(value, ensure_ascii=False)} ({@link PythonJson}). Tool descriptions and tool-call arguments
 * reach the prompt through it, so the bytes the model sees must match what it was trained on (Jinjava's own filter
 * writes compact JSON).
 */
final class PythonJsonFilter implements Filter {

	@Override
	public String getName() {
		return "tojson";
	}

	@Override
	public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
		return PythonJson.dumps(value);
	}

}

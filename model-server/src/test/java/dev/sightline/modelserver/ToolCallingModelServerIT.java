package dev.sightline.modelserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function tools through the server: Spring AI's OpenAI client runs a whole tool-calling round (tools rendered
 * into the system prompt as the model was trained on them, the model's {@code <tool_call>} returned as
 * {@code tool_calls}, the tool's result sent back as a {@code tool} message and rendered as a
 * {@code <tool_response>}), whole and streamed. The model is scripted: it calls the weather tool until it sees a
 * tool response, then answers with it.
 */
class ToolCallingModelServerIT {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final WeatherModel model = new WeatherModel();

	private ModelServer server;

	record Weather(String city) {
	}

	@BeforeEach
	void start() {
		server = ModelServer.start(ServerOptions.defaults("unused").withPort(0), model, "tiny-a");
	}

	@AfterEach
	void stop() {
		server.close();
	}

	private OpenAiChatOptions options(List<String> cities) {
		ToolCallback weather = FunctionToolCallback.<Weather, String>builder("current_weather", w -> {
			cities.add(w.city());
			return "21 degrees and sunny in " + w.city();
		}).description("The current weather in a city").inputType(Weather.class).build();
		return OpenAiChatOptions.builder()
			.baseUrl(server.baseUrl().toString())
			.apiKey("unused")
			.model("tiny-a")
			.maxRetries(0)
			.toolCallbacks(weather)
			.build();
	}

	/** Spring AI 2's user-controlled tool execution: run the calls of an answer, ask again with the results. */
	private static final ToolCallingManager TOOLS = ToolCallingManager.builder().build();

	@Test
	void springAiCallsTheToolAndGetsTheAnswerBuiltOnItsResult() {
		List<String> cities = Collections.synchronizedList(new ArrayList<>());
		OpenAiChatOptions options = options(cities);
		OpenAiChatModel chat = OpenAiChatModel.builder().options(options).build();
		Prompt prompt = new Prompt("What is the weather in Paris?", options);
		ChatResponse response = chat.call(prompt);
		assertThat(response.hasToolCalls()).isTrue();
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("tool_calls");
		ToolExecutionResult executed = TOOLS.executeToolCalls(prompt, response);
		response = chat.call(new Prompt(executed.conversationHistory(), options));

		assertThat(cities).containsExactly("Paris");
		assertThat(response.hasToolCalls()).isFalse();
		assertThat(response.getResult().getOutput().getText()).isEqualTo("It says: 21 degrees and sunny in Paris");
		Conversation first = model.received.get(0);
		String system = text(first.messages().get(0));
		assertThat(first.messages().get(0).role()).isEqualTo(Role.SYSTEM);
		assertThat(system).startsWith(ToolCalling.DEFAULT_SYSTEM + "\n\n# Tools\n\n")
			// The tool as the client sent it, one line in Python's json.dumps form (keys in the client's order).
			.contains("<tools>\n{\"function\": {\"name\": \"current_weather\", "
					+ "\"description\": \"The current weather in a city\", \"parameters\": {")
			.endsWith("<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
		Conversation second = model.received.get(1);
		List<Message> turns = second.messages();
		assertThat(turns).extracting(Message::role)
			.containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
		assertThat(text(turns.get(2)))
			.isEqualTo("<tool_call>\n{\"name\": \"current_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
		assertThat(text(turns.get(3))).matches("<tool_response>\n\"?21 degrees and sunny in Paris\"?\n</tool_response>");
	}

	@Test
	void springAiStreamsTheToolRoundToo() {
		List<String> cities = Collections.synchronizedList(new ArrayList<>());
		OpenAiChatOptions options = options(cities);
		OpenAiChatModel chat = OpenAiChatModel.builder().options(options).build();
		Prompt prompt = new Prompt("What is the weather in Oslo?", options);
		ChatResponse withCalls = chat.stream(prompt)
			.collectList()
			.block(Duration.ofSeconds(30))
			.stream()
			.filter(ChatResponse::hasToolCalls)
			.findFirst()
			.orElseThrow();
		ToolExecutionResult executed = TOOLS.executeToolCalls(prompt, withCalls);
		List<ChatResponse> chunks = chat.stream(new Prompt(executed.conversationHistory(), options))
			.collectList()
			.block(Duration.ofSeconds(30));

		StringBuilder text = new StringBuilder();
		for (ChatResponse chunk : chunks) {
			if (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null) {
				text.append(chunk.getResult().getOutput().getText());
			}
		}
		assertThat(cities).containsExactly("Oslo");
		assertThat(text.toString()).isEqualTo("It says: 21 degrees and sunny in Oslo");
	}

	@Test
	void rawAnswersCarryToolCallsInOpenAisShapeAndToolChoiceNoneLeavesTheTextAlone() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String tools = "[{\"type\": \"function\", \"function\": {\"name\": \"current_weather\", \"parameters\": "
				+ "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}]";
		JsonNode answer = JSON.readTree(post(http, "{\"messages\": [{\"role\": \"user\", \"content\": \"Rome?\"}], "
				+ "\"tools\": " + tools + "}"));
		JsonNode choice = answer.at("/choices/0");
		assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
		assertThat(choice.at("/message/content").isNull()).isTrue();
		JsonNode call = choice.at("/message/tool_calls/0");
		assertThat(call.path("id").asText()).startsWith("call_");
		assertThat(call.path("type").asText()).isEqualTo("function");
		assertThat(call.at("/function/name").asText()).isEqualTo("current_weather");
		assertThat(JSON.readTree(call.at("/function/arguments").asText()).path("city").asText()).isEqualTo("Rome");

		JsonNode none = JSON.readTree(post(http, "{\"messages\": [{\"role\": \"user\", \"content\": \"Rome?\"}], "
				+ "\"tools\": " + tools + ", \"tool_choice\": \"none\"}"));
		assertThat(none.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
		assertThat(none.at("/choices/0/message/tool_calls").isMissingNode()).isTrue();
		assertThat(text(model.received.getLast().messages().get(0))).doesNotContain("# Tools");

		String stream = post(http, "{\"messages\": [{\"role\": \"user\", \"content\": \"Rome?\"}], \"stream\": true, "
				+ "\"tools\": " + tools + "}");
		assertThat(stream).doesNotContain("<tool_call>").contains("\"tool_calls\":[{\"index\":0,\"id\":\"call_")
			.contains("\"finish_reason\":\"tool_calls\"");
	}

	private String post(HttpClient http, String body) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	static String text(Message message) {
		StringBuilder text = new StringBuilder();
		for (Part part : message.parts()) {
			if (part instanceof TextPart t) {
				text.append(t.text());
			}
		}
		return text.toString();
	}

	/**
	 * The scripted model: without a tool response in the conversation it calls {@code current_weather} for the city
	 * the user named (the last word of the question); with one, it answers with the response's text.
	 */
	static final class WeatherModel implements VisionLanguageModel {

		final List<Conversation> received = Collections.synchronizedList(new ArrayList<>());

		@Override
		public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
			received.add(conversation);
			String last = text(conversation.messages().getLast());
			List<String> pieces;
			if (last.startsWith("<tool_response>")) {
				String result = last.substring("<tool_response>\n".length(), last.length() - "\n</tool_response>".length())
					.replace("\"", "");
				pieces = List.of("It says: ", result);
			}
			else {
				String city = last.replaceAll(".*\\b(\\w+)\\?$", "$1");
				pieces = List.of("<tool_call>", "\n{\"name\": \"current_weather\", ", "\"arguments\": {\"city\": \"",
						city, "\"}}\n", "</tool_call>");
			}
			List<Integer> ids = new ArrayList<>();
			for (String piece : pieces) {
				ids.add(100 + ids.size());
				listener.onText(piece);
			}
			return new Generation(String.join("", pieces), ids, FinishReason.STOP, 10, List.of(), 0, 1, 1);
		}

		@Override
		public PixelBudget pixelBudget() {
			return PixelBudget.PUBLISHED;
		}

		@Override
		public String name() {
			return "weather";
		}

	}

}

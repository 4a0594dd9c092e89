package dev.sightline.vision.qwen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.prompt.PromptBuilder;
import dev.sightline.vision.qwen.generate.Completion;
import dev.sightline.vision.qwen.generate.FinishReason;
import dev.sightline.vision.qwen.generate.GenerationLoop;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.tokenizer.StreamingDecoder;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * Qwen2.5-VL in this JVM: the in-process backend the agent calls. Loads a Hugging Face checkpoint directory
 * (config, weights, tokenizer, chat template, preprocessor and generation configs) and answers conversations with
 * greedy or sampled decoding, streaming text as it is produced. One request runs at a time per model.
 */
public final class QwenVl implements VisionLanguageModel {

	/** Longest prompt plus completion: the published configs target 32k-token contexts (spec §2.1). */
	static final int MAX_CONTEXT_TOKENS = 32_768;

	private final QwenModel model;

	private final QwenTokenizer tokenizer;

	private final PromptBuilder prompts;

	private final ProcessorConfig processorConfig;

	private final Set<Integer> stopIds;

	private QwenVl(QwenModel model, QwenTokenizer tokenizer, PromptBuilder prompts, ProcessorConfig processorConfig,
			Set<Integer> stopIds) {
		this.model = model;
		this.tokenizer = tokenizer;
		this.prompts = prompts;
		this.processorConfig = processorConfig;
		this.stopIds = stopIds;
	}

	public static QwenVl load(Path directory, LoadOptions options) {
		Path preprocessor = directory.resolve("preprocessor_config.json");
		ProcessorConfig processorConfig = Files.exists(preprocessor) ? ProcessorConfig.read(preprocessor)
				: ProcessorConfig.PUBLISHED;
		QwenTokenizer tokenizer = QwenTokenizer.load(directory.resolve("tokenizer.json"));
		try {
			QwenModel model = QwenModel.load(directory, options);
			Set<Integer> stopIds = new LinkedHashSet<>(model.generationConfig().eosTokenIds());
			if (stopIds.isEmpty()) {
				stopIds.add((int) tokenizer.tokenId(QwenTokenizer.IM_END));
			}
			PromptBuilder prompts = new PromptBuilder(tokenizer, ChatTemplate.fromCheckpoint(directory),
					new ImageProcessor(processorConfig), MAX_CONTEXT_TOKENS);
			return new QwenVl(model, tokenizer, prompts, processorConfig, Set.copyOf(stopIds));
		}
		catch (RuntimeException e) {
			tokenizer.close();
			throw e;
		}
	}

	public QwenModel model() {
		return model;
	}

	@Override
	public synchronized Generation generate(Conversation conversation, GenerationOptions options,
			TokenListener listener) {
		PreparedPrompt prompt = prompts.prepare(conversation, true);
		ModelInputs inputs = inputs(prompt);
		long[] ids = inputs.inputIds();
		int maxNewTokens = Math.min(options.maxNewTokens(), Math.max(1, MAX_CONTEXT_TOKENS - ids.length));
		try (QwenSequence sequence = model.newSequence(ids.length + maxNewTokens)) {
			long start = System.nanoTime();
			float[] first = sequence.prefill(inputs, false);
			double prefillMs = (System.nanoTime() - start) / 1e6 - sequence.visionMs();
			StreamingDecoder decoder = new StreamingDecoder(tokenizer, true);
			StringBuilder text = new StringBuilder();
			boolean[] stoppedByString = { false };
			Completion completion = GenerationLoop.run(first, ids, sequence::step,
					new Sampler(SamplingSettings.from(options)), stopIds, maxNewTokens, (token, logits) -> {
						if (stopIds.contains(token)) {
							return true;
						}
						String piece = decoder.push(token);
						int before = text.length();
						text.append(piece);
						int cut = firstStop(text, options.stop());
						if (cut >= 0) {
							stoppedByString[0] = true;
							String visible = text.substring(Math.min(before, cut), cut);
							text.setLength(cut);
							if (!visible.isEmpty()) {
								listener.onText(visible);
							}
							return false;
						}
						return piece.isEmpty() || listener.onText(piece);
					});
			if (!stoppedByString[0]) {
				String rest = decoder.flush();
				if (!rest.isEmpty()) {
					text.append(rest);
					listener.onText(rest);
				}
			}
			String finish = stoppedByString[0] ? FinishReason.STOP.wireName() : completion.finishReason().wireName();
			List<ImageSize> sizes = prompt.images().stream().map(ProcessedImage::resized).toList();
			return new Generation(text.toString(), completion.tokenIds(), finish, ids.length, sizes,
					sequence.visionMs(), prefillMs, completion.decodeMs());
		}
	}

	@Override
	public PixelBudget pixelBudget() {
		return processorConfig.budget();
	}

	@Override
	public String name() {
		return model.directory().getFileName().toString();
	}

	@Override
	public void close() {
		model.close();
		tokenizer.close();
	}

	static ModelInputs inputs(PreparedPrompt prompt) {
		List<GridThw> imageGrids = new ArrayList<>();
		List<float[]> imagePixels = new ArrayList<>();
		for (ProcessedImage image : prompt.images()) {
			imageGrids.add(image.grid());
			imagePixels.add(image.pixelValues());
		}
		List<GridThw> videoGrids = new ArrayList<>();
		List<float[]> videoPixels = new ArrayList<>();
		float[] secondPerGrid = new float[prompt.videos().size()];
		for (int i = 0; i < prompt.videos().size(); i++) {
			ProcessedVideo video = prompt.videos().get(i);
			videoGrids.add(video.grid());
			videoPixels.add(video.pixelValues());
			secondPerGrid[i] = video.secondPerGridT();
		}
		return new ModelInputs(prompt.inputIds(), concat(imagePixels), imageGrids, concat(videoPixels), videoGrids,
				secondPerGrid);
	}

	private static float[] concat(List<float[]> parts) {
		float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
		int at = 0;
		for (float[] part : parts) {
			System.arraycopy(part, 0, out, at, part.length);
			at += part.length;
		}
		return out;
	}

	private static int firstStop(CharSequence text, List<String> stops) {
		int cut = -1;
		for (String stop : stops) {
			int at = stop.isEmpty() ? -1 : text.toString().indexOf(stop);
			if (at >= 0 && (cut < 0 || at < cut)) {
				cut = at;
			}
		}
		return cut;
	}

}

// The official openai-node client against serve-model, used exactly as an application would use it.
// Usage: node openai-client-check.mjs BASE_URL [API_KEY]   (or OPENAI_BASE_URL / OPENAI_API_KEY)
// The served model may have random weights, so the checks are on shape and validity, never on the text: JSON
// answers and tool-call arguments are valid because the server decodes them under the schema's grammar.
// Prints one JSON line {"ok": true|false, "client": version, "checks": {name: details}, "failures": [...]} and
// exits non-zero when any check failed.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import OpenAI, { AuthenticationError, BadRequestError } from 'openai';
import { VERSION } from 'openai/version';

const baseURL = process.argv[2] ?? process.env.OPENAI_BASE_URL;
const apiKey = process.argv[3] ?? process.env.OPENAI_API_KEY ?? 'unused';
if (!baseURL) {
	console.error('usage: node openai-client-check.mjs BASE_URL [API_KEY]');
	process.exit(2);
}
// No retries: a failure must show up as itself, not as a slower success.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });

const WEATHER = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'Weather in a city',
		parameters: {
			type: 'object',
			additionalProperties: false,
			required: ['city', 'unit'],
			properties: { city: { type: 'string', maxLength: 12 }, unit: { enum: ['c', 'f'] } },
		},
	},
};
const TIME = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };
const TOOLS = [WEATHER, TIME];

/** A get_weather call's arguments: a JSON object that fits WEATHER's schema exactly. */
function assertWeatherArguments(text) {
	// Constrained text is valid UTF-8 by construction: no broken byte sequence shown as U+FFFD.
	assert.ok(!text.includes('\uFFFD'), `U+FFFD in ${text}`);
	const args = JSON.parse(text);
	assert.deepEqual(Object.keys(args).sort(), ['city', 'unit'], `arguments ${text}`);
	assert.equal(typeof args.city, 'string');
	assert.ok(args.city.length <= 12, `city longer than maxLength 12: ${text}`);
	assert.ok(['c', 'f'].includes(args.unit), `unit outside the enum: ${text}`);
	return args;
}

function assertUsage(usage) {
	assert.ok(usage, 'usage is missing');
	assert.ok(usage.prompt_tokens > 0, `prompt_tokens ${usage.prompt_tokens}`);
	assert.ok(usage.completion_tokens > 0, `completion_tokens ${usage.completion_tokens}`);
	assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
}

/** A small RGB PNG (a colour gradient), built here so the check needs no image file. */
function png(width, height) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (bytes) => {
		let c = 0xffffffff;
		for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const out = Buffer.alloc(12 + data.length);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc32(body), 8 + data.length);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
	const rows = Buffer.alloc(height * (1 + 3 * width));
	for (let y = 0; y < height; y++) {
		const row = y * (1 + 3 * width); // filter byte 0, then the pixels
		for (let x = 0; x < width; x++) rows.set([(x * 4) & 0xff, (y * 4) & 0xff, 128], row + 1 + 3 * x);
	}
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const checks = {};
const failures = [];
async function check(name, body) {
	try {
		checks[name] = (await body()) ?? true;
	}
	catch (e) {
		checks[name] = false;
		failures.push({ check: name, error: `${e?.constructor?.name}: ${e?.message}` });
	}
}

let model;
await check('models', async () => {
	const models = [];
	for await (const m of client.models.list()) models.push(m);
	assert.ok(models.length >= 1, 'no model listed');
	assert.equal(models[0].object, 'model');
	model = models[0].id;
	const retrieved = await client.models.retrieve(model);
	assert.equal(retrieved.id, model);
	assert.equal(retrieved.object, 'model');
	return { model };
});

await check('text_and_image', async () => {
	const image = `data:image/png;base64,${png(56, 56).toString('base64')}`;
	const completion = await client.chat.completions.create({
		model,
		messages: [
			{ role: 'system', content: 'You describe screenshots.' },
			{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' },
				{ type: 'image_url', image_url: { url: image } }] },
		],
		max_tokens: 8,
	});
	assert.equal(completion.object, 'chat.completion');
	assert.equal(completion.model, model);
	assert.equal(completion.choices.length, 1);
	const choice = completion.choices[0];
	assert.equal(choice.message.role, 'assistant');
	assert.equal(typeof choice.message.content, 'string');
	assert.ok(['stop', 'length'].includes(choice.finish_reason), `finish_reason ${choice.finish_reason}`);
	assertUsage(completion.usage);
	return { finish_reason: choice.finish_reason, usage: completion.usage };
});

await check('stream', async () => {
	const stream = await client.chat.completions.create({
		model,
		messages: [{ role: 'user', content: 'Count to five.' }],
		max_completion_tokens: 6,
		stream: true,
		stream_options: { include_usage: true },
	});
	let text = '';
	let finish = null;
	let usage = null;
	let chunks = 0;
	for await (const chunk of stream) {
		chunks++;
		assert.equal(chunk.object, 'chat.completion.chunk');
		for (const choice of chunk.choices) {
			text += choice.delta?.content ?? '';
			if (choice.finish_reason) finish = choice.finish_reason;
		}
		if (chunk.usage) {
			// OpenAI's shape: usage comes alone in the last chunk, with no choices.
			assert.equal(chunk.choices.length, 0);
			usage = chunk.usage;
		}
	}
	assert.equal(finish, 'length', 'six tokens of random text end by length');
	assertUsage(usage);
	assert.equal(usage.completion_tokens, 6);
	return { chunks, finish_reason: finish, usage };
});

await check('tools_auto', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: TOOLS, tool_choice: 'auto',
		max_tokens: 40,
	});
	const choice = completion.choices[0];
	// Free to answer in text or to call: random weights usually answer in text; a call must still be well formed.
	if (choice.finish_reason === 'tool_calls') {
		for (const call of choice.message.tool_calls) {
			assert.ok(['get_weather', 'get_time'].includes(call.function.name));
			JSON.parse(call.function.arguments);
		}
	}
	else {
		assert.ok(['stop', 'length'].includes(choice.finish_reason), `finish_reason ${choice.finish_reason}`);
		assert.equal(typeof choice.message.content, 'string');
	}
	return { finish_reason: choice.finish_reason };
});

await check('tools_required', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: TOOLS, tool_choice: 'required',
		max_tokens: 80, temperature: 1, seed: 3,
	});
	const choice = completion.choices[0];
	assert.equal(choice.finish_reason, 'tool_calls');
	const call = choice.message.tool_calls[0];
	assert.equal(call.type, 'function');
	assert.equal(typeof call.id, 'string');
	assert.ok(['get_weather', 'get_time'].includes(call.function.name), `name ${call.function.name}`);
	if (call.function.name === 'get_weather') assertWeatherArguments(call.function.arguments);
	else assert.equal(typeof JSON.parse(call.function.arguments), 'object');
	return { name: call.function.name, arguments: call.function.arguments };
});

await check('tools_named', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Weather?' }], tools: TOOLS,
		tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: 80, temperature: 1, seed: 9,
	});
	const choice = completion.choices[0];
	assert.equal(choice.finish_reason, 'tool_calls');
	assert.equal(choice.message.tool_calls.length, 1);
	const call = choice.message.tool_calls[0];
	assert.equal(call.function.name, 'get_weather');
	assertWeatherArguments(call.function.arguments);
	return { arguments: call.function.arguments };
});

await check('tools_named_streamed', async () => {
	// The client's own stream helper: it assembles tool-call deltas by index and rejects chunks it cannot merge.
	const stream = client.chat.completions.stream({
		model, messages: [{ role: 'user', content: 'Weather?' }], tools: TOOLS,
		tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: 80, temperature: 1, seed: 9,
	});
	let deltas = 0;
	stream.on('chunk', (chunk) => {
		deltas += chunk.choices.filter((c) => c.delta?.tool_calls?.length).length;
	});
	const final = await stream.finalChatCompletion();
	const choice = final.choices[0];
	assert.equal(choice.finish_reason, 'tool_calls');
	assert.ok(deltas >= 1, 'no tool-call delta was streamed');
	assert.equal(choice.message.tool_calls.length, 1);
	const call = choice.message.tool_calls[0];
	assert.equal(call.type, 'function');
	assert.equal(call.function.name, 'get_weather');
	assertWeatherArguments(call.function.arguments);
	return { deltas, arguments: call.function.arguments };
});

await check('n_choices', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Name a colour.' }], n: 2, max_tokens: 6, temperature: 1, seed: 5,
	});
	assert.equal(completion.choices.length, 2);
	assert.deepEqual(completion.choices.map((c) => c.index), [0, 1]);
	for (const choice of completion.choices) assert.equal(typeof choice.message.content, 'string');
	assertUsage(completion.usage);
	return { choices: completion.choices.length };
});

await check('logprobs', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, logprobs: true, top_logprobs: 2,
	});
	const content = completion.choices[0].logprobs?.content;
	assert.ok(Array.isArray(content) && content.length >= 1 && content.length <= 5, 'logprobs.content');
	for (const token of content) {
		assert.equal(typeof token.token, 'string');
		assert.ok(token.logprob <= 0, `logprob ${token.logprob}`);
		assert.ok(Array.isArray(token.bytes));
		assert.equal(token.top_logprobs.length, 2);
		for (const top of token.top_logprobs) assert.ok(top.logprob <= 0);
	}
	return { tokens: content.length };
});

const CLICK = {
	name: 'click',
	strict: true,
	schema: {
		type: 'object',
		additionalProperties: false,
		required: ['x', 'y', 'label'],
		properties: { x: { type: 'integer' }, y: { type: 'integer' }, label: { type: 'string', maxLength: 10 } },
	},
};

function assertClick(text) {
	assert.ok(!text.includes('\uFFFD'), `U+FFFD in ${text}`);
	const answer = JSON.parse(text);
	assert.deepEqual(Object.keys(answer).sort(), ['label', 'x', 'y'], `answer ${text}`);
	assert.ok(Number.isInteger(answer.x) && Number.isInteger(answer.y), `answer ${text}`);
	assert.ok(typeof answer.label === 'string' && answer.label.length <= 10, `answer ${text}`);
	return answer;
}

await check('json_schema', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Where do I click?' }], max_tokens: 60, temperature: 1, seed: 5,
		response_format: { type: 'json_schema', json_schema: CLICK },
	});
	const choice = completion.choices[0];
	assert.equal(choice.finish_reason, 'stop');
	const answer = assertClick(choice.message.content);
	// The client's parse() helper reads the same answer into message.parsed.
	const parsed = await client.chat.completions.parse({
		model, messages: [{ role: 'user', content: 'Where do I click?' }], max_tokens: 60, temperature: 1, seed: 5,
		response_format: { type: 'json_schema', json_schema: CLICK },
	});
	assertClick(JSON.stringify(parsed.choices[0].message.parsed));
	return { answer };
});

await check('penalties', async () => {
	const completion = await client.chat.completions.create({
		model, messages: [{ role: 'user', content: 'Say something.' }], max_tokens: 8, frequency_penalty: 1.5,
		presence_penalty: 0.5,
	});
	assert.equal(typeof completion.choices[0].message.content, 'string');
	assertUsage(completion.usage);
	return { finish_reason: completion.choices[0].finish_reason };
});

await check('bad_request', async () => {
	try {
		await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], temperature: 3 });
	}
	catch (e) {
		assert.ok(e instanceof BadRequestError, `expected BadRequestError, got ${e?.constructor?.name}: ${e?.message}`);
		assert.equal(e.status, 400);
		assert.match(e.message, /temperature must be within \[0, 2\]/);
		assert.equal(e.param, 'temperature');
		assert.equal(e.type, 'invalid_request_error');
		return { status: e.status, message: e.message, code: e.code };
	}
	assert.fail('a temperature of 3 was accepted');
});

if (process.argv[3] ?? process.env.OPENAI_API_KEY) {
	await check('wrong_key', async () => {
		const stranger = new OpenAI({ baseURL, apiKey: `${apiKey}-wrong`, maxRetries: 0, timeout: 30_000 });
		try {
			await stranger.models.list();
		}
		catch (e) {
			assert.ok(e instanceof AuthenticationError, `expected AuthenticationError, got ${e?.constructor?.name}`);
			assert.equal(e.status, 401);
			return { status: e.status, message: e.message };
		}
		assert.fail('a wrong API key was accepted');
	});
}

console.log(JSON.stringify({ ok: failures.length === 0, client: VERSION, checks, failures }));
process.exit(failures.length === 0 ? 0 : 1);

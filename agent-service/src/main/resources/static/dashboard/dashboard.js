// Sightline dashboard: draws screenshots with the model's point, follows running tasks over SSE, replays steps and
// runs the grounding playground. Plain JS, no build step.
(function () {
	'use strict';

	/** The dashboard's marker colour; ReportImages.MARKER draws the same in HTML reports. */
	var MARKER = 'rgb(255, 0, 200)';

	function csrfToken() {
		var meta = document.querySelector('meta[name="csrf-token"]');
		return meta ? meta.content : '';
	}

	// Every htmx request carries the session's CSRF token, so a page that posts through htmx is never refused.
	document.addEventListener('htmx:configRequest', function (event) {
		event.detail.headers['X-CSRF-Token'] = csrfToken();
	});

	/** Where a step's point lands in screenshot pixels: the model point scaled from the model image (StepMarker). */
	function markerOf(coordinates) {
		if (!coordinates || !coordinates.modelImageWidthPx || !coordinates.modelImageHeightPx) {
			return null;
		}
		return {
			xPx: coordinates.modelXPx * coordinates.screenshotWidthPx / coordinates.modelImageWidthPx,
			yPx: coordinates.modelYPx * coordinates.screenshotHeightPx / coordinates.modelImageHeightPx
		};
	}

	function drawMarker(ctx, marker) {
		ctx.lineWidth = 6;
		ctx.strokeStyle = '#fff';
		ctx.beginPath();
		ctx.arc(marker.xPx, marker.yPx, 14, 0, 2 * Math.PI);
		ctx.stroke();
		ctx.lineWidth = 3;
		ctx.strokeStyle = MARKER;
		ctx.beginPath();
		ctx.arc(marker.xPx, marker.yPx, 14, 0, 2 * Math.PI);
		ctx.stroke();
		ctx.fillStyle = MARKER;
		ctx.beginPath();
		ctx.arc(marker.xPx, marker.yPx, 5, 0, 2 * Math.PI);
		ctx.fill();
	}

	function drawBox(ctx, box) {
		ctx.lineWidth = 5;
		ctx.strokeStyle = '#fff';
		ctx.strokeRect(box.x1Px, box.y1Px, box.x2Px - box.x1Px, box.y2Px - box.y1Px);
		ctx.lineWidth = 2;
		ctx.strokeStyle = MARKER;
		ctx.strokeRect(box.x1Px, box.y1Px, box.x2Px - box.x1Px, box.y2Px - box.y1Px);
	}

	/** Draws the image at its own resolution (CSS scales the canvas), then the box and point, in image pixels. */
	function drawShot(canvas, src, marker, box) {
		return new Promise(function (resolve, reject) {
			var image = new Image();
			image.onload = function () {
				canvas.width = image.naturalWidth;
				canvas.height = image.naturalHeight;
				var ctx = canvas.getContext('2d');
				ctx.drawImage(image, 0, 0);
				if (box) {
					drawBox(ctx, box);
				}
				if (marker) {
					drawMarker(ctx, marker);
					canvas.dataset.markerX = marker.xPx.toFixed(1);
					canvas.dataset.markerY = marker.yPx.toFixed(1);
				}
				else {
					delete canvas.dataset.markerX;
					delete canvas.dataset.markerY;
				}
				canvas.dataset.drawn = src;
				resolve();
			};
			image.onerror = function () {
				reject(new Error('cannot load ' + src));
			};
			image.src = src;
		});
	}

	function setText(id, text) {
		var element = document.getElementById(id);
		if (element) {
			element.textContent = text;
		}
	}

	function ms(value) {
		return value < 1000 ? Math.round(value) + ' ms' : (value / 1000).toFixed(1) + ' s';
	}

	// Live task detail: the latest screenshot with its marker, the model's answer and the action, as events arrive.
	function taskDetail(canvas) {
		var taskId = canvas.dataset.taskId;
		if (canvas.dataset.src) {
			drawShot(canvas, canvas.dataset.src, canvas.dataset.marker ? JSON.parse(canvas.dataset.marker) : null);
		}
		if (canvas.dataset.live !== 'true') {
			return;
		}
		var markers = {};
		var source = new EventSource('/api/v1/tasks/' + encodeURIComponent(taskId) + '/events');
		source.addEventListener('started', function () {
			setText('live-phase', 'Running…');
		});
		source.addEventListener('step_started', function (event) {
			var data = JSON.parse(event.data);
			setText('live-phase', 'Step ' + data.step + ': screenshot and model…');
		});
		source.addEventListener('model_output', function (event) {
			var data = JSON.parse(event.data);
			setText('raw-output', data.output);
			setText('live-phase', 'Step ' + data.step + ': model answered in ' + ms(data.modelMs) + ' ('
				+ data.promptTokens + ' tokens in, ' + data.completionTokens + ' out), acting…');
		});
		source.addEventListener('approval_requested', function (event) {
			var data = JSON.parse(event.data);
			setText('live-phase', 'Step ' + data.step + ' awaits your approval: ' + data.reason);
		});
		source.addEventListener('approval_decided', function (event) {
			var data = JSON.parse(event.data);
			setText('live-phase', 'Step ' + data.step + (data.approved ? ' approved; acting…' : ' rejected.'));
		});
		source.addEventListener('action', function (event) {
			var data = JSON.parse(event.data);
			markers[data.step] = markerOf(data.coordinates);
			setText('parsed-action', JSON.stringify(data.action, null, 2));
		});
		source.addEventListener('step_finished', function (event) {
			var data = JSON.parse(event.data);
			var empty = document.getElementById('shot-empty');
			if (empty) {
				empty.hidden = true;
			}
			setText('shot-step', 'after step ' + data.step);
			setText('live-phase', 'Step ' + data.step + ': ' + data.outcome);
			var src = '/api/v1/tasks/' + encodeURIComponent(taskId) + '/steps/' + data.step + '/screenshot';
			drawShot(canvas, src, markers[data.step] || null).catch(function () {
				// The step kept no screenshot: keep the previous one.
			});
		});
		source.addEventListener('finished', function (event) {
			var data = JSON.parse(event.data);
			setText('live-phase', 'Finished: ' + data.status + (data.message ? ' (' + data.message + ')' : ''));
			document.querySelectorAll('[data-live-status]').forEach(function (element) {
				element.textContent = data.status;
				element.className = 'status ' + data.status;
			});
			var cancel = document.getElementById('cancel');
			if (cancel) {
				cancel.closest('form').remove();
			}
			source.close();
		});
	}

	// Replay: one step at a time with its marker; the scrubber, buttons and arrow keys move between steps.
	function replay(section) {
		var taskId = section.dataset.taskId;
		var range = document.getElementById('step-range');
		var canvas = document.getElementById('replay-shot');
		var steps = [];
		function show(n) {
			var step = steps[n - 1];
			if (!step) {
				return;
			}
			range.value = n;
			setText('step-label', 'Step ' + n + ' of ' + steps.length);
			setText('replay-outcome', step.outcome);
			setText('replay-raw', step.rawOutput);
			setText('replay-action', step.action ? JSON.stringify(step.action, null, 2) : 'not parsed');
			var rows = document.getElementById('replay-timings');
			rows.replaceChildren();
			['screenshotMs', 'preprocessMs', 'promptMs', 'modelMs', 'parseMs', 'executeMs', 'recordMs'].forEach(function (key) {
				var row = document.createElement('tr');
				var name = document.createElement('td');
				name.textContent = key.replace('Ms', '');
				var value = document.createElement('td');
				value.textContent = ms(step.timings[key]);
				row.append(name, value);
				rows.append(row);
			});
			var tokens = document.createElement('tr');
			var tokensName = document.createElement('td');
			tokensName.textContent = 'tokens in / out';
			var tokensValue = document.createElement('td');
			tokensValue.textContent = (step.promptTokens || 0) + ' / ' + (step.completionTokens || 0);
			tokens.append(tokensName, tokensValue);
			rows.append(tokens);
			document.getElementById('replay-noshot').hidden = step.screenshotBytes > 0;
			canvas.hidden = !(step.screenshotBytes > 0);
			canvas.dataset.step = n;
			if (step.screenshotBytes > 0) {
				drawShot(canvas, '/api/v1/tasks/' + encodeURIComponent(taskId) + '/steps/' + n + '/screenshot',
					markerOf(step.coordinates)).then(function () {
					canvas.dataset.drawnStep = n;
				});
			}
		}
		function move(delta) {
			var n = Math.min(steps.length, Math.max(1, Number(range.value) + delta));
			show(n);
		}
		range.addEventListener('input', function () {
			show(Number(range.value));
		});
		document.getElementById('prev-step').addEventListener('click', function () {
			move(-1);
		});
		document.getElementById('next-step').addEventListener('click', function () {
			move(1);
		});
		document.addEventListener('keydown', function (event) {
			var tag = event.target && event.target.tagName;
			if (tag === 'INPUT' && event.target !== range || tag === 'TEXTAREA' || tag === 'SELECT') {
				return;
			}
			if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
				if (event.target !== range) {
					event.preventDefault();
					move(event.key === 'ArrowLeft' ? -1 : 1);
				}
				else {
					// The range moves itself; follow it once it has.
					setTimeout(function () {
						show(Number(range.value));
					});
				}
			}
		});
		fetch('/api/v1/tasks/' + encodeURIComponent(taskId) + '/steps', { credentials: 'same-origin' })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('loading the steps answered ' + response.status);
				}
				return response.json();
			})
			.then(function (loaded) {
				steps = loaded;
				show(1);
			})
			.catch(function (error) {
				setText('replay-outcome', error.message);
			});
	}

	// Grounding playground: the image as a data: URL to POST /api/v1/ground, the answer drawn on the image.
	function playground(form) {
		var canvas = document.getElementById('ground-canvas');
		var fileInput = document.getElementById('ground-image');
		var image = null;
		function showError(text) {
			var error = document.getElementById('ground-error');
			error.textContent = text;
			error.hidden = !text;
		}
		function useImage(dataUrl) {
			image = dataUrl;
			document.getElementById('ground-empty').hidden = true;
			showError('');
			drawShot(canvas, dataUrl, null);
		}
		function readFile(file) {
			var reader = new FileReader();
			reader.onload = function () {
				useImage(reader.result);
			};
			reader.readAsDataURL(file);
		}
		fileInput.addEventListener('change', function () {
			if (fileInput.files.length > 0) {
				readFile(fileInput.files[0]);
			}
		});
		document.addEventListener('paste', function (event) {
			var items = event.clipboardData ? event.clipboardData.items : [];
			for (var i = 0; i < items.length; i++) {
				if (items[i].type.indexOf('image/') === 0) {
					readFile(items[i].getAsFile());
					event.preventDefault();
					return;
				}
			}
		});
		form.addEventListener('submit', function (event) {
			event.preventDefault();
			if (!image) {
				showError('Choose or paste a screenshot first.');
				return;
			}
			var instruction = document.getElementById('ground-instruction').value;
			showError('');
			setText('ground-status', 'Asking the model…');
			var started = performance.now();
			fetch('/api/v1/ground', {
				method: 'POST',
				credentials: 'same-origin',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
				body: JSON.stringify({ image: image, instruction: instruction })
			}).then(function (response) {
				return response.json().then(function (body) {
					return { ok: response.ok, status: response.status, body: body };
				});
			}).then(function (answer) {
				var latencyMs = performance.now() - started;
				if (!answer.ok) {
					var body = answer.body || {};
					setText('ground-status', '');
					showError((body.title || 'Error ' + answer.status) + ': ' + (body.detail || '')
						+ (body.fix ? ' Fix: ' + body.fix : ''));
					return;
				}
				var result = answer.body;
				setText('ground-status', 'Answered in ' + ms(latencyMs));
				setText('ground-raw', result.rawOutput);
				var list = document.getElementById('ground-result');
				list.replaceChildren();
				[['Point', Math.round(result.point.xPx) + ', ' + Math.round(result.point.yPx) + ' px'],
					['Label', result.label || ''],
					['Model image', result.modelImageSize.widthPx + '×' + result.modelImageSize.heightPx + ' px'],
					['Latency', ms(latencyMs)]].forEach(function (pair) {
					var term = document.createElement('dt');
					term.textContent = pair[0];
					var value = document.createElement('dd');
					value.textContent = pair[1];
					list.append(term, value);
				});
				list.dataset.latencyMs = Math.round(latencyMs);
				drawShot(canvas, image, result.point, result.box);
			}).catch(function (error) {
				setText('ground-status', '');
				showError('The request failed: ' + error.message);
			});
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var shot = document.getElementById('shot');
		if (shot) {
			taskDetail(shot);
		}
		var section = document.getElementById('replay');
		if (section) {
			replay(section);
		}
		var form = document.getElementById('ground-form');
		if (form) {
			playground(form);
		}
	});
}());

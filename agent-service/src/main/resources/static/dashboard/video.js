// Sightline dashboard, video questions on the replay page: asks POST /api/v1/video/query about the task's recording
// and lists the answer's moments; each moment names the step on screen at its start, and clicking it moves the
// replay scrubber there.
(function () {
	'use strict';

	function csrfToken() {
		var meta = document.querySelector('meta[name="csrf-token"]');
		return meta ? meta.content : '';
	}

	// Seconds since the first screenshot for each step with one, as the video API counts recording time.
	function captureTimes(steps) {
		var origin = null;
		return steps.filter(function (s) { return s.screenshotBytes > 0; }).map(function (s) {
			var at = Date.parse(s.startedAt) / 1000;
			origin = origin === null ? at : origin;
			return { step: s.n, sec: at - origin };
		});
	}

	// The step on screen at a time: the last capture at or before it.
	function stepAt(times, sec) {
		var found = times.length ? times[0].step : 1;
		times.forEach(function (t) {
			if (t.sec <= sec + 1e-6) {
				found = t.step;
			}
		});
		return found;
	}

	// The moments' steps as tick marks on the replay's range input (a datalist the browser draws on the track).
	function tickMarks() {
		var marks = document.getElementById('video-moment-steps');
		if (!marks) {
			marks = document.createElement('datalist');
			marks.id = 'video-moment-steps';
			document.body.appendChild(marks);
		}
		marks.textContent = '';
		var range = document.getElementById('step-range');
		if (range) {
			range.setAttribute('list', marks.id);
		}
		return marks;
	}

	function jump(step) {
		var range = document.getElementById('step-range');
		if (!range) {
			return;
		}
		range.value = step;
		range.dispatchEvent(new Event('input'));
		range.focus();
	}

	function seconds(value) {
		return (Math.round(value * 10) / 10).toFixed(1) + ' s';
	}

	function init() {
		var panel = document.getElementById('video-question');
		if (!panel) {
			return;
		}
		var taskId = panel.dataset.taskId;
		var answer = document.getElementById('video-answer');
		var list = document.getElementById('video-moments');
		document.getElementById('video-question-form').addEventListener('submit', function (event) {
			event.preventDefault();
			var question = document.getElementById('video-question-text').value;
			answer.textContent = 'Asking the model…';
			list.textContent = '';
			Promise.all([
				fetch('/api/v1/tasks/' + encodeURIComponent(taskId) + '/steps').then(function (r) { return r.json(); }),
				fetch('/api/v1/video/query', {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
					body: JSON.stringify({ taskId: taskId, question: question })
				}).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
			]).then(function (results) {
				var steps = Array.isArray(results[0]) ? results[0] : (results[0].items || results[0].steps || []);
				var reply = results[1];
				if (!reply.ok) {
					answer.textContent = reply.body.detail || 'The question failed.';
					return;
				}
				answer.textContent = reply.body.answer;
				var times = captureTimes(steps);
				var marks = tickMarks();
				reply.body.moments.forEach(function (moment) {
					var step = stepAt(times, moment.startSec);
					var item = document.createElement('li');
					var button = document.createElement('button');
					button.type = 'button';
					button.className = 'moment-mark';
					button.dataset.step = step;
					button.dataset.startSec = moment.startSec;
					button.textContent = seconds(moment.startSec)
						+ (moment.endSec > moment.startSec ? '–' + seconds(moment.endSec) : '')
						+ ' · step ' + step + (moment.description ? ' · ' + moment.description : '');
					button.addEventListener('click', function () { jump(step); });
					var tick = document.createElement('option');
					tick.value = step;
					tick.label = seconds(moment.startSec);
					marks.appendChild(tick);
					item.appendChild(button);
					list.appendChild(item);
				});
				if (!reply.body.moments.length) {
					list.textContent = '';
				}
			}).catch(function (error) {
				answer.textContent = 'The question failed: ' + error.message;
			});
		});
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	}
	else {
		init();
	}
})();

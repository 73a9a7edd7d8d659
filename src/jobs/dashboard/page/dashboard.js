// The jobs dashboard's page: signs in with the app's own login (or a pasted bearer token), keeps
// the token in sessionStorage, and draws queues and jobs from /admin/jobs/api. No dependencies.

const API = '/admin/jobs/api';
const TOKEN_KEY = 'specstack.jobs.token';
const $ = (selector) => document.querySelector(selector);

let refreshTimer;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function cell(text, className) {
  const td = document.createElement('td');
  if (text instanceof Node) td.append(text);
  else td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function button(label, onClick, className) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  if (className) element.className = className;
  element.addEventListener('click', onClick);
  return element;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, init = {}) {
  const response = await fetch(`${API}${path}`, {
    ...init,
    headers: { accept: 'application/json', authorization: `Bearer ${token()}` },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.detail || body.message || body.title || `HTTP ${response.status}`,
    );
  }
  return body;
}

function progressOf(job) {
  if (typeof job.progress === 'number') {
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = job.progress;
    bar.textContent = `${job.progress}%`;
    return bar;
  }
  return job.progress === undefined ? '' : JSON.stringify(job.progress);
}

function jobLink(job) {
  return button(job.id, () => showJob(job.id), 'link');
}

function fill(tableId, rows) {
  const body = $(`#${tableId} tbody`);
  body.replaceChildren(...rows);
}

function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

async function act(path, method) {
  try {
    await api(path, { method });
    await refresh();
  } catch (error) {
    handleError(error);
  }
}

function drawQueues(overview) {
  $('#backend').textContent = `backend: ${overview.backend}`;
  const nextRuns = new Map(overview.schedules.map((s) => [s.name, s]));
  fill(
    'queues',
    overview.queues.map((queue) => {
      const schedule = nextRuns.get(queue.name);
      const name = document.createElement('span');
      name.textContent = queue.paused ? `${queue.name} (paused)` : queue.name;
      if (queue.paused) name.className = 'paused';
      const toggle = queue.paused
        ? button('Resume', () => act(`/queues/${encodeURIComponent(queue.name)}/resume`, 'POST'))
        : button('Pause', () => act(`/queues/${encodeURIComponent(queue.name)}/pause`, 'POST'));
      toggle.dataset.queue = queue.name;
      const tr = row(
        cell(name),
        cell(String(queue.counts.waiting)),
        cell(String(queue.counts.delayed)),
        cell(String(queue.counts.active)),
        cell(String(queue.counts.completed)),
        cell(String(queue.counts.failed)),
        cell(schedule ? `${when(schedule.nextRun)} (${schedule.cron})` : ''),
        cell(toggle),
      );
      tr.dataset.queue = queue.name;
      return tr;
    }),
  );
}

function drawJobs(active, failed, recent) {
  fill(
    'active-jobs',
    active.map((job) =>
      row(
        cell(jobLink(job)),
        cell(job.name),
        cell(`${job.attemptsMade}/${job.attempts}`),
        cell(progressOf(job)),
        cell(when(job.startedAt)),
      ),
    ),
  );
  fill(
    'failed-jobs',
    failed.map((job) => {
      const actions = document.createElement('span');
      const retry = button('Retry', () => act(`/jobs/${encodeURIComponent(job.id)}/retry`, 'POST'));
      retry.className = 'retry';
      const remove = button('Remove', () => act(`/jobs/${encodeURIComponent(job.id)}`, 'DELETE'));
      actions.append(retry, ' ', remove);
      const tr = row(
        cell(jobLink(job)),
        cell(job.name),
        cell(`${job.attemptsMade}/${job.attempts}`),
        cell(job.error, 'error-cell'),
        cell(when(job.finishedAt)),
        cell(actions),
      );
      tr.dataset.jobId = job.id;
      return tr;
    }),
  );
  fill(
    'recent-jobs',
    recent.map((job) => {
      const tr = row(
        cell(jobLink(job)),
        cell(job.name),
        cell(job.state),
        cell(when(job.createdAt)),
        cell(
          job.state === 'active'
            ? ''
            : button('Remove', () => act(`/jobs/${encodeURIComponent(job.id)}`, 'DELETE')),
        ),
      );
      tr.dataset.jobId = job.id;
      tr.dataset.state = job.state;
      return tr;
    }),
  );
}

async function showJob(id) {
  try {
    const job = await api(`/jobs/${encodeURIComponent(id)}`);
    $('#job-title').textContent = `${job.name} ${job.id}`;
    const fields = [
      ['state', job.state],
      ['attempts', `${job.attemptsMade}/${job.attempts}`],
      ['created', when(job.createdAt)],
      ['started', when(job.startedAt)],
      ['finished', when(job.finishedAt)],
      ['progress', job.progress === undefined ? '' : JSON.stringify(job.progress)],
    ];
    $('#job-fields').replaceChildren(
      ...fields.flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
    $('#job-payload').textContent = JSON.stringify(job.payload, null, 2);
    $('#job-result').textContent =
      job.result === undefined ? '' : JSON.stringify(job.result, null, 2);
    $('#job-stack').textContent = job.stack || job.error || '';
    $('#job-dialog').showModal();
  } catch (error) {
    handleError(error);
  }
}

async function refresh() {
  clearTimeout(refreshTimer);
  const [overview, active, failed, recent] = await Promise.all([
    api('/overview'),
    api('/jobs?state=active&limit=100'),
    api('/jobs?state=failed&limit=100'),
    api('/jobs?limit=30'),
  ]);
  drawQueues(overview);
  drawJobs(active.jobs, failed.jobs, recent.jobs);
  $('#board-error').textContent = '';
  document.body.dataset.loaded = 'true';
  refreshTimer = setTimeout(() => refresh().catch(handleError), 2000);
}

function handleError(error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(error.status === 403 ? 'This account does not have the admin scope.' : '');
    return;
  }
  $('#board-error').textContent = error.message;
}

function showBoard() {
  $('#sign-in').hidden = true;
  $('#board').hidden = false;
  $('#refresh').hidden = false;
  $('#sign-out').hidden = false;
  refresh().catch(handleError);
}

function showSignIn(message = '') {
  clearTimeout(refreshTimer);
  $('#board').hidden = true;
  $('#refresh').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  $('#sign-in-error').textContent = message;
}

async function buildLoginForm() {
  const { login } = await fetch(`${API}/login`).then((response) => response.json());
  const form = $('#login-form');
  if (!login) {
    form.hidden = true;
    return;
  }
  for (const field of login.fields) {
    const label = document.createElement('label');
    label.textContent = field.name;
    const input = document.createElement('input');
    input.name = field.name;
    input.required = true;
    input.type = field.secret ? 'password' : field.name === 'email' ? 'email' : 'text';
    label.append(input);
    form.append(label);
  }
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = 'Sign in';
  form.append(submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(new FormData(form));
    const response = await fetch(login.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    const issued = answer.access_token || answer.token;
    if (!response.ok || !issued) {
      $('#sign-in-error').textContent = answer.detail || answer.message || 'Sign-in failed.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, issued);
    showBoard();
  });
}

$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, new FormData(event.target).get('token').trim());
  showBoard();
});
$('#refresh').addEventListener('click', () => refresh().catch(handleError));
$('#sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn();
});

await buildLoginForm();
if (token()) showBoard();
else showSignIn();

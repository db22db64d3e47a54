// @ts-check
// Register and edit a webhook (POST /webhooks, PUT /webhooks/:id). The API is the judge of every
// value: its refusals are shown at the field they name. The secret is write-only: an edit shows
// that one is set, never what it is, and keeps it unless a new one is typed.
import { ApiError, describeError, get, request } from '../api.js';
import { fill, h } from '../dom.js';
import { href, navigate } from '../router.js';
import { adminOnlyNotice, isForbidden } from '../ui/admin-only.js';
import { formAlert } from '../ui/form-alert.js';
import { errorBox, loading, pageHeader } from '../ui/page.js';
import { toast } from '../ui/toast.js';

/** @typedef {import('../api-types.js').Webhook} Webhook */

/** The events the API accepts (src/domain/webhook.ts WEBHOOK_EVENTS), with what each means. */
export const WEBHOOK_EVENTS = [
  ['task.failed', 'A task’s status becomes FAILED'],
  ['task.rwe', 'A connect runs with errors (RWE)'],
  ['task.lost', 'A task’s connector or job is gone from its engine (LOST)'],
  ['autorestart.gave_up', 'Auto-restart made its last attempt and the failure stayed'],
  ['operation.failed', 'An operation on a task failed'],
  ['streamback.finished', 'A batch transform’s result was streamed back'],
];

const FORMATS = [
  ['generic', 'Generic JSON'],
  ['slack', 'Slack-compatible ({"text": …})'],
];

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 * @param {{ help?: string, required?: boolean, wide?: boolean }} [more]
 */
function field(id, label, control, { help, required, wide } = {}) {
  return h(
    `div.field${wide ? '.wide' : ''}`,
    { 'data-field': id },
    h('label', { for: `wh-${id}` }, label, required ? h('span.req', { title: 'required' }, ' *') : null),
    control,
    help ? h('div.help', { id: `wh-${id}-help` }, help) : null,
    h('div.field-error', { id: `wh-${id}-error`, role: 'alert', 'data-testid': `error-${id}` }),
  );
}

/** @type {import('../router.js').Render} */
export async function render(view, { params }) {
  const editing = params.id !== undefined;
  view.append(
    pageHeader({
      title: editing ? `Edit webhook ${params.id}` : 'New webhook',
      crumbs: [
        ['Webhooks', ['webhooks']],
        ...(editing ? /** @type {[string, string[]][]} */ ([[params.id, ['webhooks', params.id]]]) : []),
        [editing ? 'Edit' : 'New'],
      ],
    }),
  );
  const body = h('div', loading());
  view.append(body);

  /** @type {Webhook | undefined} */
  let hook;
  try {
    // Reading the list first also tells a viewer, before they type anything, that this is admin only.
    if (editing) hook = /** @type {Webhook} */ ((await get(`/webhooks/${encodeURIComponent(params.id)}`)).data);
    else await get('/webhooks', { _start: 0, _end: 1 });
  } catch (error) {
    fill(body, isForbidden(error) ? adminOnlyNotice('Webhook settings need') : errorBox(describeError(error)));
    return;
  }

  const url = h('input#wh-url', {
    type: 'url',
    value: hook?.url ?? '',
    placeholder: 'https://hooks.example.com/datafibers',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'wh-url-help wh-url-error',
    'data-testid': 'field-url',
  });
  const chosen = new Set(hook?.events ?? ['task.failed', 'task.lost', 'operation.failed']);
  const eventBoxes = WEBHOOK_EVENTS.map(([name, meaning]) => {
    const box = h('input', {
      type: 'checkbox',
      id: `wh-event-${name}`,
      value: name,
      checked: chosen.has(name),
      'data-testid': `event-${name}`,
    });
    return h(
      'div.check-option',
      box,
      h('label', { for: `wh-event-${name}` }, h('code', name), h('span.muted', ` ${meaning}`)),
    );
  });
  const events = h(
    'fieldset.events',
    { id: 'wh-events', 'aria-describedby': 'wh-events-error', 'data-testid': 'field-events' },
    h('legend.visually-hidden', 'Events'),
    eventBoxes,
  );
  const format = h(
    'select#wh-format',
    { 'data-testid': 'field-format' },
    FORMATS.map(([value, label]) => h('option', { value }, label)),
  );
  format.value = hook?.format ?? 'generic';
  const secret = h('input#wh-secret', {
    type: 'password',
    autocomplete: 'new-password',
    spellcheck: 'false',
    placeholder: hook ? `${hook.secret} (set; leave empty to keep it)` : '16 characters or more',
    'aria-describedby': 'wh-secret-help wh-secret-error',
    'data-testid': 'field-secret',
  });
  const enabled = h('input#wh-enabled', {
    type: 'checkbox',
    checked: hook?.enabled ?? true,
    'data-testid': 'field-enabled',
  });
  const formError = formAlert();
  const submit = h(
    'button.btn.primary',
    { type: 'submit', 'data-testid': 'webhook-save' },
    editing ? 'Save webhook' : 'Add webhook',
  );
  const form = h(
    'form.form',
    { novalidate: true, 'data-testid': 'webhook-form' },
    h(
      'fieldset.group',
      h('legend', 'Where and what'),
      h(
        'div.fields',
        field('url', 'URL', url, {
          required: true,
          help: 'DF POSTs each event here. The hosts allowed are those DF_WEBHOOK_HOSTS lists.',
        }),
        field('events', 'Events', events, { required: true, wide: true }),
        field('format', 'Payload format', format),
        field('secret', 'Secret', secret, {
          required: !editing,
          help: 'Signs every body (X-DF-Signature: sha256=HMAC). Write-only: DF never shows it again.',
        }),
        h(
          'div.field',
          h('div.check-option', enabled, h('label', { for: 'wh-enabled' }, 'Enabled: deliver events to it')),
        ),
      ),
    ),
    formError.el,
    h(
      'div.form-actions',
      submit,
      h('span.spacer'),
      h('a.btn.ghost', { href: href(editing ? ['webhooks', params.id] : ['webhooks']) }, 'Cancel'),
    ),
  );

  function clearErrors() {
    formError.hide();
    for (const slot of form.querySelectorAll('.field-error')) slot.replaceChildren();
    for (const f of form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
  }

  /**
   * Each message at its field (`events.2` is the events'); what no field shows goes in the box.
   * @param {Record<string, string[]>} fields
   * @returns {string[]}
   */
  function showFieldErrors(fields) {
    /** @type {string[]} */
    const leftover = [];
    for (const [key, messages] of Object.entries(fields)) {
      const name = key.split('.')[0];
      const slot = form.querySelector(`#wh-${CSS.escape(name)}-error`);
      if (slot) {
        slot.append(...messages.map((m) => h('span', m)));
        slot.closest('.field')?.classList.add('invalid');
      } else leftover.push(`${key}: ${messages.join(' ')}`);
    }
    return leftover;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    submit.disabled = true;
    const payload = {
      url: url.value.trim(),
      events: eventBoxes
        .map((row) => /** @type {HTMLInputElement} */ (row.querySelector('input')))
        .filter((box) => box.checked)
        .map((box) => box.value),
      format: format.value,
      enabled: enabled.checked,
      // Left empty on an edit, the secret is not sent: the API keeps the one it has.
      ...(secret.value !== '' || !editing ? { secret: secret.value } : {}),
    };
    try {
      const res = editing
        ? await request('PUT', `/webhooks/${encodeURIComponent(params.id)}`, { body: { id: params.id, ...payload } })
        : await request('POST', '/webhooks', { body: payload });
      const saved = /** @type {Webhook} */ (res.data);
      toast({ kind: 'success', title: editing ? 'Webhook saved' : 'Webhook added', message: saved.url });
      navigate(['webhooks', saved.id]);
    } catch (error) {
      const leftover = error instanceof ApiError ? showFieldErrors(error.fields) : [];
      formError.show(describeError(error), leftover);
    } finally {
      submit.disabled = false;
    }
  });
  fill(body, form);
  url.focus();
}

// @ts-check
// Deployment settings the console starts from (GET /api/console-config) and the Temporal UI links
// built from them, so every operation can be followed to its workflow run.
/** @typedef {{ temporalUiUrl: string, namespace: string, authRequired: boolean }} ConsoleSettings */

/** @type {ConsoleSettings} */
let settings = { temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'default', authRequired: false };

export async function loadSettings() {
  try {
    const res = await fetch('/api/console-config', { headers: { Accept: 'application/json' } });
    if (res.ok) settings = { ...settings, ...(await res.json()) };
  } catch {
    // The defaults above fit the local stack; the console still works without the links being right.
  }
  return settings;
}

export const getSettings = () => settings;

const base = () => `${settings.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(settings.namespace)}`;

/**
 * One run's event history in the Temporal UI.
 * @param {string} workflowId
 * @param {string} [runId]
 */
export function temporalRunUrl(workflowId, runId) {
  return `${base()}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}/history` : ''}`;
}

/**
 * Every run that touched a task (search attribute DfTaskId).
 * @param {string} taskId
 */
export function temporalTaskRunsUrl(taskId) {
  return `${base()}/workflows?query=${encodeURIComponent(`DfTaskId="${taskId}"`)}`;
}

export function temporalHomeUrl() {
  return `${base()}/workflows`;
}

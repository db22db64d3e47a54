import { z } from 'zod';
import { hostProblem, type ReachPolicy } from './reach-policy';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS } from './webhook';

/** What a webhook's registration and replacement take, validated at the API's edge. */

const MIN_SECRET = 16;

const url = z
  .string({ error: 'expected an http:// or https:// URL' })
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL');

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `expected events among ${WEBHOOK_EVENTS.join(', ')}` }), {
    error: 'expected an array of event names',
  })
  .min(1, `expected at least one of ${WEBHOOK_EVENTS.join(', ')}`)
  .transform((list) => [...new Set(list)]);

const format = z.enum(WEBHOOK_FORMATS, { error: `expected one of ${WEBHOOK_FORMATS.join(', ')}` });

const secret = z
  .string({ error: 'expected a string' })
  .min(MIN_SECRET, `at least ${MIN_SECRET} characters`)
  .max(500, 'at most 500 characters');

/** POST /webhooks. */
export const webhookAddBody = z
  .object({
    url,
    events,
    format: format.default('generic'),
    secret,
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict()
  .meta({ id: 'WebhookAdd' });
export type WebhookAddInput = z.output<typeof webhookAddBody>;

/** PUT /webhooks/:id: every field but the secret, which stays as it is when left out (or sent as the mask). */
export const webhookReplaceBody = z
  .object({
    id: z.string().optional(),
    url,
    events,
    format: format.default('generic'),
    secret: secret.optional(),
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict()
  .meta({ id: 'WebhookReplace' });
export type WebhookReplaceInput = z.output<typeof webhookReplaceBody>;

/** The env var that lets webhooks reach more hosts: a refusal names it. */
export const WEBHOOK_HOSTS_SETTING = 'DF_WEBHOOK_HOSTS';

/** Why DF may not call this URL under the webhook host list, or undefined when it may. */
export function webhookUrlProblem(value: string, hosts: ReachPolicy['hosts']): string | undefined {
  const problem = hostProblem(value, { hosts });
  return problem ? `${problem}; ${WEBHOOK_HOSTS_SETTING} would allow it` : undefined;
}

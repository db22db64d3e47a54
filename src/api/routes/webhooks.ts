import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { DfError } from '../../domain/errors';
import { SECRET_MASK } from '../../domain/secrets';
import { DEFAULT_PAGE_SIZE } from '../../domain/task-query';
import { parseOrThrow, validationError } from '../../domain/validation';
import { webhookAddBody, webhookReplaceBody, webhookUrlProblem } from '../../domain/webhook-input';
import type { WebhookView } from '../../domain/webhook';
import {
  WEBHOOK_DELIVERY_ROW_SHAPE,
  type WebhookDeliveryRepository,
} from '../../repository/webhook-delivery-repository';
import { WEBHOOK_ROW_SHAPE, type WebhookRepository } from '../../repository/webhook-repository';
import { parsePageQuery, rowsAnswer } from '../list-protocol';
import { jsonObjectBody, requireSameId } from '../request-body';

const WEBHOOK_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** What DELETE /webhooks/:id answers. */
export interface WebhookDeleted {
  id: string;
  deleted: true;
}

/**
 * /webhooks: the webhooks DF tells of failures, and each one's delivery log. Admin only, reads as
 * well (auth.ts): a webhook's URL can itself be a credential (Slack's are). The secret is write-only.
 */
export function webhookRoutes({
  webhooks,
  webhookDeliveries,
  webhookHosts,
}: {
  webhooks: WebhookRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  /** DF_WEBHOOK_HOSTS: the hosts a webhook URL may name. */
  webhookHosts: readonly string[];
}) {
  const checkUrl = (url: string): void => {
    const problem = webhookUrlProblem(url, webhookHosts);
    if (problem) throw validationError(`invalid webhook: url: ${problem}`, { url: [problem] });
  };
  const idOf = (c: Context): string => {
    const id = c.req.param('id') ?? '';
    if (!WEBHOOK_ID.test(id))
      throw validationError('invalid webhook id', { id: ['expected 1 to 100 letters, digits, "_", "-" or "."'] });
    return id;
  };
  const notFound = (id: string) => new DfError('NOT_FOUND', `no webhook with id ${id}`, { details: { id } });
  const required = async (id: string): Promise<WebhookView> => {
    const hook = await webhooks.get(id);
    if (!hook) throw notFound(id);
    return hook;
  };

  return new Hono()
    .get('/webhooks', async (c) => {
      const answer = rowsAnswer<WebhookView>(c, {
        shape: WEBHOOK_ROW_SHAPE,
        searchable: ['id', 'url', 'format'],
        defaultSort: 'id',
      });
      return answer(await webhooks.all());
    })
    .post('/webhooks', async (c) => {
      const input = parseOrThrow(webhookAddBody, await jsonObjectBody(c), 'webhook');
      checkUrl(input.url);
      const hook = await webhooks.insert(`wh-${randomUUID().replace(/-/g, '').slice(0, 16)}`, input, new Date());
      return c.json(hook, 201);
    })
    .get('/webhooks/:id', async (c) => c.json(await required(idOf(c))))
    .put('/webhooks/:id', async (c) => {
      const id = idOf(c);
      const body = await jsonObjectBody(c);
      requireSameId(body, id);
      // The mask a read answered stands for the secret as it is.
      const { secret, ...rest } = body;
      const input = parseOrThrow(
        webhookReplaceBody,
        secret === SECRET_MASK ? rest : { ...rest, ...(secret !== undefined ? { secret } : {}) },
        'webhook',
      );
      checkUrl(input.url);
      const hook = await webhooks.replace(id, input, new Date());
      if (!hook) throw notFound(id);
      return c.json(hook);
    })
    .delete('/webhooks/:id', async (c) => {
      const id = idOf(c);
      if (!(await webhooks.remove(id))) throw notFound(id);
      // Deliveries under way find the webhook gone and stop; the log goes with it.
      await webhookDeliveries.removeOf(id);
      return c.json({ id, deleted: true } satisfies WebhookDeleted);
    })
    .get('/webhooks/:id/deliveries', async (c) => {
      const id = idOf(c);
      const page = parsePageQuery(c.req.queries(), DEFAULT_PAGE_SIZE, WEBHOOK_DELIVERY_ROW_SHAPE);
      await required(id);
      const rows = await webhookDeliveries.list(id, page.skip, page.limit, page.order, page.sort);
      c.header('X-Total-Count', String(rows.total));
      return c.json(rows.items);
    });
}

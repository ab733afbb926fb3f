/**
 * Renewing one service (hosting or mail) from the portfolio: its Renew form (years, no default)
 * → a confirmation of what will be renewed, for how long and at what quoted price, carrying a
 * one-time id → one intent through `requestRenewal`, the engine every door uses, then the
 * renewal's own page. The idempotency key is derived from (that id, the item key), so a double
 * submit or a reload of the confirmation joins the renewal the first submit recorded.
 *
 * A certificate is not renewed here: its renewal needs a PEM CSR, which only the API and the
 * billing webhook take. A refusal (bad input, a renewal in progress, the cooldown) is the
 * dashboard's error page with the API's status, from routes.tsx's one mapping.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { accountNameSchema } from '../core/account-names';
import { GatewayError, invalidRequest } from '../core/errors';
import { type ItemRef, itemKey } from '../core/items';
import { SERVICE_KINDS } from '../core/model';
import { checkRenewalAsk, type EngineContext, requestRenewal } from '../core/renewals';
import { getInventoryService, type InventoryService } from '../core/services';
import { bulkKey, requireBatch } from './bulk-renew';
import { priceText } from './item-format';
import { type Frame, Page } from './layout';
import { invalidInput } from './renewals-query';
import { SERVICE_CONFIRM_PATH } from './services-section';
import { CSRF_FIELD, type DashboardBindings, requireFormToken, requireSession } from './session';

const SERVICE_SUBMIT_PATH = '/app/services/renew/submit';

/** The Renew form's fields. `years` is required: a renewal spends money, so it has no default. */
const ServiceRenewForm = z.object({
  account: accountNameSchema,
  kind: z.enum(SERVICE_KINDS),
  id: z.string().trim().min(1, 'required').max(253),
  years: z
    .string({ error: 'required: how many years to renew' })
    .trim()
    .regex(/^\d{1,2}$/, 'a whole number of years from 1 to 10')
    .transform(Number),
});

interface ServiceAsk {
  account: string;
  item: ItemRef & { kind: (typeof SERVICE_KINDS)[number] };
  years: number;
}

/** The form checked as the API checks a renewal (checkRenewalAsk), a certificate refused with why. */
function serviceAskOf(body: Record<string, unknown>): ServiceAsk {
  const parsed = ServiceRenewForm.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { account, kind, id, years } = parsed.data;
  if (kind === 'certificate') {
    throw invalidRequest(
      'a certificate renewal needs a CSR: renew it through the API (POST /v1/services/{account}/certificate/{id}/renew)',
      [{ field: 'kind', reason: 'certificates renew through the API' }],
    );
  }
  const checked = checkRenewalAsk({ kind, domain: id, years, account });
  return { account, item: { kind, id: checked.item.id }, years: checked.years };
}

async function heldService(db: D1Database, ask: ServiceAsk): Promise<InventoryService> {
  const service = await getInventoryService(db, ask.account, ask.item.kind, ask.item.id);
  if (!service || service.vanishedAt) {
    throw new GatewayError('not_found', {
      message: `no ${ask.item.kind} ${ask.item.id} at account ${ask.account} in the inventory`,
    });
  }
  return service;
}

function Fact({ label, children }: { label: string; children: unknown }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function ServiceConfirmPage({
  frame,
  batch,
  service,
  years,
}: {
  frame: Frame;
  batch: string;
  service: InventoryService;
  years: number;
}) {
  const { t, session } = frame;
  return (
    <Page frame={frame} title={t('confirmServiceTitle')}>
      <h1>{t('confirmServiceTitle')}</h1>
      <p>{t('confirmServiceHelp')}</p>
      <dl class="facts" id="service-confirm">
        <Fact label={t('kind')}>{service.kind}</Fact>
        <Fact label={t('service')}>
          {service.name === service.id ? service.id : `${service.id} (${service.name})`}
        </Fact>
        <Fact label={t('account')}>{`${service.account} (${service.provider})`}</Fact>
        <Fact label={t('expiry')}>{service.expiresAt ? service.expiresAt.slice(0, 10) : t('unknown')}</Fact>
        <Fact label={t('years')}>{years}</Fact>
        <Fact label={t('renewalPrice1y')}>
          {service.renewalPrice ? priceText(service.renewalPrice, t) : t('priceUnknown')}
        </Fact>
      </dl>
      <form method="post" action={SERVICE_SUBMIT_PATH}>
        <input type="hidden" name={CSRF_FIELD} value={session?.csrfToken ?? ''} />
        <input type="hidden" name="batch" value={batch} />
        <input type="hidden" name="account" value={service.account} />
        <input type="hidden" name="kind" value={service.kind} />
        <input type="hidden" name="id" value={service.id} />
        <input type="hidden" name="years" value={String(years)} />
        <button type="submit" class="primary">
          {t('confirmRenewal')}
        </button>{' '}
        <a href="/app">{t('backToPortfolio')}</a>
      </form>
    </Page>
  );
}

function engineOf(c: Context<DashboardBindings>): EngineContext {
  return { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') };
}

export function registerServiceRenewal(
  app: Hono<DashboardBindings>,
  frameOf: (c: Context<DashboardBindings>) => Frame,
) {
  app.post(
    SERVICE_CONFIRM_PATH.slice('/app'.length),
    requireSession('renew'),
    requireFormToken(),
    async (c) => {
      const ask = serviceAskOf(await c.req.parseBody());
      const service = await heldService(c.env.DB, ask);
      // A new one-time id per confirmation page: the renewal it becomes is keyed by it.
      const batch = crypto.randomUUID().replace(/-/g, '');
      return c.html(
        <ServiceConfirmPage frame={frameOf(c)} batch={batch} service={service} years={ask.years} />,
      );
    },
  );

  app.post(
    SERVICE_SUBMIT_PATH.slice('/app'.length),
    requireSession('renew'),
    requireFormToken(),
    async (c) => {
      const body = await c.req.parseBody();
      const batch = requireBatch(body);
      const ask = serviceAskOf(body);
      await heldService(c.env.DB, ask);
      const { renewal } = await requestRenewal(engineOf(c), {
        kind: ask.item.kind,
        domain: ask.item.id,
        account: ask.account,
        years: ask.years,
        idempotencyKey: await bulkKey(batch, itemKey(ask.item)),
        source: 'dashboard',
        actor: c.get('session')!.principal.name,
      });
      return c.redirect(`/app/renewals/${renewal.id}`, 303);
    },
  );
}

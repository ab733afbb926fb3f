/**
 * The REST API v1: bearer auth and the per-key rate limit for every route, then each area's
 * routes. `/v1/renewals` is reserved for the renewal engine's routes: mount them here with one
 * `v1.route('/', …)` line so they share the auth, the rate limit and the `bearerAuth` scheme.
 */

import { apiAuth } from '../auth';
import { limitBody } from '../body-limit';
import { deepHealthRoutes } from '../health';
import { rateLimit } from '../rate-limit';
import { accountsRoutes } from './accounts';
import { apiKeysRoutes } from './api-keys';
import { availabilityRoutes } from './availability';
import { API_MAX_BODY_BYTES } from './common';
import { domainsRoutes } from './domains';
import { pricesRoutes } from './prices';
import { renewalRoutes } from './renewals';
import { BEARER_SCHEME, newRoutes } from './scoped-routes';
import { servicesRoutes } from './services';
import { syncRoutes } from './sync';

export function v1Routes() {
  const v1 = newRoutes();
  v1.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: ADMIN_API_KEY, or one created with POST /v1/api-keys',
  });
  v1.use('*', apiAuth(), rateLimit(), limitBody(API_MAX_BODY_BYTES));
  v1.route('/', deepHealthRoutes());
  v1.route('/', accountsRoutes());
  v1.route('/', availabilityRoutes());
  v1.route('/', domainsRoutes());
  v1.route('/', pricesRoutes());
  v1.route('/', syncRoutes());
  v1.route('/', apiKeysRoutes());
  v1.route('/', renewalRoutes());
  v1.route('/', servicesRoutes());
  return v1;
}

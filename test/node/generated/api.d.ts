// Generated from /openapi.json by test/node/api-stack.test.ts (UPDATE_API_TYPES=1 to refresh).
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness and configuration (no registrar is called); `?deep=1` is GET /v1/health */
    get: {
      parameters: {
        query?: {
          /** @description `1`: the deep check of `GET /v1/health` (needs an API key with the `read` scope); otherwise liveness only */
          deep?: '0' | '1' | 'false' | 'true';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Liveness, or with `deep=1` the health of every account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Liveness'] | components['schemas']['DeepHealth'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Whether each registrar account’s credentials work (checked at most once a minute)
     * @description Each account is pinged at most once per 60 s, whoever asks; concurrent requests share one ping. The ping waits at the account gate behind every renewal and query, and only briefly: an account busy with real calls answers `busy` instead.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Health of every account */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DeepHealth'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Configured registrar accounts with capabilities and health */
    get: {
      parameters: {
        query?: {
          /** @description The cached credential check of GET /v1/health (at most a minute old); `false` skips it */
          health?: 'true' | 'false';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Accounts */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              accounts: components['schemas']['Account'][];
            };
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/accounts/{account}/balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's balance at its registrar */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          account: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Balance */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Balance'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/availability': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Check whether names can be registered */
    get: {
      parameters: {
        query: {
          /** @description Repeat for each name (at most 1000) */
          domain: string[];
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
          /** @description Ask for prices where the registrar gives them in the same call */
          prices?: 'true' | 'false';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One result per distinct name: JSON in input order, or NDJSON (one result per line, as they arrive) when the request accepts application/x-ndjson */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AvailabilityReply'];
            'application/x-ndjson': components['schemas']['AvailabilityResult'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Check up to 1000 names given as a JSON list */
    post: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['AvailabilityRequest'];
        };
      };
      responses: {
        /** @description One result per distinct name: JSON in input order, or NDJSON (one result per line, as they arrive) when the request accepts application/x-ndjson */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['AvailabilityReply'];
            'application/x-ndjson': components['schemas']['AvailabilityResult'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The domain inventory (from the last sync), cursor-paged */
    get: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
          /** @description Only domains expiring within this many days (already expired included) */
          expiringWithin?: string;
          status?: components['schemas']['DomainStatus'];
          /** @description `nextCursor` of the previous page */
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description One page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['InventoryPage'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains/{domain}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live information from the registrar account that holds the domain
     * @description Without `account`, the holder is found through the inventory; 404 when no account holds it.
     */
    get: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path: {
          /** @description Domain name (Unicode or A-label; normalized) */
          domain: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Domain */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['DomainInfo'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    /** Import a domain into the inventory after checking that the account holds it */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Domain name (Unicode or A-label; normalized) */
          domain: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            account: string;
          };
        };
      };
      responses: {
        /** @description Already in the inventory (refreshed) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['InventoryDomain'];
          };
        };
        /** @description Added to the inventory */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['InventoryDomain'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains/{domain}/nameservers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace the nameservers (where the registrar supports it) */
    put: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path: {
          /** @description Domain name (Unicode or A-label; normalized) */
          domain: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /**
             * @example [
             *       "ns1.example.net",
             *       "ns2.example.net"
             *     ]
             */
            nameservers: string[];
          };
        };
      };
      responses: {
        /** @description Nameservers set */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              domain: string;
              account: string;
              nameservers: string[];
            };
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains/{domain}/lock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Lock or unlock the domain against transfers (where the registrar supports it) */
    put: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path: {
          /** @description Domain name (Unicode or A-label; normalized) */
          domain: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            locked: boolean;
          };
        };
      };
      responses: {
        /** @description Lock set */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              domain: string;
              account: string;
              locked: boolean;
            };
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains/{domain}/auto-renew': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Turn the registrar's own auto-renewal on or off (where supported) */
    put: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path: {
          /** @description Domain name (Unicode or A-label; normalized) */
          domain: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            enabled: boolean;
          };
        };
      };
      responses: {
        /** @description Auto-renew set */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              domain: string;
              account: string;
              autoRenew: boolean;
            };
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/prices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every configured account's price for one TLD side by side, cheapest first */
    get: {
      parameters: {
        query: {
          tld: string;
          operation?: 'register' | 'renew' | 'transfer' | 'restore';
          years?: number;
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Prices */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['PriceComparison'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refresh the domain inventory from the registrars now */
    post: {
      parameters: {
        query?: {
          /** @description A configured registrar account’s name (see GET /v1/accounts) */
          account?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Counts per account and in total */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['SyncResult'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List API keys (never the keys themselves) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Keys */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              keys: components['schemas']['ApiKey'][];
            };
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    /** Create an API key; the key itself is in this reply only */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @example billing-system */
            name: string;
            /**
             * @example [
             *       "read",
             *       "renew"
             *     ]
             */
            scopes: ('read' | 'renew' | 'admin')[];
            rateLimitPerMinute?: number;
          };
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['CreatedApiKey'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ApiKey'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such key */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/domains/{domain}/renew': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Renew a domain, exactly once per domain period
     * @description Records the intent (domain, expected current expiry, years) and queues it. The same Idempotency-Key, the same intent, or the same request while the domain has a renewal in progress returns that renewal. 409 (`code` says which, `renewalId` names the renewal; nothing is recorded): the same key with another body (`idempotency_key_reused`), a different request while a renewal of the domain is in progress (`renewal_in_progress`) or awaits an operator (`renewal_needs_attention`), or a request without `expectedExpiry` within RENEWAL_COOLDOWN_HOURS of a confirmed renewal of the domain (`recently_renewed`; send `force: true` or pin `expectedExpiry`). Poll GET /v1/renewals/{id} for the outcome.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Your key for this request; retries with it never renew twice */
          'idempotency-key'?: string;
        };
        path: {
          domain: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RenewRequest'];
        };
      };
      responses: {
        /** @description The renewal (new, or the existing one of this key or intent) */
        202: {
          headers: {
            location: string;
            'idempotent-replayed'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Renewal'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Refused, nothing recorded: `idempotency_key_reused`, `renewal_in_progress`, `renewal_needs_attention` or `recently_renewed` (see `code` and `renewalId`) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/renewals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One renewal, with its audit trail */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The renewal */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RenewalWithHistory'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such renewal */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/renewals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Renewals, newest first, filtered and paged */
    get: {
      parameters: {
        query?: {
          state?:
            | 'requested'
            | 'submitting'
            | 'pending'
            | 'outcome_unknown'
            | 'reconciling'
            | 'confirmed'
            | 'failed'
            | 'needs_attention';
          domain?: string;
          kind?: 'domain' | 'hosting' | 'mail' | 'certificate';
          source?: 'api' | 'webhook' | 'telegram' | 'dashboard' | 'system';
          account?: string;
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of renewals */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['RenewalPage'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/renewals/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Settle a renewal in needs_attention after checking the registrar (admin)
     * @description confirmed: the registrar did renew; failed: it did not (a new renew request may then try again). Audited with the key name and the note.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['RenewalResolution'];
        };
      };
      responses: {
        /** @description The resolved renewal */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Renewal'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such renewal */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The renewal is not in needs_attention */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/services': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The service inventory (hosting, mail, certificates), soonest expiry first
     * @description What the last sync (POST /v1/sync, hourly) and live reads found. 35.com has no listing command: its services come from the account’s <PREFIX>_SERVICES list, or enter when read once with GET /v1/services/{account}/{kind}/{id}.
     */
    get: {
      parameters: {
        query?: {
          account?: string;
          /** @description `hosting` (35.com vhost, MrDomain service), `mail` (35.com), `certificate` (MrDomain SSL) */
          kind?: components['schemas']['ServiceKind'];
          /** @description Only services expiring within this many days (already expired included) */
          expiringWithin?: string;
          includeVanished?: 'true' | 'false';
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page of services */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['ServicePage'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/services/{account}/{kind}/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One service, read live at the registrar (and recorded in the inventory) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          account: string;
          /** @description `hosting` (35.com vhost, MrDomain service), `mail` (35.com), `certificate` (MrDomain SSL) */
          kind: components['schemas']['ServiceKind'] & unknown;
          /** @description The registrar’s id of the service */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The service */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Service'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account, or the registrar has no such service at this account */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Conflict with the registrar state */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/services/{account}/{kind}/{id}/renew': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Renew a service, exactly once per service period
     * @description The same engine and rules as POST /v1/domains/{domain}/renew: one unfinished renewal per (account, kind, id), the cooldown, the Idempotency-Key, 409 with `code` and `renewalId` when refused (nothing recorded). Where the registrar has a price query that checks the request (35.com GetPrice), a renewal it would refuse — past its ten-year ceiling, a wrong current expiry — is a 400 with the registrar’s words, before anything is recorded. A certificate needs `certificate.csr`. Poll GET /v1/renewals/{id}.
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Your key for this request; retries with it never renew twice */
          'idempotency-key'?: string;
        };
        path: {
          account: string;
          /** @description `hosting` (35.com vhost, MrDomain service), `mail` (35.com), `certificate` (MrDomain SSL) */
          kind: components['schemas']['ServiceKind'] & unknown;
          /** @description The registrar’s id of the service */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': components['schemas']['ServiceRenewRequest'];
        };
      };
      responses: {
        /** @description The renewal (new, or the existing one of this key or intent) */
        202: {
          headers: {
            location: string;
            'idempotent-replayed'?: string;
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['Renewal'];
          };
        };
        /** @description Invalid request: `errors` names each field and the reason */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Missing or invalid API key */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Insufficient funds at the registrar */
        402: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The API key lacks the scope this route needs */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description No such account or domain */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Refused, nothing recorded: `idempotency_key_reused`, `renewal_in_progress`, `renewal_needs_attention`, `recently_renewed` or `no_expiry` (see `code` and `renewalId`) */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Body larger than 512 KiB (`code: body_too_large`) */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The body is not `application/json` (`code: unsupported_media_type`) */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Rate limit of this API key exceeded */
        429: {
          headers: {
            /** @description Seconds to wait */
            'retry-after': string;
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Internal error or misconfiguration */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar of this account does not support this operation */
        501: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description The registrar is unavailable or rate-limited us */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
        /** @description Outcome unknown: the registrar may or may not have acted */
        504: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': components['schemas']['Problem'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/billing/{source}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A billing system reports a paid renewal, or asks about a domain
     * @description Signed with Standard Webhooks (`standard`, `whmcs`) or Stripe-Signature (`stripe`); see docs/webhooks.md. Events: `domain.renew` → 202 with the renewal id; `domain.info`, `domain.check` → 200; others → 202 acknowledged. A repeated delivery id gets the first answer back (header `webhook-replayed: true`).
     */
    post: {
      parameters: {
        query?: never;
        header?: {
          'webhook-id'?: string;
          'webhook-timestamp'?: string;
          'webhook-signature'?: string;
          'stripe-signature'?: string;
        };
        path: {
          source: 'standard' | 'stripe' | 'whmcs';
        };
        cookie?: never;
      };
      requestBody?: {
        content: {
          'application/json': {
            /** @example domain.renew */
            type: string;
            timestamp?: string;
            /**
             * @example {
             *       "domain": "example.com",
             *       "years": 1,
             *       "expectedExpiry": "2027-03-01",
             *       "reference": "INV-1001-1"
             *     }
             */
            data: {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        /** @description `domain.info` / `domain.check` answer */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Renewal intent recorded (`domain.renew`), or an event acknowledged without action */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Missing or malformed signature headers, or a malformed event */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description Bad signature, or a timestamp more than 5 minutes away */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description Unknown or unconfigured source, or unknown account */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description The same reference with a different request, or the first copy still in progress */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description Body larger than 256 KiB */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description `domain.info`: the registrar could not be reached, replied unexpectedly, or refused the gateway's own credentials (`kind: authentication` with `provider`: the gateway's configuration, not this sender's signature) */
        502: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
        /** @description `domain.info`: the registrar is unavailable or rate-limited the gateway */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description The gateway answers; no registrar was called */
    Liveness: {
      /** @enum {string} */
      status: 'ok';
      version: string;
      accounts: components['schemas']['ConfiguredAccount'][];
    };
    ConfiguredAccount: {
      /** @example dynadot */
      account: string;
      /** @example dynadot */
      provider: string;
      /** @description All of the registrar’s credential variables are set */
      configured: boolean;
    };
    DeepHealth: {
      /**
       * @description `degraded` when an account answered `error`
       * @enum {string}
       */
      status: 'ok' | 'degraded';
      version: string;
      /** @description Answers are reused for this long */
      maxAgeSeconds: number;
      accounts: components['schemas']['AccountHealth'][];
    };
    AccountHealth: {
      /** @example dynadot */
      account: string;
      /** @example dynadot */
      provider: string;
      /**
       * @description `ok`: the credential check passed; `error`: it failed; `busy`: the account had no free slot for a background check, so none was sent; `not_checked`: the registrar has no cheap check, or it could not be run
       * @enum {string}
       */
      reachable: 'ok' | 'error' | 'busy' | 'not_checked';
      latencyMs?: number;
      error?: string;
      /** @description When this answer was known (ISO 8601) */
      checkedAt: string;
      /** @description How old the answer is: at most about 60 s */
      ageSeconds: number;
    };
    /** @description RFC 9457 problem details */
    Problem: {
      type: string;
      title: string;
      status: number;
      detail: string;
      /** @enum {string} */
      kind:
        | 'invalid_request'
        | 'authentication'
        | 'permission'
        | 'not_found'
        | 'conflict'
        | 'insufficient_funds'
        | 'rate_limited'
        | 'unsupported'
        | 'upstream_unavailable'
        | 'transport'
        | 'protocol'
        | 'outcome_unknown'
        | 'internal';
      provider?: string;
      operation?: string;
      upstreamCode?: string;
      requestId?: string;
      retryable?: boolean;
      errors?: {
        field: string;
        reason: string;
      }[];
      /** @description Why a request was refused where the kind alone does not say it, e.g. `renewal_in_progress`, `recently_renewed`, `idempotency_key_reused` */
      code?: string;
      /** @description The renewal the refusal is about */
      renewalId?: string;
    };
    Account: {
      /**
       * @description Account key, used as `account` elsewhere
       * @example dynadot
       */
      key: string;
      /** @example dynadot */
      provider: string;
      /** @example Dynadot */
      displayName: string;
      capabilities: (
        | 'checkAvailability'
        | 'getDomain'
        | 'listDomains'
        | 'renew'
        | 'getBalance'
        | 'getPrices'
        | 'getNameservers'
        | 'setNameservers'
        | 'setAutoRenew'
        | 'setLock'
        | 'getTransferStatus'
        | 'listServices'
        | 'getService'
        | 'renewService'
        | 'quoteServiceRenewal'
      )[];
      limits: {
        availabilityBatch: number;
        concurrency: number;
      };
      /** @description As in GET /v1/health: checked at most once a minute, shared by all callers */
      health: {
        /** @enum {string} */
        status: 'ok' | 'error' | 'busy' | 'not_checked';
        latencyMs?: number;
        error?: string;
        checkedAt?: string;
      };
    };
    Balance: {
      account: string;
      provider: string;
      available: components['schemas']['Money'];
      reserved?: components['schemas']['Money'];
    };
    /** @description A decimal amount as a string and an ISO 4217 currency */
    Money: {
      /** @example 10.99 */
      amount: string;
      /** @example USD */
      currency: string;
    };
    AvailabilityReply: {
      results: components['schemas']['AvailabilityResult'][];
    };
    AvailabilityResult: {
      /** @description Normalized name (or the input, when it is not a valid name) */
      domain: string;
      /** @description true: can be registered; false: taken (or reserved, pending…, see `detail`); null: unknown — no account could say, and `reason` says why. Never false for a name nobody could check */
      available: boolean | null;
      premium: boolean;
      price?: components['schemas']['Money'] & unknown;
      /** @description The account that answered yes or no: the first account, in the documented preference order, that sells the TLD */
      account?: string;
      /**
       * @description The registrar of `account` (several accounts may share one)
       * @example dynadot
       */
      provider?: string;
      /**
       * @description Set exactly when `available` is null. `invalid_name`: not a domain name (no registrar was asked); `unsupported_tld`: no configured registrar account sells this TLD; `check_failed`: the accounts that sell it failed for this name
       * @enum {string}
       */
      reason?: 'invalid_name' | 'unsupported_tld' | 'check_failed';
      /** @description For people: the registrar's words on a taken name, or why no account could say */
      detail?: string;
    };
    /**
     * @description A JSON array of names, or an object with `domains` and options
     * @example {
     *       "domains": [
     *         "example.com",
     *         "example.net"
     *       ]
     *     }
     */
    AvailabilityRequest:
      | string[]
      | {
          domains: string[];
          account?: string;
          /** @default true */
          prices: boolean;
        };
    InventoryPage: {
      items: components['schemas']['InventoryDomain'][];
      /** @description Pass as `cursor` for the next page */
      nextCursor?: string;
    };
    InventoryDomain: {
      domain: string;
      account: string;
      provider: string;
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      expiresAt?: string;
      status: components['schemas']['DomainStatus'][];
      autoRenew?: boolean;
      locked?: boolean;
      ref: components['schemas']['DomainRef'];
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      firstSeen: string;
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      lastSeen: string;
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      vanishedAt?: string;
    };
    /** @enum {string} */
    DomainStatus:
      | 'active'
      | 'expired'
      | 'grace'
      | 'redemption'
      | 'pending'
      | 'transfer_pending'
      | 'locked'
      | 'hold'
      | 'suspended'
      | 'deleted'
      | 'unknown';
    /** @description Registrar-specific identifiers (order id, instance id…) */
    DomainRef: {
      [key: string]: string;
    };
    DomainInfo: {
      domain: string;
      account: string;
      provider: string;
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      expiresAt: string;
      /**
       * Format: date-time
       * @example 2027-03-01T00:00:00.000Z
       */
      createdAt?: string;
      status: components['schemas']['DomainStatus'][];
      rawStatus: string[];
      autoRenew?: boolean;
      locked?: boolean;
      nameservers: string[];
      ref: components['schemas']['DomainRef'];
    };
    PriceComparison: {
      tld: string;
      /** @enum {string} */
      operation: 'register' | 'renew' | 'transfer' | 'restore';
      years: number;
      prices: components['schemas']['PriceQuote'][];
      /** @description True when the order is cheapest-first across all quotes (one currency, or all converted) */
      comparable: boolean;
      baseCurrency?: string;
      unavailable: {
        account: string;
        provider: string;
        kind: string;
        message: string;
      }[];
    };
    PriceQuote: {
      account: string;
      provider: string;
      tld: string;
      /** @enum {string} */
      operation: 'register' | 'renew' | 'transfer' | 'restore';
      years: number;
      price: components['schemas']['Money'];
      converted?: components['schemas']['Money'] & unknown;
    };
    SyncResult: {
      added: number;
      updated: number;
      vanished: number;
      accounts: components['schemas']['AccountSync'][];
    };
    AccountSync: {
      account: string;
      provider: string;
      /** @enum {string} */
      method: 'listDomains' | 'getDomain';
      added: number;
      updated: number;
      unchanged: number;
      vanished: number;
      error?: {
        kind: string;
        message: string;
      };
      /** @description The account's TLD list, read from its registration price list (availability asks only accounts that sell a name's TLD): how many TLDs, or why it was not refreshed (the previous list is kept). Absent when the registrar has no price list */
      tlds?: {
        count?: number;
        error?: {
          kind: string;
          message: string;
        };
      };
      /** @description The account's services (hosting, mail, certificates; GET /v1/services), listed beside its domains; absent when the registrar has none */
      services?: {
        added: number;
        updated: number;
        unchanged: number;
        vanished: number;
        error?: {
          kind: string;
          message: string;
        };
      };
    };
    CreatedApiKey: components['schemas']['ApiKey'] & {
      /** @description The bearer token; shown only now */
      key: string;
    };
    ApiKey: {
      id: string;
      name: string;
      scopes: ('read' | 'renew' | 'admin')[];
      createdAt: string;
      revokedAt?: string;
      lastUsedAt?: string;
      rateLimitPerMinute?: number;
    };
    Renewal: {
      /** @example rnw_3f2a9c0e6b1d4e7f8a9b0c1d2e3f4a5b */
      id: string;
      /**
       * @description The renewed item’s key: the domain name, or `<kind>:<id>` for a service
       * @example example.com
       */
      domain: string;
      /**
       * @description What was renewed
       * @example domain
       * @enum {string}
       */
      kind: 'domain' | 'hosting' | 'mail' | 'certificate';
      /** @description The item’s id at the account (the domain name for a domain) */
      item: string;
      account: string;
      provider: string;
      years: number;
      /**
       * @description Expected current expiry (UTC day)
       * @example 2027-03-01
       */
      expectedExpiry: string;
      /** @enum {string} */
      state:
        | 'requested'
        | 'submitting'
        | 'pending'
        | 'outcome_unknown'
        | 'reconciling'
        | 'confirmed'
        | 'failed'
        | 'needs_attention';
      reason?: string;
      newExpiry?: string;
      charged?: {
        /** @example 10.99 */
        amount: string;
        currency: string;
      };
      /** @enum {string} */
      source: 'api' | 'webhook' | 'telegram' | 'dashboard' | 'system';
      actor: string;
      idempotencyKey?: string;
      upstreamRef?: {
        [key: string]: string;
      };
      attempts: number;
      createdAt: string;
      updatedAt: string;
    };
    RenewRequest: {
      /**
       * @description Years to add (required)
       * @example 1
       */
      years: number;
      /** @description The expiry you believe is current (date or ISO timestamp); read from the registrar when omitted. Pinning it is explicit: it is never refused as `recently_renewed` */
      expectedExpiry?: string;
      /** @description Registrar account; found from the inventory when omitted */
      account?: string;
      /** @description Renew even though the domain was renewed within RENEWAL_COOLDOWN_HOURS (otherwise 409 `recently_renewed`). Never overrides a renewal still in progress */
      force?: boolean;
    };
    RenewalWithHistory: components['schemas']['Renewal'] & {
      history: components['schemas']['RenewalEvent'][];
    };
    RenewalEvent: {
      at: string;
      action: string;
      from?: string;
      to?: string;
      actor: string;
      source: string;
      detail?: {
        [key: string]: unknown;
      };
    };
    RenewalPage: {
      items: components['schemas']['Renewal'][];
      nextCursor?: string;
    };
    RenewalResolution: {
      /** @enum {string} */
      outcome: 'confirmed' | 'failed';
      note: string;
      /** Format: date-time */
      newExpiry?: string;
    };
    ServicePage: {
      items: components['schemas']['InventoryService'][];
      nextCursor?: string;
    };
    InventoryService: {
      account: string;
      kind: components['schemas']['ServiceKind'];
      /**
       * @description The registrar’s id: host name, mail domain, certificate id
       * @example weipeng1
       */
      id: string;
      /** @description What a person calls it (a certificate’s common name) */
      name: string;
      /** @description Absent while a certificate is being issued */
      expiresAt?: string;
      /** @enum {string} */
      status: 'active' | 'expired' | 'renewing' | 'pending' | 'suspended' | 'cancelled' | 'unknown';
      /** @description The registrar’s own status word */
      rawStatus: string;
      renewable?: boolean;
      /** @description 35.com flag and typeID; MrDomain product key or id */
      product?: string;
      renewalPrice?: components['schemas']['ServicePrice'];
      ref: components['schemas']['DomainRef'];
      provider: string;
      firstSeen: string;
      lastSeen: string;
      vanishedAt?: string;
    };
    /**
     * @description `hosting` (35.com vhost, MrDomain service), `mail` (35.com), `certificate` (MrDomain SSL)
     * @enum {string}
     */
    ServiceKind: 'hosting' | 'mail' | 'certificate';
    /** @description One year’s renewal, as the registrar quoted it */
    ServicePrice: {
      /** @example 138 */
      amount: string;
      /**
       * @description ISO 4217, or `POINTS` for a 35.com exclusive-sale mail paid in points
       * @example CNY
       */
      currency: string;
    };
    Service: {
      account: string;
      kind: components['schemas']['ServiceKind'];
      /**
       * @description The registrar’s id: host name, mail domain, certificate id
       * @example weipeng1
       */
      id: string;
      /** @description What a person calls it (a certificate’s common name) */
      name: string;
      /** @description Absent while a certificate is being issued */
      expiresAt?: string;
      /** @enum {string} */
      status: 'active' | 'expired' | 'renewing' | 'pending' | 'suspended' | 'cancelled' | 'unknown';
      /** @description The registrar’s own status word */
      rawStatus: string;
      renewable?: boolean;
      /** @description 35.com flag and typeID; MrDomain product key or id */
      product?: string;
      renewalPrice?: components['schemas']['ServicePrice'];
      ref: components['schemas']['DomainRef'];
      provider: string;
    };
    ServiceRenewRequest: {
      /**
       * @description Years to add (required)
       * @example 1
       */
      years: number;
      /** @description The expiry you believe is current (date or ISO timestamp); read from the registrar when omitted. Pinning it is explicit: it is never refused as `recently_renewed` */
      expectedExpiry?: string;
      /** @description Renew even though the service was renewed within RENEWAL_COOLDOWN_HOURS */
      force?: boolean;
      /** @description Required to renew a certificate, refused for any other kind */
      certificate?: {
        /** @description PEM certificate request (MrDomain `csrData`) */
        csr: string;
        /** @description MrDomain admin contact id; defaults to the account’s <PREFIX>_SSL_ADMIN_CONTACT_ID */
        adminContactId?: string;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

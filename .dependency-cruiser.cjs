/**
 * The layering of the gateway, checked by `npm run depcruise` (part of `npm test`).
 *
 * Layers, inside out:
 * - `src/core`: the domain model and the engine (inventory, renewals, webhooks' stores, audit).
 * - the provider contract: `src/providers/types.ts` (the Provider interface and the model it speaks),
 *   `define.ts` (how a provider declares its operations), `operation.ts` (each call declared a query,
 *   a change or a spend), `provider-config.ts` (how a registrar declares its variables), `http.ts` (the HTTP plumbing every HTTP registrar shares) and `bridge-relay.ts` (how that call travels through the bridge's fixed-IP relay; it signs with the bridge protocol of com35/). Core codes against this contract, never against a registrar.
 * - a provider: `src/providers/<registrar>/`, one registrar's codec, client and errors.
 * - the doors: `src/handlers` (REST API, billing webhooks), `src/bot` (Telegram) and `src/dashboard`
 *   (the operator's web pages at /app).
 * - composition: `src/index.ts` (the worker's entry), `src/providers/registry.ts` (the list of the
 *   five providers) and `src/env.ts` (the whole deployment's configuration). They may import
 *   anything: composing the layers is their job. env.ts counts as composition because parsing the
 *   configuration needs every provider's account schema (from the registry) and the bot's settings
 *   (bot/config.ts); core reads the parsed configuration through it and never the other way round.
 *   Core may name the registry's `ProviderKey` type, but only type-only: no registrar's code loads
 *   because core needs a key's name.
 *
 * Test files (`*.test.ts`) are exempt from the layer rules (not from the cycle rule): a provider's
 * test starts its simulator and a bridge on purpose.
 */
const TESTS = '\\.test\\.tsx?$';
const CONTRACT = '^src/providers/(types|define|operation|provider-config|http|bridge-relay)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-in-src',
      severity: 'error',
      comment:
        'An import cycle makes load order matter and hides which module depends on which. A cycle ' +
        'closed only by type-only imports is erased by the compiler and has no load order: allowed ' +
        "(Hono's bindings type and the middleware that fills it name each other that way).",
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-not-to-doors',
      severity: 'error',
      comment:
        'Core is called by the REST API, the webhooks and the bot; it never calls them. What a door ' +
        'must do after a core event is given to core (a callback, a port), not imported by it.',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/(handlers|bot|dashboard)/' },
    },
    {
      name: 'core-not-to-a-provider',
      severity: 'error',
      comment:
        'Core speaks to registrars through the provider contract (types/define/operation/provider-config/http) only; a ' +
        "registrar's own code is reached through the registry, at composition.",
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/providers/[^/]+/' },
    },
    {
      name: 'core-names-the-registry-by-type-only',
      severity: 'error',
      comment: 'Importing the registry at run time would load all five registrars into core.',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/providers/registry\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'provider-imports-core-and-contract-only',
      severity: 'error',
      comment:
        'A provider is one registrar: it builds on core and the provider contract, never on another ' +
        'registrar, the doors, the registry, the bridge or the simulators.',
      from: { path: '^src/providers/([^/]+)/', pathNot: TESTS },
      to: {
        path: '^(src|sim|scripts|test|bench)/',
        pathNot: [`^src/providers/$1/`, '^src/core/', CONTRACT],
      },
    },
    {
      name: 'simulators-share-no-provider-code',
      severity: 'error',
      comment:
        "A simulator plays the registrar from its documentation; reusing our provider's codec " +
        'would make a codec bug agree with itself. Type-only imports are fine (they vanish).',
      from: { path: '^sim/', pathNot: TESTS },
      to: { path: '^src/providers/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|sim|scripts|test|bench)/',
    // Type-only imports are kept (and marked `type-only`) instead of compiled away.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};

/**
 * Node-side code (tests of pure modules, scripts) imports src/env.ts for its config parsing; the
 * binding types in its `Env` are Workers globals that @types/node does not have. They are opaque
 * here on purpose: Node code must never use a binding.
 */
interface D1Database {
  readonly __workersBinding: 'D1Database';
}
interface Queue {
  readonly __workersBinding: 'Queue';
}
interface DurableObjectNamespace {
  readonly __workersBinding: 'DurableObjectNamespace';
}

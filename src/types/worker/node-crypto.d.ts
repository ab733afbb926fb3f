// workerd serves `node:crypto` under the `nodejs_compat` flag (wrangler.toml), but the worker's
// types (@cloudflare/workers-types) do not declare it. Only what the worker uses is declared here;
// Node code is checked against @types/node instead (tsconfig.node.json leaves this folder out).
declare module 'node:crypto' {
  interface Md5Hash {
    update(data: string, encoding: 'utf8'): Md5Hash;
    digest(encoding: 'hex'): string;
  }
  export function createHash(algorithm: 'md5'): Md5Hash;
}

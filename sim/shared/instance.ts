/**
 * What makes one simulator instance an account of its own. The local stack runs one instance per
 * simulated account (`ACCOUNTS` may list two accounts of one registrar); the registrar's default
 * account (named like it) keeps the simulator's documented seed, and every other account gets its
 * own credentials, its own domain names and its own balance, so that a request sent to the wrong
 * account is refused or finds nothing, and two accounts' balances never agree by chance.
 */

export interface SimInstance {
  /** The account this instance plays; undefined for the registrar's default account. */
  account?: string;
  /** A secret credential (key, password) of this instance. */
  credential(value: string): string;
  /** A numeric id (a LogicBoxes reseller id) of this instance. */
  numericId(value: string): string;
  /** A seeded domain's name in this instance. */
  domain(name: string): string;
  /** The seeded balance (a decimal amount) of this instance. */
  balance(amount: string): string;
}

/** The default account's instance: the simulator's seed as its registrar's document describes it. */
const DEFAULT_INSTANCE: SimInstance = {
  credential: (value) => value,
  numericId: (value) => value,
  domain: (name) => name,
  balance: (amount) => amount,
};

/** A small stable number from the account's name: ids and balances differ per account. */
function nameNumber(account: string): number {
  let n = 0;
  for (const char of account) n = (n * 31 + char.charCodeAt(0)) % 9_973;
  return n + 1;
}

/**
 * The instance playing `account` (undefined: the default account). Another account's domains are
 * the default seed's names under the account's name (`renew-me.net` → `dynadot-bulk-renew-me.net`),
 * its credentials carry the name, and its balance is the seed's times three plus a cent per
 * {@link nameNumber}, so no two accounts start equal.
 */
export function simInstance(account?: string): SimInstance {
  if (account === undefined) return DEFAULT_INSTANCE;
  const n = nameNumber(account);
  return {
    account,
    credential: (value) => `${value}-${account}`,
    numericId: (value) => String(Number(value) + n),
    domain: (name) => `${account}-${name}`,
    balance: (amount) => (Number(amount) * 3 + n / 100).toFixed(2),
  };
}

/** The words of a command, and the one check every door of the bot makes on a domain name. */
import { normalizeDomainName } from '../../core/domain-name';
import type { BotContext } from '../context';

export function args(ctx: BotContext): string[] {
  return String(ctx.match ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The normalized name, or undefined after telling the user why it is not one. */
export async function domainArg(ctx: BotContext, raw: string): Promise<string | undefined> {
  const r = normalizeDomainName(raw);
  if (r.ok) return r.name;
  await ctx.reply(ctx.t.invalidDomain(raw, ctx.t.domainProblem(r.problem)));
  return undefined;
}

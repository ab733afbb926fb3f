/**
 * The simulator's own reading of 35.com's checksums (the 35.com API user manual, "API 用户使用手册"
 * 2.7.4; § = its sections). Written from the manual, not shared with the gateway's codec, so a
 * mistake on either side shows up as a refused request or an unverifiable reply in the tests.
 *
 * Request: md5(clid + md5(password) + cltrid + <the command's formula>). Each formula below is
 * copied as the command's 命令格式 section prints it after that common prefix, and read by
 * `parseFormula`: a quoted literal, then `+`-joined parameter names. Two spellings the manual uses
 * are understood: `dns1`/`dns2` (the first and second `dns` param, §7.2.2.4.1) and a name followed
 * by `(如果有)` / `(如果存在)` ("if present", §7.2.4.4.1, §7.2.4.5.1), which counts only when sent.
 *
 * Reply: md5(clid + md5(password) + cltrid + svtrid + code + msg + value) (§7.1.3.1, §8.5).
 * "MD5 需 32 位, 小写" (§7.1.3.5): 32 lowercase hex characters, over the UTF-8 bytes.
 */
import { createHash } from 'node:crypto';

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Each command's formula after `clid + md5(password) + cltrid`, as printed (section in comments). */
const PRINTED_FORMULAS: Readonly<Record<string, string>> = {
  'client/Login': '"login"', // §7.1.3.1
  'client/Logout': '"logout"', // §7.1.6.1
  'domain/CheckDomain': '"checkdomain" + domaintype + domain', // §7.2.2.2.1
  'domain/InfoDomain': '"infodomain" + domaintype + domain', // §7.2.2.3.1
  'domain/CreateDomain':
    '"createdomain" + domaintype + domain + period + dns1 + dns2 + template_id + password', // §7.2.2.4.1
  'domain/RenewDomain': '"renewdomain" + domaintype + domain + period', // §7.2.2.5.1
  'domain/DeleteDomain': '"deldomain" + domaintype + domain', // §7.2.2.6.1
  'domain/UpdateDomainStatus': '"updatedomainstatus" + domaintype + domain', // §7.2.2.7.1
  'domain/UpdateDomainExtra': '"updatedomainextra" + domaintype + domain', // §7.2.2.8.1
  'domain/UpdateDomainDns': '"updatedomaindns" + domaintype + domain', // §7.2.2.9.1
  'domain/UpdateDomainPwd': '"updatedomainpwd" + domaintype + domain + password', // §7.2.2.10.1
  'domain/InfoDomainExtra': '"infodomainextra" + domaintype + domain', // §7.2.2.11.1
  'domain/RequestModifyRegistrantEmail': '"requestmodifyregistrantemail" + domaintype + domain + new_email', // §7.2.3.2.1
  'domain/VerifyModifyRegistrantEmail':
    '"verifymodifyregistrantemail" + domaintype + domain + verification_code', // §7.2.3.3.1
  'domain/CheckHost': '"checkhost" + domaintype + hostname', // §7.2.4.2.1
  'domain/InfoHost': '"infohost" + domaintype + hostname', // §7.2.4.3.1
  'domain/CreateHost': '"createhost" + domaintype + hostname + addr(如果有)', // §7.2.4.4.1
  'domain/UpdateHost': '"updatehost" + domaintype + hostname + addaddr(如果存在) + remaddr(如果存在)', // §7.2.4.5.1
  'domain/DeleteHost': '"deletehost" + domaintype + hostname', // §7.2.4.6.1
  'domain/QueryCustTransfer': '"querycusttransfer " + domaintype + domain + op', // §7.2.5.2.1
  'domain/RequestCustTransfer': '"requestcusttransfer " + domaintype + domain + password + curID', // §7.2.5.3.1
  'domain/CustTransferSetPwd': '"custtransfersetpwd" + domaintype + domain + password', // §7.2.5.4.1
  'domain/QueryRegTransfer': '"queryregtransfer" + domaintype + domain', // §7.2.6.2.1
  'domain/RequestRegTransfer': '"requestregtransfer" + domaintype + domain + contact_id + authcode', // §7.2.6.3.1
  // The service commands print their literal in mixed case, unlike the domain commands.
  'vhost/GetInfo': '"GetInfo" + flag + vhostname', // §7.3.2.15.1 (op=GetVhostInfo)
  'vhost/RenewVhost': '"RenewVhost" + flag + vhostname', // §7.3.2.5.1
  'mail/GetInfo': '"GetInfo" + flag + domain', // §7.4.2.16.1, §7.4.3.14.1 (op=GetMailInfo)
  'mail/RenewMail': '"RenewMail" + flag + domain', // §7.4.2.5.1, §7.4.3.5.1
  'account/GetAccountBalance': '"getaccountbalance"', // §7.6.1.1
  'account/GetCustomerInfo': '"getcustomerinfo"', // §7.6.2.1
};

/** A parameter term: the `nth` value sent under `param`; `ifSent` terms are skipped when absent. */
interface Term {
  param: string;
  nth: number;
  ifSent: boolean;
}

export interface Formula {
  /** The literal as printed first; a printed trailing space is also accepted without it (decision). */
  literals: readonly string[];
  terms: readonly Term[];
}

function parseFormula(printed: string): Formula {
  const [quoted, ...names] = printed.split('+').map((part) => part.trim());
  const literal = /^"([^"]+)"$/.exec(quoted!)![1]!;
  const terms = names.map((name): Term => {
    const ifSent = /\((如果有|如果存在)\)$/.test(name);
    const bare = name.replace(/\(.*\)$/, '');
    const numbered = /^(dns)([12])$/.exec(bare);
    return numbered
      ? { param: numbered[1]!, nth: Number(numbered[2]) - 1, ifSent }
      : { param: bare, nth: 0, ifSent };
  });
  const literals = literal.endsWith(' ') ? [literal, literal.trimEnd()] : [literal];
  return { literals, terms };
}

const FORMULAS = new Map(Object.entries(PRINTED_FORMULAS).map(([key, text]) => [key, parseFormula(text)]));

/** The formula of a command the manual gives a checksum for, or undefined (an unknown command). */
export function formulaOf(category: string, action: string): Formula | undefined {
  return FORMULAS.get(`${category}/${action}`);
}

export interface Param {
  name: string;
  value: string;
}

/** The checksum terms' text, or the name of the first parameter a required term needs. */
export function termsText(
  formula: Formula,
  params: readonly Param[],
): { text: string } | { missing: string } {
  let text = '';
  for (const term of formula.terms) {
    const value = params.filter((p) => p.name === term.param)[term.nth]?.value;
    if (value !== undefined) text += value;
    else if (!term.ifSent) return { missing: term.param };
  }
  return { text };
}

export interface Signer {
  clid: string;
  /** md5(password), lowercase hex. */
  passwordMd5: string;
}

/** Every checksum the manual's formula allows for this request (one per accepted literal). */
export function acceptedRequestChecksums(
  formula: Formula,
  signer: Signer,
  cltrid: string,
  params: readonly Param[],
): string[] {
  const terms = termsText(formula, params);
  if ('missing' in terms) return [];
  return formula.literals.map((literal) =>
    md5(signer.clid + signer.passwordMd5 + cltrid + literal + terms.text),
  );
}

export interface SignedReplyFields {
  cltrid: string;
  svtrid: string;
  code: number | string;
  msg: string;
  value: string;
}

export function replyChecksum(signer: Signer, r: SignedReplyFields): string {
  return md5(signer.clid + signer.passwordMd5 + r.cltrid + r.svtrid + String(r.code) + r.msg + r.value);
}

/** svtrid = cltrid + "-API-SRV" (§8.5). */
export function svtridOf(cltrid: string): string {
  return `${cltrid}-API-SRV`;
}

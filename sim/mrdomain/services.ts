/**
 * Hosting services (MrDomain's API User Manual 1.0.20, §7 Module: Service) and SSL certificates
 * (§8 Module: SSL) of the simulated account: list, get info and renew of each, strictly as the
 * document describes them, billed from the account's balance.
 *
 * Where the document is silent the choices are in docs/decisions.md (## MrDomain, services and
 * certificates); the main ones:
 * - `service/renew` of a service whose `renewable` is false (or that is `init`/`inactive`) is 4009
 *   "Failure to renew the service"; `period` is 1 to 10 years;
 * - `ssl/renew` answers as §8.8.3's example does (status `process`, empty dates); the certificate
 *   then reads status `renew` ("Renovation in process", §8.14.2) with its old dates until the CA
 *   issues it, which here is the control `POST /__sim/issue-certificates`; a second `ssl/renew` in
 *   between is 5000 "SSL Error";
 * - a `csrData` that is not a PEM `CERTIFICATE REQUEST` is 5000 with a message; an
 *   `adminContactID` the account does not have is 3001 "Contact not exists";
 * - `period` of a certificate lies within the product's years (§8.8 "Check Product information for
 *   minYears and maxYears"; the products of §8.3/§8.4 only show `renew.years`, here the maximum).
 */
import type { SimInstance } from '../shared/instance';
import { addYears, amount, billedCents, DAY, ymd } from './values';
import { ApiError, type Outcome, page, parseBool, parsePositiveInt, requireParam } from './wire';

const DONE = ['Operation done correctly.'];

/** Service status words (User Manual §7.48.2 Service Status). */
export type ServiceStatusWord = 'init' | 'active' | 'inactive' | 'renewed' | 'renewable';

export interface SimService {
  name: string;
  productkey: string;
  status: ServiceStatusWord;
  tsCreate: string;
  tsExpir: string;
  /** Whether the service is in its renew period (§7.2 Get Info); the simulator's own flag, not a window. */
  renewable: boolean;
  renewalMode: 'autorenew' | 'manual';
}

/** Certificate status words (User Manual §8.14.2 SSL Status). */
export type CertificateStatusWord = 'process' | 'valid' | 'expired' | 'renew' | 'reissue' | 'cancel';

export interface SimCertificate {
  certificateID: number;
  commonName: string;
  productID: number;
  status: CertificateStatusWord;
  /** May be renewed at all (§8.5 List `renewable`); reported false while a renewal is pending. */
  renewable: boolean;
  tsCreate: string;
  tsExpir: string;
  alternativeNames: string[];
  /** A renewal the CA has not issued yet: its years. */
  pendingYears?: number;
}

/** The hosting products (User Manual §7.48.1 Service Types) and the simulator's per-year prices. */
const HOSTING_PRODUCTS: Readonly<Record<string, { type: string; price: string }>> = {
  redir: { type: 'Redirect And Parking Service', price: '2.95' },
  mini: { type: 'Mini Hosting Service', price: '4.95' },
  mail: { type: 'Mail Hosting Service', price: '6.95' },
  mailplus: { type: 'Mail Plus Hosting Service', price: '14.95' },
  mailpro: { type: 'Mail Pro Hosting Service', price: '24.95' },
  // 9.95 a year plus 21 % VAT is the 12.04 billed in §7.4 Renew's example.
  basic: { type: 'Basic Hosting Service', price: '9.95' },
  professional: { type: 'Professional Hosting Service', price: '19.95' },
  advanced: { type: 'Advanced Hosting Service', price: '29.95' },
  corporate: { type: 'Corporate Hosting Service', price: '49.95' },
};

interface SslProduct {
  productName: string;
  /** Per-year renewal price (`renew.create`, §8.3 Product List). */
  renewPrice: string;
  minYears: number;
  maxYears: number;
}

/** The products of the document's examples (§8.3 Product List, §8.4 Product Get Info). */
const SSL_PRODUCTS: ReadonlyMap<number, SslProduct> = new Map([
  [1, { productName: 'Sectigo Domain Premium', renewPrice: '39.95', minYears: 1, maxYears: 1 }],
  [55, { productName: 'DonDominio Domain SSL', renewPrice: '4.95', minYears: 1, maxYears: 1 }],
]);

/** CommonName validation methods (User Manual §8.14.3). */
const VALIDATION_METHODS = ['mail', 'dns', 'http', 'https'];

/** The full-data form of a contact (User Manual §8.8.1 Providing contact data), in the document's order. */
const CONTACT_FIELDS = [
  'Type',
  'FirstName',
  'LastName',
  'OrgName',
  'OrgType',
  'IdentNumber',
  'Email',
  'Phone',
  'Address',
  'PostalCode',
  'City',
  'State',
  'Country',
] as const;

/** A PEM CSR: the header, base64 lines, the footer (the `NEW` form of older tools included). */
const PEM_CSR =
  /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1?CERTIFICATE REQUEST-----$/;

export interface ServiceDeskDeps {
  now: () => number;
  instance: SimInstance;
  vatPercent: number;
  /** Take `cents` from the account's balance, or throw 1100 "Insufficient balance". */
  debit(cents: number): void;
}

export interface ServiceRenewal {
  kind: 'hosting' | 'certificate';
  /** The service name, or the certificate id as a decimal string. */
  id: string;
  years: number;
  at: string;
  total: string;
  /** Hosting: the expiry after the renewal. Certificates get theirs when issued. */
  newExpiry?: string;
  /** Certificates: the contact and validation the renewal was placed with. */
  adminContact?: string;
  validationMethod?: string;
}

export function createServiceDesk(deps: ServiceDeskDeps) {
  const { now, instance } = deps;
  let services = new Map<string, SimService>();
  let certificates = new Map<number, SimCertificate>();
  let contacts = new Set<string>();
  let renewals: ServiceRenewal[] = [];

  function seedService(partial: Partial<SimService> & { name: string }): SimService {
    const productkey = partial.productkey ?? 'basic';
    if (!HOSTING_PRODUCTS[productkey]) throw new Error(`no hosting product ${productkey}`);
    const s: SimService = {
      status: 'active',
      tsCreate: ymd(now() - 300 * DAY),
      tsExpir: ymd(now() + 65 * DAY),
      renewable: true,
      renewalMode: 'manual',
      ...partial,
      productkey,
      name: partial.name.toLowerCase(),
    };
    services.set(s.name, s);
    return s;
  }

  function seedCertificate(partial: Partial<SimCertificate> & { commonName: string }): SimCertificate {
    const productID = partial.productID ?? 55;
    if (!SSL_PRODUCTS.has(productID)) throw new Error(`no SSL product ${productID}`);
    const existing = [...certificates.values()].find((c) => c.commonName === partial.commonName);
    const c: SimCertificate = {
      certificateID: existing?.certificateID ?? 135_900 + certificates.size,
      status: 'valid',
      renewable: true,
      tsCreate: ymd(now() - 335 * DAY),
      tsExpir: ymd(now() + 30 * DAY),
      alternativeNames: [partial.commonName],
      ...partial,
      productID,
    };
    if (existing && existing.certificateID !== c.certificateID) certificates.delete(existing.certificateID);
    certificates.set(c.certificateID, c);
    return c;
  }

  function reset(): void {
    services = new Map();
    certificates = new Map();
    renewals = [];
    contacts = new Set(['SIM-12312']);
    seedService({
      name: instance.domain('hosting-shop.com'),
      productkey: 'basic',
      tsExpir: ymd(now() + 45 * DAY),
      renewable: true,
      renewalMode: 'manual',
    });
    seedService({
      name: instance.domain('legacy-site.net'),
      productkey: 'mini',
      tsCreate: ymd(now() - 700 * DAY),
      tsExpir: ymd(now() + 300 * DAY),
      renewable: false,
      renewalMode: 'autorenew',
    });
    seedCertificate({
      certificateID: Number(instance.numericId('132442')),
      commonName: `www.${instance.domain('hosting-shop.com')}`,
      productID: 55,
      tsExpir: ymd(now() + 30 * DAY),
      renewable: true,
      alternativeNames: [instance.domain('hosting-shop.com'), `www.${instance.domain('hosting-shop.com')}`],
    });
    seedCertificate({
      certificateID: Number(instance.numericId('130839')),
      commonName: `*.${instance.domain('legacy-site.net')}`,
      productID: 1,
      tsCreate: ymd(now() - 165 * DAY),
      tsExpir: ymd(now() + 200 * DAY),
      renewable: false,
      alternativeNames: [`*.${instance.domain('legacy-site.net')}`, instance.domain('legacy-site.net')],
    });
  }
  reset();

  // -------------------------------------------------------------------------------------------

  const serviceRenewable = (s: SimService) =>
    s.renewable && (s.status === 'active' || s.status === 'renewable' || s.status === 'renewed');
  const certificateRenewable = (c: SimCertificate) =>
    c.renewable && (c.status === 'valid' || c.status === 'expired');

  /** A service as §7.1 List and §7.4 Renew print it. */
  function serviceRow(s: SimService) {
    const product = HOSTING_PRODUCTS[s.productkey] as { type: string };
    return {
      name: s.name,
      type: product.type,
      productkey: s.productkey,
      status: s.status,
      tsExpir: s.tsExpir,
    };
  }

  /** A certificate as §8.5 List and §8.6 Get Info (`infoType=status`) print it. */
  function certificateRow(c: SimCertificate) {
    return {
      certificateID: c.certificateID,
      commonName: c.commonName,
      status: c.status,
      renewable: certificateRenewable(c),
      productID: c.productID,
      tsCreate: c.tsCreate,
      tsExpir: c.tsExpir,
      alternativeNames: c.alternativeNames,
    };
  }

  function findService(p: Map<string, string>): SimService {
    const name = requireParam(p, 'serviceName').trim().toLowerCase();
    const s = services.get(name);
    if (!s) throw new ApiError(4001, [`service ${name} not found`]);
    return s;
  }

  function findCertificate(p: Map<string, string>): SimCertificate {
    const id = requireParam(p, 'certificateID').trim();
    if (!/^\d+$/.test(id)) throw new ApiError(105, ['certificateID must be an integer']);
    const c = certificates.get(Number(id));
    if (!c) throw new ApiError(5001, [`certificate ${id} not found`]);
    return c;
  }

  /** `infoType` of a get info: `status` is simulated, the other documented ones are 104. */
  function requireStatusInfo(p: Map<string, string>, documented: readonly string[]): void {
    const infoType = p.get('infoType') ?? 'status';
    if (infoType === 'status') return;
    if (documented.includes(infoType)) throw new ApiError(104, [`infoType=${infoType} is not simulated`]);
    throw new ApiError(105, [`infoType is not one of ${['status', ...documented].join(', ')}`]);
  }

  /** `renewable` as a list filter: absent or false filters nothing (as `domain/list` reads it). */
  const wantsRenewable = (p: Map<string, string>) =>
    p.has('renewable') && parseBool(p.get('renewable') ?? '');

  /**
   * The admin contact of `ssl/renew`: an `adminContactID` the account has, or every required field
   * of the full form (User Manual §8.8.1 Providing contact data). Returns what was used.
   */
  function requireAdminContact(p: Map<string, string>): string {
    const id = p.get('adminContactID');
    if (id !== undefined && id !== '') {
      if (!contacts.has(id)) throw new ApiError(3001, [`adminContactID ${id} does not exist`]);
      return id;
    }
    if (!CONTACT_FIELDS.some((f) => p.has(`adminContact${f}`))) {
      throw new ApiError(101, ['adminContactID (or the adminContact data fields) is required']);
    }
    const type = requireParam(p, 'adminContactType');
    if (type !== 'individual' && type !== 'organization') {
      throw new ApiError(105, ['adminContactType must be individual or organization']);
    }
    const country = requireParam(p, 'adminContactCountry');
    for (const field of CONTACT_FIELDS) {
      if (field === 'OrgName' && type !== 'organization') continue;
      if (field === 'OrgType' && (type !== 'organization' || country !== 'ES')) continue;
      requireParam(p, `adminContact${field}`);
    }
    if (!/^[A-Z]{2}$/.test(country))
      throw new ApiError(105, ['adminContactCountry is a 2-letter country code']);
    if (!/^\+\d{1,3}\.\d{4,14}$/.test(p.get('adminContactPhone') as string)) {
      throw new ApiError(105, ['adminContactPhone must be in +DD.DDDDDDDD format']);
    }
    return `${type}:${p.get('adminContactEmail')}`;
  }

  /** 5000 "SSL Error" unless `csrData` is a PEM certificate request whose body is DER (a SEQUENCE). */
  function requirePemCsr(csrData: string): void {
    const m = PEM_CSR.exec(csrData.trim());
    const der = m ? Buffer.from((m[2] as string).replace(/\s+/g, ''), 'base64') : Buffer.alloc(0);
    if (!m || der.length < 2 || der[0] !== 0x30) {
      throw new ApiError(5000, [
        'csrData is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST----- ... -----END CERTIFICATE REQUEST-----)',
      ]);
    }
  }

  const actions: Record<string, (p: Map<string, string>) => Outcome> = {
    'service/list': (p) => {
      const name = p.get('name')?.toLowerCase();
      const word = p.get('word')?.toLowerCase();
      const tld = p.get('tld')?.toLowerCase().replace(/^\./, '');
      const status = p.get('status');
      const renewable = wantsRenewable(p);
      const list = [...services.values()]
        .filter(
          (s) =>
            (!name || s.name === name) &&
            (!word || s.name.includes(word)) &&
            (!tld || s.name.endsWith(`.${tld}`)) &&
            (!status || s.status === status) &&
            (!renewable || serviceRenewable(s)),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const { queryInfo, items } = page(list, p, 1000);
      return { errorCode: 0, responseData: { queryInfo, services: items.map(serviceRow) } };
    },

    'service/getinfo': (p) => {
      const s = findService(p);
      requireStatusInfo(p, ['resources', 'serverinfo', 'php', 'logerror']);
      return {
        errorCode: 0,
        responseData: {
          ...serviceRow(s),
          tsCreate: s.tsCreate,
          renewable: serviceRenewable(s),
          renewalMode: s.renewalMode,
        },
      };
    },

    'service/renew': (p) => {
      const s = findService(p);
      const period = parsePositiveInt(p.get('period'), 'period', 1);
      if (period > 10) throw new ApiError(105, ['period must be from 1 to 10 years']);
      if (!serviceRenewable(s)) {
        throw new ApiError(4009, [`service ${s.name} cannot be renewed now (status ${s.status})`]);
      }
      const total = billedCents(
        (HOSTING_PRODUCTS[s.productkey] as { price: string }).price,
        period,
        deps.vatPercent,
      );
      deps.debit(total);
      s.tsExpir = addYears(s.tsExpir, period);
      s.status = 'active';
      renewals.push({
        kind: 'hosting',
        id: s.name,
        years: period,
        at: new Date(now()).toISOString(),
        total: (total / 100).toFixed(2),
        newExpiry: s.tsExpir,
      });
      return {
        errorCode: 0,
        messages: DONE,
        responseData: {
          billing: { total: amount(total), currency: 'EUR' },
          // "renewed" (Renewal in process, §7.48.2) in the reply, as §7.4's example; it reads active after.
          services: [{ ...serviceRow(s), status: 'renewed' }],
        },
      };
    },

    'ssl/list': (p) => {
      const productID = p.get('productID');
      const status = p.get('status');
      const commonName = p.get('commonName')?.toLowerCase();
      const renewable = wantsRenewable(p);
      if (productID !== undefined && !/^\d+$/.test(productID)) {
        throw new ApiError(105, ['productID must be an integer']);
      }
      const list = [...certificates.values()]
        .filter(
          (c) =>
            (productID === undefined || c.productID === Number(productID)) &&
            (!status || c.status === status) &&
            (!commonName || c.commonName === commonName) &&
            (!renewable || certificateRenewable(c)),
        )
        .sort((a, b) => a.certificateID - b.certificateID);
      const { queryInfo, items } = page(list, p, 1000);
      return { errorCode: 0, responseData: { queryInfo, ssl: items.map(certificateRow) } };
    },

    'ssl/getinfo': (p) => {
      const c = findCertificate(p);
      requireStatusInfo(p, ['ssldata', 'validationStatus', 'pfx', 'der', 'p7b', 'zip', 'pem']);
      return { errorCode: 0, responseData: certificateRow(c) };
    },

    'ssl/renew': (p) => {
      const csrData = requireParam(p, 'csrData');
      requireParam(p, 'certificateID');
      const adminContact = requireAdminContact(p);
      const validationMethod = p.get('validationMethod') ?? 'dns';
      if (!VALIDATION_METHODS.includes(validationMethod)) {
        throw new ApiError(105, [`validationMethod must be one of ${VALIDATION_METHODS.join(', ')}`]);
      }
      const c = findCertificate(p);
      requirePemCsr(csrData);
      const product = SSL_PRODUCTS.get(c.productID) as SslProduct;
      const period = parsePositiveInt(p.get('period'), 'period', product.minYears);
      if (period < product.minYears || period > product.maxYears) {
        throw new ApiError(105, [
          `period must be from ${product.minYears} to ${product.maxYears} years for ${product.productName}`,
        ]);
      }
      if (c.status === 'renew') {
        throw new ApiError(5000, [`a renewal of certificate ${c.certificateID} is already in process`]);
      }
      if (!certificateRenewable(c)) {
        throw new ApiError(5000, [`certificate ${c.certificateID} cannot be renewed (status ${c.status})`]);
      }
      const total = billedCents(product.renewPrice, period, deps.vatPercent);
      deps.debit(total);
      c.status = 'renew';
      c.pendingYears = period;
      renewals.push({
        kind: 'certificate',
        id: String(c.certificateID),
        years: period,
        at: new Date(now()).toISOString(),
        total: (total / 100).toFixed(2),
        adminContact,
        validationMethod,
      });
      return {
        errorCode: 0,
        responseData: {
          billing: { total: amount(total), currency: 'EUR' },
          // As §8.8.3's example: the reissued certificate is in process, with no dates yet.
          ssl: { ...certificateRow(c), status: 'process', renewable: false, tsCreate: '', tsExpir: '' },
        },
      };
    },
  };

  /** The CA issues every pending renewal (or the one named): valid, a new expiry from the later of its old one and today. */
  function issue(certificateID?: number) {
    const issued: SimCertificate[] = [];
    for (const c of certificates.values()) {
      if (c.pendingYears === undefined) continue;
      if (certificateID !== undefined && c.certificateID !== certificateID) continue;
      const today = ymd(now());
      c.tsExpir = addYears(c.tsExpir > today ? c.tsExpir : today, c.pendingYears);
      c.tsCreate = today;
      c.status = 'valid';
      c.pendingYears = undefined;
      issued.push(c);
    }
    return issued;
  }

  const list = (body: unknown) => (Array.isArray(body) ? body : [body]);

  return {
    actions,
    reset,
    state: () => ({
      services: [...services.values()].sort((a, b) => a.name.localeCompare(b.name)),
      certificates: [...certificates.values()].sort((a, b) => a.certificateID - b.certificateID),
      contacts: [...contacts],
      serviceRenewals: renewals,
    }),
    /** This module's controls; undefined when `name` is not one of them. */
    control(name: string, body: unknown): unknown {
      switch (name) {
        case 'services':
          return {
            services: list(body).map((item) => seedService(item as Partial<SimService> & { name: string })),
          };
        case 'certificates':
          return {
            certificates: list(body).map((item) =>
              seedCertificate(item as Partial<SimCertificate> & { commonName: string }),
            ),
          };
        case 'contacts': {
          const ids = (body as { ids?: unknown }).ids;
          if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
            throw new Error('contacts is {ids: ["XXX-12312", ...]}');
          }
          for (const id of ids) contacts.add(id);
          return { contacts: [...contacts] };
        }
        case 'issue-certificates': {
          const id = (body as { certificateID?: unknown }).certificateID;
          return { issued: issue(id === undefined ? undefined : Number(id)) };
        }
        default:
          return undefined;
      }
    },
  };
}

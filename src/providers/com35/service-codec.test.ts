/**
 * The service codec against the replies the 35.com API user manual prints (verbatim, padding and
 * odd spellings included): §7.3.2.5.6 RenewVhost, §7.3.2.15.6 GetVhostInfo, §7.4.2.5.6 RenewMail,
 * §7.4.2.16.6 GetMailInfo, §7.7.1.2.1 and §7.7.1.5.2 price queries.
 */
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../core/errors';
import { POINTS_CURRENCY } from '../../core/model';
import { formulaFor, parseResponse, requestChecksum } from './codec';
import {
  decodeServiceInfo,
  decodeServicePrice,
  decodeServiceRenewal,
  fieldsOf,
  fromMdy,
  renewalParams,
  toMdy,
} from './service-codec';

const RENEW_VHOST = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>vhost</category>
  <action>RenewVhost</action>
  <code>1000</code>
  <msg>Command completeted successfully</msg>
  <value>no value</value>
  <resData>
    <data name="vhostname">weipeng1</data>
    <data name="flag">1002</data>
    <data name="expiredate">06/12/2020</data>
    <data name="addPrice">0 </data>
    <data name="dbPrice">0</data>
    <data name="amount ">138</data>
  </resData>
  <cltrid>150132A1244692945B641</cltrid>
  <svtrid>150132A1244692945B641-API-SRV</svtrid>
  <chksum>d95530ffaef3c9c509125ebf35251cf8</chksum>
</response>`;

const GET_VHOST_INFO = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>vhost</category>
  <action>GetInfo</action>
  <code>1000</code>
  <msg>Command completeted successfully</msg>
  <value>no value</value>
  <resData>
    <data name="vhostname">xcfge</data>
<data name="flag">1002</data>
<data name="totalspace">600</data>
<data name="usedspace">50</data>
<data name="totalflux">18</data>
<data name="os">WINDOWS2003</data>
<data name="ip">222.76.212.113</data>
<data name="dbname">xcfge</data>
<data name="dbspace">100</data>
<data name="maildomain">yy50.com</data>
<data name="isrunning">1</data>
<data name="typeID">1031</data>
<data name="startdate">08/18/2019</data>
<data name="expiredate">08/18/2020</data>
</resData>
<cltrid>150132A1250584369B216</cltrid>
<svtrid>150132A1250584369B216-API-SRV</svtrid>
<chksum>55a44caa062e7dba0aa7649653e072ef</chksum>
</response>`;

const RENEW_MAIL = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>mail</category>
  <action>RenewMail</action>
  <code>1000</code>
  <msg>Command completed successfully</msg>
  <value>no value</value>
  <resData>
    <data name="domain">test456321.com</data>
    <data name="flag">1001</data>
    <data name="expiredate">07/13/2011</data>
    <data name="amount">220</data>
  </resData>
  <cltrid>150132A1247797017B95</cltrid>
  <svtrid>150132A1247797017B95-API-SRV</svtrid>
  <chksum>97e9a8522cee8fe75936fd6d945f0736</chksum>
</response>`;

const GET_MAIL_INFO = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>mail</category>
  <action>GetInfo</action>
  <code>1000</code>
  <msg>Command complateted successfully</msg>
  <value>no value</value>
  <resData>
    <data name="domain">testyoyo130814e.com</data>
    <data name="flag">1001</data>
    <data name="totalspace">0</data>
    <data name="totalaccount">5</data>
    <data name="spy">0</data>
    <data name="smtp">0</data>
    <data name="harddisk">17920</data>
    <data name="destroy"></data>
    <data name="typeID">10021</data>
    <data name="hostip">10.35.60.29</data>
    <data name="hostdomain">10.35.60.29</data>
    <data name="mxip">10.35.60.29</data>
    <data name="mxdomain">10.35.60.29</data>
    <data name="popdomain">10.35.60.29</data>
    <data name="smtpdomain">10.35.60.29</data>
    <data name="imapdomain">10.35.60.29</data>
    <data name="eqdomain">10.35.60.29</data>
    <data name="startdate">08/13/2013</data>
    <data name="expiredate">11/13/2013</data>
  </resData>
<cltrid>150132A1376461094B195</cltrid>
<svtrid>150132A1376461094B195-API-SRV</svtrid>
<chksum>9ba6689dd5ebd45bcd07d7069fd093a7</chksum>
</response>`;

const TRADITIONAL_HOST_PRICE = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>vhost</category>
  <action>RenewVhost</action>
  <code>1000</code>
  <msg>Command completeted successfully</msg>
  <value>no value</value>
<resData>
  <data name="vhostPrice">180</data>
  <data name="addPrice">100</data>
  <data name="dbPrice">100</data>
  <data name="amount ">380</data>
</resData>
<cltrid>150132A1249457408B231</cltrid>
<svtrid>150132A1249457408B231-API-SRV</svtrid>
<chksum>38141151c56a4004cd37f63cf801dd3b</chksum>
</response>`;

// The reply's checksum tag is `<checksum>` in this example.
const EXCLUSIVE_MAIL_PRICE = `<?xml version="1.0" encoding="gbk"?>
<response>
  <category>mail</category>
  <action>RenewMail</action>
  <code>1000</code>
  <msg>Command complateted successfully</msg>
  <value>no value</value>
  <resData>
    <data name=" points">1100</data>
  </resData>
  <cltrid>150132A1249545909B977</cltrid>
  <svtrid>150132A1249545909B977-API-SRV</svtrid>
  <checksum>d2d41dac5fb8b99eb0fbb777d6c6c7cf</checksum>
</response>`;

const fields = (text: string) => fieldsOf(parseResponse(text).data);
const NOW = Date.parse('2020-01-01T00:00:00Z');

describe('35.com service replies as the manual prints them', () => {
  it('RenewVhost (§7.3.2.5.6): the new expiry, and the charge from `amount ` with its trailing space', () => {
    expect(decodeServiceRenewal(fields(RENEW_VHOST))).toEqual({
      newExpiry: '2020-06-12T00:00:00.000Z',
      charged: { amount: '138', currency: 'CNY' },
    });
  });

  it('GetVhostInfo (§7.3.2.15.6): a running 智强 host with its typeID and m/d/Y expiry', () => {
    const d = decodeServiceInfo('hosting', { id: 'xcfge', flag: '1002' }, fields(GET_VHOST_INFO), NOW);
    expect(d).toEqual({
      name: 'xcfge',
      flag: '1002',
      typeID: '1031',
      expiresAt: '2020-08-18T00:00:00.000Z',
      status: 'active',
      rawStatus: 'isrunning=1',
      renewable: undefined,
      product: '智强 host (flag 1002, typeID 1031)',
    });
    const stopped = { ...fields(GET_VHOST_INFO), isrunning: '0' };
    expect(decodeServiceInfo('hosting', { id: 'xcfge', flag: '1002' }, stopped, NOW).status).toBe(
      'suspended',
    );
    expect(
      decodeServiceInfo(
        'hosting',
        { id: 'xcfge', flag: '1002' },
        fields(GET_VHOST_INFO),
        Date.parse('2021-01-01'),
      ).status,
    ).toBe('expired');
  });

  it('RenewMail (§7.4.2.5.6): money from `amount`', () => {
    expect(decodeServiceRenewal(fields(RENEW_MAIL))).toEqual({
      newExpiry: '2011-07-13T00:00:00.000Z',
      charged: { amount: '220', currency: 'CNY' },
    });
  });

  it('GetMailInfo (§7.4.2.16.6): `domain` as the example spells it, or `domian` as the table does', () => {
    const asked = { id: 'testyoyo130814e.com', flag: '1001' } as const;
    const d = decodeServiceInfo('mail', asked, fields(GET_MAIL_INFO), NOW);
    expect(d).toMatchObject({
      name: 'testyoyo130814e.com',
      typeID: '10021',
      expiresAt: '2013-11-13T00:00:00.000Z',
      status: 'expired',
      rawStatus: '',
      product: 'normal mail (flag 1001, typeID 10021)',
    });
    const { domain, ...rest } = fields(GET_MAIL_INFO);
    expect(decodeServiceInfo('mail', asked, { ...rest, domian: domain! }, NOW).name).toBe(domain);
    const direct = decodeServiceInfo('mail', asked, { ...fields(GET_MAIL_INFO), typeID: '-1' }, NOW);
    expect(direct.renewable).toBe(false);
  });

  it('price queries (§7.7.1.2.1, §7.7.1.5.2): money from `amount `, points from ` points` in a <checksum> reply', () => {
    expect(decodeServicePrice(fields(TRADITIONAL_HOST_PRICE))).toEqual({ amount: '380', currency: 'CNY' });
    const exclusive = parseResponse(EXCLUSIVE_MAIL_PRICE);
    expect(exclusive.chksum).toBe('d2d41dac5fb8b99eb0fbb777d6c6c7cf');
    expect(decodeServicePrice(fieldsOf(exclusive.data))).toEqual({
      amount: '1100',
      currency: POINTS_CURRENCY,
    });
    expect(() => decodeServicePrice({ vhostPrice: '180' })).toThrow(/neither amount nor points/);
  });

  it('refuses an expiry that is not m/d/Y, naming the field', () => {
    for (const bad of ['2020-06-12', '13/12/2020', '02/30/2020', ''])
      expect(() => fromMdy(bad, 'expiredate'), bad).toThrow(/expiredate/);
    const error = (() => {
      try {
        fromMdy('tomorrow', 'expiredate');
      } catch (e) {
        return e;
      }
    })();
    expect(isGatewayError(error) && error.kind).toBe('protocol');
    expect(toMdy('2027-08-31T00:00:00.000Z')).toBe('08/31/2027');
  });
});

describe('35.com service requests', () => {
  it('sends m/d/Y, selltype=E only for mail, GetPrice=1 only for a price, and signs flag + name', () => {
    const base = {
      flag: '1002' as const,
      id: 'weipeng1',
      years: 1,
      currentExpiry: '2019-06-12T00:00:00.000Z',
    };
    expect(renewalParams('hosting', { ...base, payWithPoints: true })).toEqual({
      flag: '1002',
      vhostname: 'weipeng1',
      year: '1',
      currentexpiredate: '06/12/2019',
    });
    expect(
      renewalParams('mail', { ...base, flag: '1001', id: 'a.com', payWithPoints: true, priceOnly: true }),
    ).toEqual({
      flag: '1001',
      domain: 'a.com',
      year: '1',
      currentexpiredate: '06/12/2019',
      selltype: 'E',
      GetPrice: '1',
    });
    expect(formulaFor('vhost', 'RenewVhost')).toEqual({
      literal: 'RenewVhost',
      fields: ['flag', 'vhostname'],
    });
    const creds = { clid: '150132', passwordMd5: '0'.repeat(32) };
    const params = renewalParams('hosting', base);
    const signed = requestChecksum({ category: 'vhost', action: 'RenewVhost', params }, creds, 'C1');
    // year and currentexpiredate are not covered (§7.3.2.5.1), the name is.
    expect(
      requestChecksum(
        { category: 'vhost', action: 'RenewVhost', params: { ...params, year: '2' } },
        creds,
        'C1',
      ),
    ).toBe(signed);
    expect(
      requestChecksum(
        { category: 'vhost', action: 'RenewVhost', params: { ...params, vhostname: 'x' } },
        creds,
        'C1',
      ),
    ).not.toBe(signed);
  });
});

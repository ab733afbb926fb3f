import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../core/errors';
import { OPERATIONS } from '../operation';
import {
  AVAIL_CODES,
  decodeCheckDomain,
  decodeDomainDetail,
  decodeDomainList,
  decodeErrorBody,
  decodeTaskDetails,
  decodeTaskNo,
  decodeTransferOutInfo,
  fromAlibabaDateString,
  parseBody,
} from './codec';
import { alibabaError, mappingFor, taskFailureKind } from './errors';

// Golden replies: the Alibaba Cloud Domain "API Reference (New)" document's own examples, normalised
// only for the PDF extraction artefacts (spaces inside tokens, `>>`), with the sections they come from.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** `shared/` sits beside the repo (CI) or beside the worktrees folder (local worktrees). */
function sharedDir(): string {
  for (const candidate of [
    path.resolve(repoRoot, '..', 'shared'),
    path.resolve(repoRoot, '..', '..', 'shared'),
  ]) {
    if (existsSync(path.join(candidate, 'fixtures'))) return candidate;
  }
  throw new Error('shared/ (fixtures) not found beside the repository');
}

function throwsProtocol(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isGatewayError(error) && error.kind).toBe('protocol');
    return;
  }
  throw new Error('expected a protocol error');
}

describe('CheckDomain (§5.2)', () => {
  it('decodes the JSON example', () => {
    const body =
      '{"RequestId":"BA7A4FD4-EB9A-4A20-BB0C-9AEB15634DC1","DomainName":"abc.com","Avail":0,"Premium":false}';
    expect(decodeCheckDomain(parseBody(body).data)).toEqual({
      domainName: 'abc.com',
      avail: '0',
      available: false,
      reason: 'registered',
      premium: false,
    });
  });

  it('decodes the XML example, whose root is <CheckDomain>', () => {
    const body =
      '<CheckDomain><RequestId>BA7A4FD4-EB9A-4A20-BB0C-9AEB15634DC1</RequestId><DomainName>abc.com</DomainName><Avail>0</Avail><Premium>false</Premium></CheckDomain>';
    const parsed = parseBody(body);
    expect(parsed.root).toBe('CheckDomain');
    expect(decodeCheckDomain(parsed.data)).toMatchObject({ available: false, premium: false });
  });

  it('maps every Avail code of §5.2, as numbers or strings, and refuses an unknown one', () => {
    expect(Object.keys(AVAIL_CODES).sort()).toEqual(['-1', '-2', '-3', '0', '1', '2']);
    expect(decodeCheckDomain({ Avail: '1', Premium: 'true' })).toMatchObject({
      available: true,
      premium: true,
    });
    expect(decodeCheckDomain({ avail: 2 })).toMatchObject({ available: false, reason: 'pending' });
    // "Abnormal": the registrar could not check the name, which is not "taken".
    expect(decodeCheckDomain({ Avail: -1 })).toMatchObject({ available: null, reason: 'check_failed' });
    expect(decodeCheckDomain({ Avail: -2 })).toMatchObject({ available: false, reason: 'registered' });
    expect(decodeCheckDomain({ Avail: -3 })).toMatchObject({ available: false, reason: 'blacklisted' });
    throwsProtocol(() => decodeCheckDomain({ Avail: 7 }));
    throwsProtocol(() => decodeCheckDomain({ DomainName: 'a.com' }));
  });
});

describe('QueryDomainList (§5.12)', () => {
  it('decodes the JSON example (wrapped list, string dates in UTC+8)', () => {
    const body = `{"Data":{"Domain":[{"ExpirationDate":"Nov 02, 2019 04:00:45","InstanceId":"ST2015110212003800001928","RegistrationDate":"Nov 02, 2017 04:00:45","DomainName":"fds234sdf.net","DomainType":"gTLD"}]},"TotalItemNum":1,"PageSize":5,"CurrentPageNum":0,"RequestId":"77F90DA6-89AB-4074-80F3-E595CB57DF98","PrePage":false,"TotalPageNum":1,"NextPage":false}`;
    const page = decodeDomainList(parseBody(body).data);
    expect(page.items).toEqual([
      {
        domainName: 'fds234sdf.net',
        instanceId: 'ST2015110212003800001928',
        expiresAt: '2019-11-01T20:00:45.000Z',
        expirationMs: undefined,
        registeredAt: '2017-11-01T20:00:45.000Z',
        domainStatus: undefined,
        domainType: 'gTLD',
        premium: undefined,
      },
    ]);
    expect(page).toMatchObject({ nextPage: false, totalPages: 1, totalItems: 1 });
  });

  it('prefers the …Long epoch-ms fields over the strings', () => {
    const item = {
      DomainName: 'test.com',
      InstanceId: 'S20171102000001',
      ExpirationDate: 'Nov 02, 2019 04:00:45',
      ExpirationDateLong: 1572638445123,
      DomainStatus: '3',
    };
    const [decoded] = decodeDomainList({ Data: { Domain: [item] } }).items;
    expect(decoded).toMatchObject({ expiresAt: '2019-11-01T20:00:45.123Z', expirationMs: 1572638445123 });
  });

  it('decodes the XML example with one item (a lone object, not an array)', () => {
    // The §5.12 XML example; its mismatched close tag `</domainType>` is corrected here, see the next test.
    const body =
      "<?xml version='1.0' encoding='UTF-8'?><QueryDomainListResponse><Data><Domain><ExpirationDate>Nov 02, 2019 04:00:45</ExpirationDate><InstanceId>ST20151102120031118</InstanceId><RegistrationDate>Nov 02, 2017 04:00:45</RegistrationDate><DomainName>test.com</DomainName><DomainType>gTLD</DomainType></Domain></Data><TotalItemNum>1</TotalItemNum><PageSize>5</PageSize><CurrentPageNum>0</CurrentPageNum><RequestId>B7AB5469-5E38-4AA9-A920-C65B7A9C8E6E</RequestId><PrePage>false</PrePage><TotalPageNum>1</TotalPageNum><NextPage>false</NextPage></QueryDomainListResponse>";
    const page = decodeDomainList(parseBody(body).data);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ domainName: 'test.com', instanceId: 'ST20151102120031118' });
  });

  it("refuses the document's XML as printed (mismatched close tag) with a protocol error, not a crash", () => {
    throwsProtocol(() =>
      parseBody(
        '<QueryDomainListResponse><Data><Domain><DomainType>gTLD</domainType></Domain></Data></QueryDomainListResponse>',
      ),
    );
  });

  it('accepts an empty list in both shapes', () => {
    expect(
      decodeDomainList(parseBody('<QueryDomainListResponse><Data/></QueryDomainListResponse>').data).items,
    ).toEqual([]);
    expect(decodeDomainList({ data: [] }).items).toEqual([]);
  });
});

describe('QueryDomainByInstanceId (§5.11)', () => {
  it('decodes the JSON example (no …Long fields: strings read as UTC+8)', () => {
    const body = `{"DomainNameProxyService":false,"InstanceId":"S201312050000000","RegistrationDate":"2013-12-06 00:00:00","Email":"test@aliyun.com","UserId":"1344371","RegistrantName":"safd sdf","ExpirationDate":"2016-12-06 00:00:00","DomainName":"fds234sdf.net","UpdateProhibitionLock":"NONE_SETTING","DnsList":{"Dns":["dns19.hichina.com","dns20.hichina.com"]},"TransferProhibitionLock":"CLOSE","RegistrantOrganization":"safd"}`;
    expect(decodeDomainDetail(parseBody(body).data)).toEqual({
      domainName: 'fds234sdf.net',
      instanceId: 'S201312050000000',
      expiresAt: '2016-12-05T16:00:00.000Z',
      registeredAt: '2013-12-05T16:00:00.000Z',
      transferProhibitionLock: 'CLOSE',
      updateProhibitionLock: 'NONE_SETTING',
      emailVerificationClientHold: undefined,
      premium: undefined,
      nameservers: ['dns19.hichina.com', 'dns20.hichina.com'],
    });
  });

  it('decodes the XML example (close tag corrected from </QueryDomainByIdResponse>)', () => {
    const body =
      "<?xml version='1.0' encoding='UTF-8'?><QueryDomainByInstanceIdResponse><DomainNameProxyService>false</DomainNameProxyService><InstanceId>S201312050000000</InstanceId><RegistrationDate>2013-12-06 00:00:00</RegistrationDate><Email>test@aliyun.com</Email><UserId>1344371</UserId><RegistrantName>safd sdf</RegistrantName><ExpirationDate>2016-12-06 00:00:00</ExpirationDate><DomainName>fds234sdf.net</DomainName><UpdateProhibitionLock>NONE_SETTING</UpdateProhibitionLock><DnsList><Dns>dns19.hichina.com</Dns><Dns>dns20.hichina.com</Dns></DnsList><TransferProhibitionLock>CLOSE</TransferProhibitionLock><RegistrantOrganization>safd</RegistrantOrganization></QueryDomainByInstanceIdResponse>";
    expect(decodeDomainDetail(parseBody(body).data)).toMatchObject({
      nameservers: ['dns19.hichina.com', 'dns20.hichina.com'],
      transferProhibitionLock: 'CLOSE',
    });
  });
});

describe('task replies', () => {
  it('reads TaskNo from the renew examples of §5.33: XML and camelCase JSON', () => {
    const xml =
      "<?xml version='1.0' encoding='utf-8'?><SaveSingleTaskForCreatingOrderRenewResponse><TaskNo>3cb1adc3-20e8-44ae-9e76-e812fa6fc9d8</TaskNo><RequestId>40F46D3D-F4F3-4CCB-AC30-2DD20E32E528</RequestId></SaveSingleTaskForCreatingOrderRenewResponse>";
    expect(decodeTaskNo(parseBody(xml).data, 'renew')).toBe('3cb1adc3-20e8-44ae-9e76-e812fa6fc9d8');
    const json =
      '{"requestId":"D9422F19-3C86-44FA-B5F7-036E89F3904F","taskNo":"9f7a509f-f347-4430-969b-52ed6d23e58f"}';
    expect(decodeTaskNo(parseBody(json).data, 'renew')).toBe('9f7a509f-f347-4430-969b-52ed6d23e58f');
    // The DNS task's camelCase reply (§5.24).
    expect(
      decodeTaskNo(
        parseBody(
          '{"requestId":"689C17B3-6AE0-45FB-8E41-4491A02C9999","taskNo":"fce12087-6c9f-4dcd-92df-d3829b7f19bc"}',
        ).data,
        'dns',
      ),
    ).toBe('fce12087-6c9f-4dcd-92df-d3829b7f19bc');
    throwsProtocol(() => decodeTaskNo({ RequestId: 'x' }, 'renew'));
  });

  it('decodes QueryTaskDetailList (§5.14): XML and the repaired camelCase JSON with a bare array', () => {
    const xml =
      "<?xml version='1.0' encoding='UTF-8'?><QueryTaskDetailListResponse><Data><TaskDetail><TryCount>0</TryCount><TaskDetailNo>75addb07-28a3-450e-b5ec-test</TaskDetailNo><TaskNo>60d6e201-8ee5-47ab-8fdc-test</TaskNo><CreateTime>2018-01-25 20:46:57</CreateTime><InstanceId>S20179H1BB-I9test</InstanceId><UpdateTime>2018-01-25 20:47:01</UpdateTime><TaskStatus>EXECUTE_SUCCESS</TaskStatus><DomainName>test.com</DomainName><TaskStatusCode>2</TaskStatusCode><ErrorMsg>The operation is successful.</ErrorMsg><TaskType>ORDER_RENEW</TaskType></TaskDetail></Data><TotalItemNum>1</TotalItemNum><PageSize>2</PageSize><CurrentPageNum>1</CurrentPageNum><RequestId>6A2320E4-D870-49C9-A6DC-test</RequestId><TotalPageNum>1</TotalPageNum></QueryTaskDetailListResponse>";
    expect(decodeTaskDetails(parseBody(xml).data)).toEqual([
      {
        taskNo: '60d6e201-8ee5-47ab-8fdc-test',
        taskDetailNo: '75addb07-28a3-450e-b5ec-test',
        taskType: 'ORDER_RENEW',
        domainName: 'test.com',
        instanceId: 'S20179H1BB-I9test',
        state: 'success',
        rawStatus: 'EXECUTE_SUCCESS',
        errorMsg: 'The operation is successful.',
        taskResult: undefined,
        updatedAt: '2018-01-25T12:47:01.000Z',
      },
    ]);
    const json = `{"currentPageNum":1,"data":[{"createTime":"2018-01-25 20:46:57","domainName":"test.com","errorMsg":"The operation is successful.","instanceId":"S20179H1BB-I9test","taskDetailNo":"d2402d834c9e4db880d375173e786738","taskNo":"75addb07-28a3-450e-b5ec-test","taskStatus":"EXECUTE_SUCCESS","taskStatusCode":2,"taskType":"ORDER_RENEW","tryCount":0,"updateTime":"2018-01-25 20:47:01"}],"pageSize":2,"requestId":"A0D9EC32-E365-414F-A9B4-test","totalItemNum":1,"totalPageNum":1}`;
    expect(decodeTaskDetails(parseBody(json).data)).toMatchObject([
      { state: 'success', domainName: 'test.com' },
    ]);
  });

  it('reads every detail state by code or by word, and refuses an unknown one', () => {
    const states = [0, 1, 2, 3].map(
      (c) => decodeTaskDetails({ Data: { TaskDetail: { TaskStatusCode: c } } })[0]?.state,
    );
    expect(states).toEqual(['waiting', 'executing', 'success', 'failure']);
    expect(
      decodeTaskDetails({ Data: { TaskDetail: [{ TaskStatus: 'EXECUTE_FAILURE', ErrorMsg: 'x' }] } })[0]
        ?.state,
    ).toBe('failure');
    throwsProtocol(() => decodeTaskDetails({ Data: { TaskDetail: [{ TaskStatus: 'DONE' }] } }));
  });
});

describe('QueryTransferOutInfo (§5.19)', () => {
  it('decodes the JSON example', () => {
    const body = `{"ExpirationDate":"2018-04-13 19:57:56","RequestId":"BBEC5A50-DFDF-482E-8343-B4EB0105E055","Status":3,"TransferAuthorizationCodeSendDate":"2018-03-29 19:57:56"}`;
    expect(decodeTransferOutInfo(parseBody(body).data)).toMatchObject({ status: '3' });
  });
});

describe('dates', () => {
  it('reads both string styles as UTC+8 and refuses nonsense', () => {
    expect(fromAlibabaDateString('Nov 02, 2019 04:00:45')).toBe('2019-11-01T20:00:45.000Z');
    expect(fromAlibabaDateString('2017-11-01 17:22:51')).toBe(new Date(1509528171000).toISOString());
    throwsProtocol(() => fromAlibabaDateString('Foo 02, 2019 04:00:45'));
    throwsProtocol(() => fromAlibabaDateString('yesterday'));
  });
});

describe('error envelope', () => {
  it("decodes the document's examples: JSON (§3.4), XML with CDATA Recommend (§5.1), lower-cased code (§5.5)", () => {
    expect(
      decodeErrorBody(
        '{"RequestId":"8906582E-6722-409A-A6C4-0E7863B733A5","HostId":"domain-intl.aliyuncs.com","Code":"DomainNotExist","Message":"The domain name does not exist."}',
      ),
    ).toEqual({
      code: 'DomainNotExist',
      message: 'The domain name does not exist.',
      requestId: '8906582E-6722-409A-A6C4-0E7863B733A5',
      hostId: 'domain-intl.aliyuncs.com',
      recommend: undefined,
    });
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>3A598F91-51B9-4027-B516-BB2BE3E3352D</RequestId><HostId>domain.aliyuncs.com</HostId><Code>MissingTaskDetailNo</Code><Message>TaskDetailNo is mandatory for this action.</Message><Recommend><![CDATA[https://error-center.aliyun.com/status/search?Keyword=MissingTaskDetailNo&source=PopGw]]></Recommend></Error>';
    expect(decodeErrorBody(xml)).toMatchObject({
      code: 'MissingTaskDetailNo',
      recommend: 'https://error-center.aliyun.com/status/search?Keyword=MissingTaskDetailNo&source=PopGw',
    });
    const lower = decodeErrorBody(
      '{"Code":"missingdomainname","HostId":"domain.aliyuncs.com","Message":"DomainName is mandatory for this action.","RequestId":"1"}',
    );
    expect(mappingFor(lower!.code, 400).kind).toBe('invalid_request');
  });

  it('accepts every real gateway error fixture', () => {
    const dir = path.join(sharedDir(), 'fixtures', 'real', 'alibaba');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const body = decodeErrorBody(readFileSync(path.join(dir, file), 'utf8'));
      expect(body, file).toBeDefined();
      expect(body!.requestId, file).toMatch(/^[0-9A-F-]{36}$/);
      expect(body!.hostId, file).toBe('alidns.aliyuncs.com');
      expect(body!.recommend, file).toMatch(/^https:\/\//);
      const error = alibabaError(body!, { status: 400, operation: OPERATIONS.getDomain });
      expect(error.upstreamCode).toBe(body!.code);
      expect(error.requestId).toBe(body!.requestId);
    }
  });

  it('maps the fixture codes and keeps the AccessKeyId of SignatureDoesNotMatch out of the error', () => {
    const dir = path.join(sharedDir(), 'fixtures', 'real', 'alibaba');
    const sig = decodeErrorBody(
      readFileSync(path.join(dir, 'gateway_error_signature_does_not_match_2019.json'), 'utf8'),
    )!;
    const error = alibabaError(sig, { status: 400, operation: OPERATIONS.getDomain });
    expect(error.kind).toBe('authentication');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('LTAI');
    expect(error.upstreamMessage).toBe('Specified signature is not matched with our calculation.');
    const format = decodeErrorBody(
      readFileSync(path.join(dir, 'gateway_error_invalid_parameter_2025.json'), 'utf8'),
    )!;
    expect(alibabaError(format, { status: 400, operation: OPERATIONS.getDomain }).kind).toBe(
      'invalid_request',
    );
    const ttl = decodeErrorBody(
      readFileSync(path.join(dir, 'gateway_error_quota_exceeded_2022.json'), 'utf8'),
    )!;
    expect(alibabaError(ttl, { status: 400, operation: OPERATIONS.getDomain }).kind).toBe('invalid_request');
  });

  it('is not fooled by success bodies, HTML or garbage', () => {
    expect(decodeErrorBody('{"RequestId":"x","TaskNo":"y"}')).toBeUndefined();
    expect(decodeErrorBody('<html><body>502</body></html>')).toBeUndefined();
    expect(decodeErrorBody('\u0000garbage')).toBeUndefined();
    expect(decodeErrorBody('<CheckDomainResponse><Code>1</Code></CheckDomainResponse>')).toBeUndefined();
  });
});

describe('error table', () => {
  it("maps the document's and the gateway's codes to kinds", () => {
    const kinds = Object.fromEntries(
      [
        'SignatureDoesNotMatch',
        'InvalidAccessKeyId.NotFound',
        'SignatureNonceUsed',
        'ParameterIllegal',
        'InvaieldParameter',
        'MissingPageNum',
        'DomainNotExist',
        'TaskIsBeingProcessed',
        'Busy',
        'Throttling.User',
        'Forbidden.RAM',
      ].map((c) => [c, mappingFor(c, 400).kind]),
    );
    expect(kinds).toEqual({
      SignatureDoesNotMatch: 'authentication',
      'InvalidAccessKeyId.NotFound': 'authentication',
      SignatureNonceUsed: 'invalid_request',
      ParameterIllegal: 'invalid_request',
      InvaieldParameter: 'invalid_request',
      MissingPageNum: 'invalid_request',
      DomainNotExist: 'not_found',
      TaskIsBeingProcessed: 'conflict',
      Busy: 'upstream_unavailable',
      'Throttling.User': 'rate_limited',
      'Forbidden.RAM': 'permission',
    });
    expect(mappingFor('SomethingNew', 503).kind).toBe('upstream_unavailable');
  });

  it('turns an ambiguous failure of a renewal into outcome_unknown, and a refusal into a plain error', () => {
    expect(alibabaError({ code: 'NetworkIOError' }, { status: 400, operation: OPERATIONS.renew }).kind).toBe(
      'outcome_unknown',
    );
    expect(alibabaError({ code: 'InternalError' }, { status: 500, operation: OPERATIONS.renew }).kind).toBe(
      'outcome_unknown',
    );
    expect(
      alibabaError({ code: 'NetworkIOError' }, { status: 400, operation: OPERATIONS.getDomain }).kind,
    ).toBe('upstream_unavailable');
    const busy = alibabaError({ code: 'TaskIsBeingProcessed' }, { status: 400, operation: OPERATIONS.renew });
    expect(busy).toMatchObject({ kind: 'conflict', retryable: true });
  });

  it('reads task failure messages', () => {
    expect(taskFailureKind('Insufficient account balance. Please top up and try again.')).toBe(
      'insufficient_funds',
    );
    expect(
      taskFailureKind('The current expiration date does not match the expiration date of the domain name.'),
    ).toBe('conflict');
    expect(taskFailureKind('The domain name does not exist.')).toBe('not_found');
  });
});

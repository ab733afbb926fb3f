/**
 * Each codec reads its registrar's refusal of the client address, from the exact bodies the
 * simulators send (LogicBoxes' message is the one boxbilling #278 saw live), as the one
 * `permission` error that names the allow-list.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeErrorBody } from '../providers/alibaba/codec';
import { alibabaError } from '../providers/alibaba/errors';
import { decodeEnvelope as decodeDynadot } from '../providers/dynadot/codec';
import { errorFromFailure, errorFromPage } from '../providers/logicboxes/errors';
import { decodeReply } from '../providers/mrdomain/codec';
import { OPERATIONS } from '../providers/operation';
import { ALLOW_LIST_ADVICE, ALLOW_LIST_CODE } from './allow-list-refusal';
import { GatewayError } from './errors';

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

function expectAllowListRefusal(e: GatewayError | undefined, provider: string, upstreamCode: string) {
  expect(e?.kind).toBe('permission');
  expect(e?.code).toBe(ALLOW_LIST_CODE);
  expect(e?.provider).toBe(provider);
  expect(e?.upstreamCode).toBe(upstreamCode);
  expect(e?.retryable).toBe(false);
  expect(e?.message).toContain(ALLOW_LIST_ADVICE);
}

describe('the refusal of the client address, per codec', () => {
  it('LogicBoxes: the ERROR envelope "Access Denied. …" (HTTP 500), and an "Access Denied" page', () => {
    const body = JSON.parse(
      '{"status":"ERROR","message":"Access Denied. You are not authorized to perform this action."}',
    ) as { status: string; message: string };
    expectAllowListRefusal(
      errorFromFailure(body, { operation: OPERATIONS.renew, httpStatus: 500 }),
      'logicboxes',
      'ERROR',
    );
    expectAllowListRefusal(
      errorFromPage('<html><body><h1>Access Denied</h1></body></html>', {
        operation: OPERATIONS.getDomain,
        httpStatus: 403,
      }),
      'logicboxes',
      'HTTP 403',
    );
  });

  it('LogicBoxes: "not authorized" without "Access Denied" stays a plain permission refusal', () => {
    const e = errorFromFailure(
      { status: 'ERROR', message: 'You are not authorized to modify this order' },
      { operation: OPERATIONS.getDomain },
    );
    expect(e.kind).toBe('permission');
    expect(e.code).toBeUndefined();
  });

  it('Dynadot: the generic envelope with "ip address not allowed"', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <ResponseHeader>\n    <ResponseCode>-1</ResponseCode>\n    <Error>ip address not allowed</Error>\n  </ResponseHeader>\n</Response>\n';
    expectAllowListRefusal(
      thrown(() => decodeDynadot(xml, 'account_info')),
      'dynadot',
      '-1',
    );
  });

  it('Alibaba: 403 Forbidden.RAM, which also names the other cause', () => {
    const body = decodeErrorBody(
      '{"RequestId":"5E4FDE2C-7E9F-4D5A-9C28-0A6B1D2E3F40","HostId":"domain.aliyuncs.com","Code":"Forbidden.RAM","Message":"User not authorized to operate on the specified resource, or this API doesn\'t support RAM.","Recommend":"https://error-center.aliyun.com/status/search?Keyword=Forbidden.RAM&source=PopGw"}',
    );
    const e = alibabaError(body!, { status: 403, operation: OPERATIONS.renew });
    expectAllowListRefusal(e, 'alibaba', 'Forbidden.RAM');
    expect(e.message).toContain('RAM user');
  });

  it('MrDomain: errorCode 1007 "Account filtered"', () => {
    const text =
      '{"success":false,"errorCode":1007,"errorCodeMsg":"Account filtered","action":"tool\\/hello","version":"1.0.20","responseData":[]}';
    expectAllowListRefusal(
      thrown(() => decodeReply(text, z.unknown(), { operation: 'getBalance' })),
      'mrdomain',
      '1007',
    );
  });
});

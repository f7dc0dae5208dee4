// Graph-shaped errors: {error:{code,message,innerError:{date,request-id,client-request-id}}}.
import { randomUUID } from 'node:crypto';
import type { Reply } from '../context';

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Thrown by Graph handlers; the router turns it into a reply. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorReply(status: number, code: string, message: string, headers: Record<string, string> = {}, clientRequestId?: string): Reply {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': GRAPH_JSON, 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
  };
}

export const notFound = (message: string) => new GraphFailure(404, 'ResourceNotFound', message);
export const badRequest = (message: string, code = 'BadRequest') => new GraphFailure(400, code, message);
export const forbidden = (code: string, message: string) => new GraphFailure(403, code, message);

/** Graph's answer to a path it does not know. */
export function unknownSegment(segment: string): GraphFailure {
  return new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

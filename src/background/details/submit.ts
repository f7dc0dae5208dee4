// Sends the reprocess and extend entries of one batch: each entry's request at most once, paced by the
// queue's write limiter, each ending done (Graph accepted it), failed (Graph's code and words; a 403 says
// which role would allow it) or pending (no answer: it may have been accepted, so it is never resent blindly).
import type { RateLimiter } from '../../core/ratelimit';
import { GraphError, type Graph } from '../../graph/client';
import { postExtend, postReprocess } from '../../graph/details';
import type { WriteOutcome } from '../../graph/requests';
import type { ActionEntry } from '../../messages';
import { t } from '../../panel/i18n';

/** At most this many writes in flight, as for removals. */
const CONCURRENCY = 4;

export interface DetailsWriteOptions {
  graph: Graph;
  limiter: RateLimiter;
  entries: readonly ActionEntry[];
  now(): number;
  onSending(key: string): void;
  onResult(r: WriteOutcome): void;
}

/** Why Graph refused with 403, in words an admin can act on. */
export function forbiddenExplanation(kind: 'reprocess' | 'extend', e: Pick<GraphError, 'code' | 'message'>): string {
  return t(kind === 'reprocess' ? 'details_forbidden_reprocess' : 'details_forbidden_extend', { code: e.code, message: e.message });
}

export async function submitDetailsWrites(o: DetailsWriteOptions): Promise<void> {
  const queue = [...o.entries];
  const one = async (e: ActionEntry): Promise<void> => {
    const release = await o.limiter.acquire();
    o.onSending(e.key);
    try {
      if (e.kind === 'reprocess') {
        await postReprocess(o.graph, e.reprocessRequestId ? { kind: 'request', id: e.reprocessRequestId } : { kind: 'assignment', id: e.key });
        o.onResult({ key: e.key, result: 'done', requestId: '', state: '', status: '' });
      } else {
        const r = await postExtend(o.graph, e.key, new Date(o.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), e.end ?? '');
        o.onResult({ key: e.key, result: 'done', requestId: r.id, state: r.state, status: r.status });
      }
    } catch (err) {
      if (err instanceof GraphError && err.code === 'NetworkError') {
        o.onResult({ key: e.key, result: 'pending', message: t('details_no_answer', { message: err.message }) });
      } else if (err instanceof GraphError) {
        const kind = e.kind === 'reprocess' ? 'reprocess' : 'extend';
        o.onResult({
          key: e.key,
          result: 'failed',
          status: err.status,
          code: err.code,
          message: err.message,
          ...(err.status === 403 ? { explanation: forbiddenExplanation(kind, err) } : {}),
        });
      } else {
        o.onResult({ key: e.key, result: 'failed', status: 0, code: 'Error', message: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      release();
    }
  };
  const worker = async (): Promise<void> => {
    for (let e = queue.shift(); e !== undefined; e = queue.shift()) await one(e);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(CONCURRENCY, queue.length)) }, worker));
}

// The access check's worker dependencies: tokens with the check's scopes (asked for on the first check, like
// the write scope on the first write) and the package's last complete list from the worker's cache.
import type { Row } from '../../core/model';
import { createGraph, type Graph } from '../../graph/client';
import { listCache } from '../cache';
import { cacheScope } from '../session';
import { readSettings } from '../settings';
import { AuthRequiredError, type TokenManager } from '../tokens';
import { AccessService } from './service';

export function createAccessService(tokens: Pick<TokenManager, 'token'>): AccessService {
  return new AccessService({
    async ensureAccess() {
      try {
        await tokens.token({ access: true });
      } catch (e) {
        if (!(e instanceof AuthRequiredError)) throw e;
        // First check: consent to the extra read permissions. Refused: the resources report "no permission".
        await tokens.token({ access: true, interactive: true }).catch(() => undefined);
      }
    },
    async graph(): Promise<Graph> {
      const { cloud } = await readSettings();
      return createGraph({ cloud, getToken: (o) => tokens.token({ access: true, forceRefresh: o.forceRefresh }).catch(() => tokens.token({ forceRefresh: o.forceRefresh })) });
    },
    async rows(packageId: string): Promise<readonly Row[] | null> {
      const settings = await readSettings();
      const cached = await listCache.get(cacheScope(settings), packageId).catch(() => undefined);
      return cached?.rows ?? null;
    },
  });
}

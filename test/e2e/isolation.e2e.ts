// Least privilege and isolation, in the real browser: tokens never reach the portal page, the panel or
// anything a content script can read; the worker does nothing for a page script, an extension page that is
// not a portal panel, or a message of the wrong shape.
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { DASHBOARD_ROUTE } from '../tenant';
import { CHROME_DIST, waitForLoaded } from '../support/browser';
import { BROWSER, CLIENT_ID, clickInPanel, IDS, setup, type Fixture } from './harness';
import { exportAll, expectedIds, graphRequests, idsOf, rowCount, sleep, waitForNextLoad } from './fault-support';

/** Every JWT the demo tenant issues (access and id tokens) starts with a `{"typ":"JWT",…` header. */
const JWT_HEADER = /eyJ0eXAiOiJKV1Qi/;

/**
 * The content scripts' isolated world of the extension in a portal page, reached over CDP (puppeteer's own
 * API cannot evaluate there). Chromium only.
 */
class ContentWorld {
  private contexts = new Map<number, { origin: string; isolated: boolean }>();
  private constructor(private readonly cdp: CDPSession, private readonly origin: string) {
    cdp.on('Runtime.executionContextCreated', (e) =>
      this.contexts.set(e.context.id, { origin: e.context.origin, isolated: e.context.auxData?.type === 'isolated' }));
    cdp.on('Runtime.executionContextDestroyed', (e) => this.contexts.delete(e.executionContextId));
    cdp.on('Runtime.executionContextsCleared', () => this.contexts.clear());
  }

  static async attach(page: Page, extensionOrigin: string): Promise<ContentWorld> {
    const world = new ContentWorld(await page.createCDPSession(), extensionOrigin);
    await world.cdp.send('Runtime.enable');
    return world;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    let id: number | undefined;
    while ((id = [...this.contexts].find(([, c]) => c.isolated && c.origin === this.origin)?.[0]) === undefined) {
      if (Date.now() > deadline) throw new Error('no content-script world in this page');
      await sleep(50);
    }
    const r = await this.cdp.send('Runtime.evaluate', { contextId: id, expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`content world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }
}

/**
 * Records every message that reaches the content-script world from the extension: events on every Port
 * the panel opens (reconnects included), replies to runtime.sendMessage, and runtime.onMessage. Installed
 * before the panel bundle is injected, from the outside: nothing in the product is changed for it.
 */
const RECORD_MESSAGES = `(() => {
  const seen = (globalThis.__seenMessages = []);
  const rt = chrome.runtime;
  const connect = rt.connect.bind(rt);
  rt.connect = (...args) => {
    const port = connect(...args);
    port.onMessage.addListener((m) => seen.push(JSON.stringify(m)));
    return port;
  };
  const send = rt.sendMessage.bind(rt);
  rt.sendMessage = (...args) => {
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    return send(...args, (reply) => {
      seen.push(JSON.stringify(reply ?? null));
      if (cb) cb(reply);
    });
  };
  rt.onMessage.addListener((m) => { seen.push(JSON.stringify(m)); });
  return true;
})()`;

/** Whatever a content script can see of the world's globals (strings and plain data; DOM aside). */
const DUMP_GLOBALS = `(() => Object.keys(globalThis).map((k) => {
  try {
    const v = globalThis[k];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && v !== globalThis && !(v instanceof Node)) return JSON.stringify(v);
  } catch {}
  return '';
}).join('\\n'))()`;

async function panelAndPageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="assignment-panel-host"]');
    const inputs = [...(host?.shadowRoot?.querySelectorAll('input, textarea') ?? [])].map((el) => (el as HTMLInputElement).value);
    return [
      document.documentElement.outerHTML,
      host?.shadowRoot?.innerHTML ?? '',
      ...inputs,
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      window.name,
    ].join('\n');
  });
}

/** What the extension keeps where a content script can read it (storage.local) and its IndexedDB caches. */
async function extensionStorageText(f: Fixture): Promise<string> {
  return f.launched.evaluateInExtension(async () => {
    const local = JSON.stringify(await chrome.storage.local.get(null));
    const idb = await new Promise<string>((resolve) => {
      const open = indexedDB.open('assignments-overlay');
      open.onerror = () => resolve('');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('cache')) return resolve('');
        const all = db.transaction('cache').objectStore('cache').getAll();
        all.onsuccess = () => resolve(JSON.stringify(all.result));
        all.onerror = () => resolve('');
      };
    });
    return `${local}\n${idb}`;
  });
}

/** The browser's HTTP disk cache in a profile (Chromium: Default/Cache; Firefox: cache2), and its files' bytes as text. */
function httpCacheText(profileDir: string): { dirs: string[]; text: string } {
  const dirs = [path.join(profileDir, 'Default', 'Cache'), path.join(profileDir, 'cache2')].filter((d) => fs.existsSync(d));
  const parts: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) parts.push(fs.readFileSync(p).toString('latin1'));
    }
  };
  dirs.forEach(walk);
  return { dirs, text: parts.join('\n') };
}

/**
 * The secrets the auth broker holds (MSAL's cache in its sessionStorage: access, refresh and id tokens).
 * Chromium: the offscreen document; Firefox: the event page.
 */
async function brokerSecrets(f: Fixture): Promise<string[]> {
  // MSAL keeps one JSON entry per credential, with the token itself in `secret`.
  const read = (storage: Storage): string[] => {
    const out: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      try {
        const v = JSON.parse(storage.getItem(storage.key(i)!) ?? '') as { secret?: unknown; credentialType?: unknown };
        if (typeof v?.secret === 'string' && typeof v.credentialType === 'string') out.push(v.secret);
      } catch {
        // not a cache entry
      }
    }
    return out;
  };
  if (BROWSER === 'chrome') {
    const target = await f.launched.browser.waitForTarget((t) => t.url().endsWith('/offscreen.html'), { timeout: 10_000 });
    const session = await target.createCDPSession();
    const r = await session.send('Runtime.evaluate', { expression: `(${read.toString()})(sessionStorage)`, returnByValue: true });
    await session.detach();
    return r.result.value as string[];
  }
  // Firefox: the event page is the broker; an extension page of the same origin can read its sessionStorage.
  return f.launched.evaluateInExtension(async () => {
    const api = (globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window> } } }).browser;
    const storage = (await api.runtime.getBackgroundPage()).sessionStorage;
    const out: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      try {
        const v = JSON.parse(storage.getItem(storage.key(i)!) ?? '') as { secret?: unknown; credentialType?: unknown };
        if (typeof v?.secret === 'string' && typeof v.credentialType === 'string') out.push(v.secret);
      } catch {
        // not a cache entry
      }
    }
    return out;
  });
}

describe('tokens live only in the worker and the auth broker', () => {
  let f: Fixture;
  afterAll(() => f?.close());

  it('after sign-in, load, refresh with a token renewal, export and sign-out, no token is anywhere a page, panel or content script can see', async () => {
    f = await setup({ size: 120, pageSize: 30 }); // ssoSession 'cookie': the admin clicks Sign in
    const origin = f.launched.extensionOrigin;
    const bearer: string[] = [];
    let world: ContentWorld | null = null;
    if (BROWSER === 'chrome') {
      // The access tokens the worker actually sent to Graph.
      const worker = await f.launched.worker();
      worker.client.on('Network.requestWillBeSent', (e) => {
        const h = e.request.headers;
        const auth = h.Authorization ?? h.authorization;
        if (auth) bearer.push(auth.replace(/^Bearer\s+/i, ''));
      });
      await worker.client.send('Network.enable');
    }

    // A portal page without a package: only the content script runs. Record what reaches its world.
    await f.page.goto(`https://entra.microsoft.com/${DASHBOARD_ROUTE}`);
    if (BROWSER === 'chrome') {
      world = await ContentWorld.attach(f.page, origin);
      expect(await world.evaluate<boolean>(RECORD_MESSAGES)).toBe(true);
    }
    await f.page.evaluate((hash) => (location.hash = hash), new URL(f.tenant.portalUrl(IDS.mainPackage)).hash);
    await clickInPanel(f.page, 'sign-in');
    const first = await waitForLoaded(f.page);
    expect(first.error).toBeNull();
    expect(first.total).toBe(expectedIds(f, IDS.mainPackage).length);

    // A refresh during which every token expires: the broker renews with its refresh token.
    const renewed = await waitForNextLoad(f.page, async () => {
      f.tenant.configure({ expireTokensAfter: 2 });
      await clickInPanel(f.page, 'refresh');
    });
    expect(renewed.error).toBeNull();
    expect(f.tenant.stats.expiredTokenRejections).toBeGreaterThan(0);
    const csv = await exportAll(f.page, f.launched.downloadDir);
    expect(idsOf(csv)).toEqual(expectedIds(f, IDS.mainPackage));

    // The secrets to look for: what the broker holds now, what the worker sent, what the tenant saw redeemed.
    const held = await brokerSecrets(f);
    // Not vacuous: the broker holds JWTs (access and id tokens) and an opaque refresh token.
    expect(held.some((s) => JWT_HEADER.test(s))).toBe(true);
    expect(held.some((s) => !JWT_HEADER.test(s) && s.length >= 16)).toBe(true);
    const secrets = new Set<string>([...held, ...bearer]);
    for (const e of f.tenant.log) {
      const body = e.body as Record<string, unknown> | undefined;
      if (e.path.endsWith('/oauth2/v2.0/token') && body && typeof body === 'object') {
        for (const k of ['refresh_token', 'code', 'code_verifier']) if (typeof body[k] === 'string') secrets.add(body[k] as string);
      }
    }
    const list = [...secrets].filter((s) => s.length >= 16);
    // …and the refresh token was really used (a renewal happened mid-session).
    expect(f.tenant.log.some((e) => (e.body as Record<string, unknown> | undefined)?.grant_type === 'refresh_token')).toBe(true);
    if (BROWSER === 'chrome') expect(bearer.length).toBeGreaterThan(3);

    const haystacks: Record<string, string> = {
      'page and panel DOM, page storage': await panelAndPageText(f.page),
      'the CSV': csv.raw,
      'storage.local and the IndexedDB cache': await extensionStorageText(f),
    };
    if (world) {
      // A content script asking the broker directly gets nothing (the broker answers only the worker).
      const asked = await world.evaluate<string>(`new Promise((resolve) => chrome.runtime.sendMessage(
        { target: 'broker', type: 'silent-token', scopes: ['https://graph.microsoft.com/User.Read.All'],
          config: { clientId: ${JSON.stringify(CLIENT_ID)}, authority: 'https://login.microsoftonline.com/${IDS.tenant}',
                    redirectUri: 'https://${f.launched.extensionId}.chromiumapp.org/' } },
        (r) => { void chrome.runtime.lastError; resolve(JSON.stringify(r ?? null)); }))`);
      expect(asked).toBe('null');
      // storage.session (where a token might be parked) is not even readable from a content script.
      const session = await world.evaluate<string>(`chrome.storage.session.get(null).then((v) => 'readable ' + JSON.stringify(v), (e) => 'refused')`);
      expect(session).toBe('refused');
      const seen = await world.evaluate<string[]>('globalThis.__seenMessages');
      // Not vacuous: the recorder saw the panel's whole conversation (auth, rows, load-done).
      expect(seen.some((m) => m.includes('"type":"rows"') || m.includes('"type":"rows-packed"'))).toBe(true);
      expect(seen.some((m) => m.includes('"type":"load-done"'))).toBe(true);
      expect(seen.some((m) => m.includes('"status":"signed-in"'))).toBe(true);
      haystacks['every message that reached the content-script world'] = seen.join('\n');
      haystacks["the content-script world's globals"] = await world.evaluate<string>(DUMP_GLOBALS);
    }

    await clickInPanel(f.page, 'sign-out');
    await f.page.waitForFunction(
      () => document.querySelector('[data-testid="assignment-panel-host"]')?.shadowRoot
        ?.querySelector('[data-testid="auth-state"]')?.getAttribute('data-status') === 'signed-out',
      { timeout: 20_000 },
    );
    haystacks['page and panel DOM after sign-out'] = await panelAndPageText(f.page);
    haystacks['extension storage after sign-out'] = await extensionStorageText(f);
    if (world) haystacks['messages after sign-out'] = (await world.evaluate<string[]>('globalThis.__seenMessages')).join('\n');

    for (const [where, text] of Object.entries(haystacks)) {
      expect({ where, jwt: JWT_HEADER.test(text) }).toEqual({ where, jwt: false });
      for (const secret of list) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
    }
    // Sign-out forgets: the broker holds no token any more, the cached lists are gone.
    expect(await brokerSecrets(f)).toEqual([]);
    const rowIds = expectedIds(f, IDS.mainPackage);
    expect(haystacks['storage.local and the IndexedDB cache'].includes(rowIds[0])).toBe(true); // the cache was there
    expect(rowIds.filter((id) => haystacks['extension storage after sign-out'].includes(id))).toEqual([]);
  });
});

describe('the worker does nothing for a page script, a foreign extension context, or a malformed message', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup({ size: 60, ssoSession: 'always', pageSize: 30 });
    await f.page.goto(f.tenant.portalUrl(IDS.mainPackage));
    const counts = await waitForLoaded(f.page);
    expect(counts.error).toBeNull();
    await sleep(500); // let enrichment and the role check settle so the log starts quiet
  });
  afterAll(() => f?.close());

  it("Graph's answers are not in the browser's HTTP cache, which sign-out does not clear", async () => {
    await sleep(1500); // the disk cache writes behind the responses
    const cache = httpCacheText(f.launched.profileDir);
    expect(cache.dirs.length).toBeGreaterThan(0); // the search below is of the browser's real cache
    const ids = expectedIds(f, IDS.mainPackage);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => cache.text.includes(id))).toEqual([]);
  });

  it("a page script cannot reach the extension: no runtime API, and postMessage / DOM events are ignored", async () => {
    f.tenant.resetLog();
    const outcome = await f.page.evaluate(async (extensionId, financeId, mainId) => {
      const results: string[] = [];
      const g = globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown; connect?: unknown } }; browser?: unknown };
      results.push(`browser:${typeof g.browser}`);
      const runtime = g.chrome?.runtime;
      if (runtime && typeof runtime.sendMessage === 'function') {
        try {
          await (runtime.sendMessage as (id: string, m: unknown) => Promise<unknown>)(extensionId, { type: 'open', packageId: financeId });
          results.push('sendMessage:answered');
        } catch {
          results.push('sendMessage:refused');
        }
      } else results.push('sendMessage:absent');
      if (runtime && typeof runtime.connect === 'function') {
        try {
          const port = (runtime.connect as (id: string, i: unknown) => { postMessage(m: unknown): void })(extensionId, { name: 'panel' });
          port.postMessage({ type: 'open', packageId: financeId, refresh: true });
          results.push('connect:opened');
        } catch {
          results.push('connect:refused');
        }
      } else results.push('connect:absent');
      // Messages a confused content script might listen to.
      for (const msg of [
        { type: 'open', packageId: financeId, refresh: true },
        { type: 'remove', batchId: 'x', packageId: mainId, assignmentIds: ['a'], filter: '' },
        { type: 'inject-panel' },
        { target: 'broker', type: 'silent-token' },
      ]) {
        window.postMessage(msg, '*');
        document.dispatchEvent(new CustomEvent('message', { detail: msg }));
      }
      // A look-alike panel host does not fool anyone into anything either.
      const fake = document.createElement('div');
      fake.id = 'look-alike';
      fake.setAttribute('data-testid', 'assignment-panel-host');
      document.body.appendChild(fake);
      return results;
    }, f.launched.extensionId, IDS.financePackage, IDS.mainPackage);
    // No extension API in the page's world (no externally_connectable); an error if it were there.
    expect(outcome).toEqual(['browser:undefined', 'sendMessage:absent', 'connect:absent']);
    await sleep(1500);
    expect(graphRequests(f.tenant.log)).toEqual([]);
    // The real panel still shows the package it showed.
    const counts = await rowCount(f.page);
    expect(counts.total).toBe(expectedIds(f, IDS.mainPackage).length);
    await f.page.evaluate(() => document.getElementById('look-alike')?.remove());
  });

  it('an extension page that is not a portal panel gets no panel session and no injection', async () => {
    f.tenant.resetLog();
    const options = await f.launched.openExtensionPage('options.html');
    const outcome = await options.evaluate(async (financeId) => {
      const port = chrome.runtime.connect({ name: 'panel' });
      const disconnected = new Promise<string>((resolve) => port.onDisconnect.addListener(() => resolve('disconnected')));
      const answered = new Promise<string>((resolve) => port.onMessage.addListener(() => resolve('answered')));
      port.postMessage({ type: 'open', packageId: financeId, refresh: true });
      const portResult = await Promise.race([disconnected, answered, new Promise<string>((r) => setTimeout(() => r('silent'), 2000))]);
      const injected = await new Promise<string>((resolve) => {
        chrome.runtime.sendMessage({ type: 'inject-panel' }, (reply: unknown) => {
          void chrome.runtime.lastError;
          resolve(JSON.stringify(reply ?? null));
        });
      });
      return { portResult, injected };
    }, IDS.financePackage);
    await options.close();
    expect(outcome).toEqual({ portResult: 'disconnected', injected: 'null' });
    await sleep(500);
    expect(graphRequests(f.tenant.log)).toEqual([]);
  });

  if (BROWSER === 'chrome') {
    it("the panel asks the worker for its messages and never the i18n API: every key, with the API's own text", async () => {
      // A new portal page without a package: only the content script runs, and its world is watched before the
      // panel is injected: what reaches it (RECORD_MESSAGES, the worker's answer among it) and every ask of getMessage.
      const page = await f.launched.browser.newPage();
      try {
        await page.goto(`https://entra.microsoft.com/${DASHBOARD_ROUTE}`);
        const world = await ContentWorld.attach(page, f.launched.extensionOrigin);
        expect(await world.evaluate<boolean>(RECORD_MESSAGES)).toBe(true);
        await world.evaluate(`(() => {
          const w = (globalThis.__i18nAsked = { n: 0 });
          const getMessage = chrome.i18n.getMessage.bind(chrome.i18n);
          chrome.i18n.getMessage = (...args) => (w.n++, getMessage(...args));
        })()`);
        await page.evaluate((hash) => (location.hash = hash), new URL(f.tenant.portalUrl(IDS.mainPackage)).hash);
        expect((await waitForLoaded(page)).error).toBeNull();
        const watch = await world.evaluate<{ asked: number; count: number; differ: string[] }>(`(() => {
          const asked = globalThis.__i18nAsked.n;
          const handed = globalThis.__seenMessages.map((m) => JSON.parse(m)).find((r) => r && !r.type && r.messages);
          const m = (handed && handed.messages) || {};
          const keys = Object.keys(m);
          return { asked, count: keys.length, differ: keys.filter((k) => chrome.i18n.getMessage(k) !== m[k]) };
        })()`);
        // So the portal page never makes the API's first, synchronous ask (src/background/catalogue.ts).
        const catalogue = JSON.parse(fs.readFileSync(path.join(CHROME_DIST, '_locales', 'en', 'messages.json'), 'utf8')) as Record<string, { message: string }>;
        const keys = Object.values(catalogue).filter((v) => v.message !== '');
        expect(watch).toEqual({ asked: 0, count: keys.length, differ: [] });
      } finally {
        await page.close();
      }
    });

    it('a message of the wrong shape on a real panel port is dropped; the right shape still works', async () => {
      const world = await ContentWorld.attach(f.page, f.launched.extensionOrigin);
      f.tenant.resetLog();
      const bad = [
        null,
        'open',
        [],
        42,
        { type: 'open' },
        { type: 'open', packageId: IDS.financePackage.toUpperCase() + "' or 1 eq 1" },
        { type: 'open', packageId: '../users' },
        { type: 'open', packageId: { toString: null } },
        { type: 'open', packageId: IDS.financePackage, refresh: 'yes' },
        { type: 'OPEN', packageId: IDS.financePackage },
        { type: 'remove', batchId: 'b1', packageId: IDS.mainPackage, assignmentIds: 'all', filter: '' },
        { type: 'remove', batchId: 'b2', packageId: IDS.mainPackage, assignmentIds: [1, 2], filter: '' },
        { type: 'remove', batchId: 'b3', packageId: 'not-a-guid', assignmentIds: ['x'], filter: '' },
        { type: 'add', batchId: 'b4', packageId: IDS.mainPackage, policyId: IDS.policies.direct, userIds: 'everyone' },
        { type: 'retry-actions' },
        { type: 'search-users', query: 'x'.repeat(500), seq: 1 },
        { type: 'search-users', query: 'adm', seq: '1' },
        { type: 'delivery-status', assignmentIds: Array.from({ length: 600 }, (_, i) => `id${i}`) },
        { type: 'action-log', packageId: 'x' },
        { type: '__proto__', packageId: IDS.financePackage },
      ];
      const result = await world.evaluate<{ events: string[]; alive: boolean }>(`new Promise((resolve) => {
        const port = chrome.runtime.connect({ name: 'panel' });
        const events = [];
        port.onMessage.addListener((m) => events.push(m && m.type));
        let alive = true;
        port.onDisconnect.addListener(() => { alive = false; });
        for (const m of ${JSON.stringify(bad)}) port.postMessage(m);
        setTimeout(() => { resolve({ events, alive }); port.disconnect(); }, 1500);
      })`);
      // The worker kept the port open and answered nothing but its greeting.
      expect(result.alive).toBe(true);
      expect(result.events.filter((t) => !['auth', 'roles', 'actions'].includes(t))).toEqual([]);
      expect(graphRequests(f.tenant.log)).toEqual([]);

      // The same port with a well-formed request does fetch: the drop above was the shape check.
      const ok = await world.evaluate<string[]>(`new Promise((resolve) => {
        const port = chrome.runtime.connect({ name: 'panel' });
        const events = [];
        port.onMessage.addListener((m) => {
          events.push(m.type);
          if (m.type === 'load-done') { resolve(events); port.disconnect(); }
        });
        port.postMessage({ type: 'open', packageId: '${IDS.financePackage}', refresh: true });
        setTimeout(() => resolve(events), 20000);
      })`);
      expect(ok).toContain('load-done');
      const listings = graphRequests(f.tenant.log).filter((e) => e.path.endsWith('/assignments'));
      expect(listings.length).toBeGreaterThan(0);
      expect(listings.every((e) => (e.query.$filter ?? '').includes(IDS.financePackage))).toBe(true);
    });
  }
});

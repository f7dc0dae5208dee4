// Who the worker and the auth broker listen to, and what shapes they accept. A page script or a look-alike
// sender must never make the worker fetch, inject or write, and never get a token from the broker.
import fc from 'fast-check';
import type { Runtime } from 'webextension-polyfill';
import { isContentRequest, parsePanelRequest, PANEL_PORT, type PanelRequest } from '../../../src/messages';
import { ALL_PORTAL_HOSTS } from '../../../src/core/clouds';

const EXT_ID = 'gdpfeilmlaaclpfmpbohpljmphfjchgl';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PKG = 'a1b2c3d4-e5f6-4789-8abc-def012345678';

// ---------------------------------------------------------------- parsePanelRequest

/** The keys each request type may carry after parsing: nothing else from the sender gets through. */
const ALLOWED_KEYS: Record<PanelRequest['type'], string[]> = {
  open: ['type', 'packageId', 'refresh'],
  cancel: ['type'],
  'sign-in': ['type'],
  'sign-out': ['type'],
  ping: ['type'],
  remove: ['type', 'batchId', 'packageId', 'assignmentIds', 'filter'],
  add: ['type', 'batchId', 'packageId', 'policyId', 'userIds', 'start', 'end'],
  'retry-actions': ['type', 'batchId'],
  'search-users': ['type', 'query', 'seq'],
  'delivery-status': ['type', 'assignmentIds'],
  'action-log': ['type', 'packageId'],
  'check-access': ['type', 'packageId'],
  'recheck-access': ['type', 'packageId', 'assignmentIds'],
  'details-open': ['type', 'seq', 'packageId', 'assignmentId', 'objectId', 'policyId'],
  'details-close': ['type'],
  'details-plan': ['type', 'seq', 'kind', 'packageId', 'assignmentIds'],
  reprocess: ['type', 'batchId', 'packageId', 'assignmentIds', 'labels'],
  extend: ['type', 'batchId', 'packageId', 'assignmentIds', 'end', 'labels'],
  review: ['type', 'request'],
  overview: ['type', 'request'],
};

const guidArb = fc.uuid();
const strs = (max: number) => fc.array(fc.string({ maxLength: 40 }), { maxLength: max });

/** Every well-formed request, as the panel sends it. */
const validRequest: fc.Arbitrary<PanelRequest> = fc.oneof(
  fc.record({ type: fc.constant('open' as const), packageId: guidArb, refresh: fc.option(fc.boolean(), { nil: undefined }) }),
  fc.constantFrom<PanelRequest>({ type: 'cancel' }, { type: 'sign-in' }, { type: 'sign-out' }, { type: 'ping' }),
  fc.record({ type: fc.constant('remove' as const), batchId: fc.string(), packageId: guidArb, assignmentIds: strs(30), filter: fc.string() }),
  fc.record({
    type: fc.constant('add' as const),
    batchId: fc.string(),
    packageId: guidArb,
    policyId: fc.string(),
    userIds: strs(30),
    start: fc.option(fc.string(), { nil: null }),
    end: fc.option(fc.string(), { nil: null }),
  }),
  fc.record({ type: fc.constant('retry-actions' as const), batchId: fc.string() }),
  fc.record({ type: fc.constant('search-users' as const), query: fc.string({ maxLength: 200 }), seq: fc.integer() }),
  fc.record({ type: fc.constant('delivery-status' as const), assignmentIds: strs(30) }),
  fc.record({ type: fc.constant('action-log' as const), packageId: guidArb }),
  fc.record({ type: fc.constant('check-access' as const), packageId: guidArb }),
  fc.record({ type: fc.constant('recheck-access' as const), packageId: guidArb, assignmentIds: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 30 }) }),
  fc.record({ type: fc.constant('details-open' as const), seq: fc.integer(), packageId: guidArb, assignmentId: fc.string({ maxLength: 100 }), objectId: fc.option(guidArb, { nil: null }), policyId: fc.string() }),
  fc.constant<PanelRequest>({ type: 'details-close' }),
  fc.record({ type: fc.constant('details-plan' as const), seq: fc.integer(), kind: fc.constantFrom('reprocess' as const, 'extend' as const), packageId: guidArb, assignmentIds: strs(30) }),
  fc.record({ type: fc.constant('reprocess' as const), batchId: fc.string(), packageId: guidArb, assignmentIds: strs(30) }),
  fc.record({ type: fc.constant('extend' as const), batchId: fc.string(), packageId: guidArb, assignmentIds: strs(30), end: fc.constant('2030-01-01T23:59:59Z') }),
);

/** Messages a hostile or buggy sender might post: right type names with wrong field types, extra fields, junk. */
const hostileMessage: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.record(
    {
      type: fc.constantFrom(...Object.keys(ALLOWED_KEYS), 'OPEN', '__proto__', 'constructor', 'inject-panel'),
      packageId: fc.oneof(guidArb, fc.string(), fc.anything(), fc.constant(`${PKG}' or 1 eq 1`)),
      batchId: fc.anything(),
      assignmentIds: fc.oneof(strs(5), fc.anything()),
      userIds: fc.oneof(strs(5), fc.anything()),
      policyId: fc.anything(),
      filter: fc.anything(),
      query: fc.anything(),
      seq: fc.anything(),
      refresh: fc.anything(),
      start: fc.anything(),
      end: fc.anything(),
      token: fc.string(),
      url: fc.webUrl(),
    },
    { requiredKeys: ['type'] },
  ),
);

describe('parsePanelRequest: what the worker accepts on a panel port', () => {
  it('accepts every well-formed request exactly as sent', () => {
    fc.assert(
      fc.property(validRequest, (req) => {
        const parsed = parsePanelRequest(JSON.parse(JSON.stringify(req)));
        const expected: Record<string, unknown> = { ...req };
        if (req.type === 'add') {
          expected.start = req.start ?? null;
          expected.end = req.end ?? null;
        }
        expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 500 },
    );
  });

  it('for anything else returns null or a request of a known type, with only its own fields, of the right types', () => {
    fc.assert(
      fc.property(hostileMessage, (msg) => {
        const r = parsePanelRequest(msg);
        if (r === null) return;
        expect(Object.keys(ALLOWED_KEYS)).toContain(r.type);
        for (const k of Object.keys(r)) expect(ALLOWED_KEYS[r.type]).toContain(k);
        // Fields that end up in Graph URLs or request bodies are the types the worker relies on.
        if ('packageId' in r && r.type !== 'add' && r.type !== 'remove') expect(r.packageId).toMatch(GUID);
        if (r.type === 'remove' || r.type === 'add') expect(r.packageId).toMatch(GUID);
        if (r.type === 'remove') expect(r.assignmentIds.every((x) => typeof x === 'string')).toBe(true);
        if (r.type === 'add') {
          expect(r.userIds.every((x) => typeof x === 'string')).toBe(true);
          expect(r.userIds.length).toBeLessThanOrEqual(1000);
          expect(typeof r.policyId).toBe('string');
        }
        if (r.type === 'delivery-status') expect(r.assignmentIds.length).toBeLessThanOrEqual(500);
        if (r.type === 'search-users') expect(r.query.length).toBeLessThanOrEqual(200);
        if (r.type === 'open' && r.refresh !== undefined) expect(typeof r.refresh).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'open'],
    ['an array', [{ type: 'open', packageId: PKG }]],
    ['no type', { packageId: PKG }],
    ['an unknown type', { type: 'fetch', url: 'https://graph.microsoft.com/v1.0/users' }],
    ['a type in another case', { type: 'OPEN', packageId: PKG }],
    ['an OData injection in the package id', { type: 'open', packageId: `${PKG}' or 1 eq 1` }],
    ['a path in the package id', { type: 'open', packageId: '../../users' }],
    ['a package id that is not a string', { type: 'open', packageId: { toString: () => PKG } }],
    ['refresh that is not a boolean', { type: 'open', packageId: PKG, refresh: 'true' }],
    ['removal ids that are not strings', { type: 'remove', batchId: 'b', packageId: PKG, assignmentIds: [1, 2], filter: '' }],
    ['removal of "all"', { type: 'remove', batchId: 'b', packageId: PKG, assignmentIds: 'all', filter: '' }],
    ['removal without a batch id', { type: 'remove', packageId: PKG, assignmentIds: ['a'], filter: '' }],
    ['removal in a package that is not a GUID', { type: 'remove', batchId: 'b', packageId: 'x', assignmentIds: ['a'], filter: '' }],
    ['an add of more than 1000 users', { type: 'add', batchId: 'b', packageId: PKG, policyId: 'p', userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) }],
    ['an add with a dated start that is not a string', { type: 'add', batchId: 'b', packageId: PKG, policyId: 'p', userIds: ['u'], start: 5 }],
    ['a search longer than 200 characters', { type: 'search-users', query: 'x'.repeat(201), seq: 1 }],
    ['a search without a numeric seq', { type: 'search-users', query: 'adm', seq: '1' }],
    ['delivery status of more than 500 ids', { type: 'delivery-status', assignmentIds: Array.from({ length: 501 }, (_, i) => `a${i}`) }],
    ['an action log of a package that is not a GUID', { type: 'action-log', packageId: "x' or 1 eq 1" }],
  ])('refuses %s', (_name, msg) => {
    expect(parsePanelRequest(msg)).toBeNull();
  });

  it('drops extra fields: a smuggled token or URL never reaches the handler', () => {
    const r = parsePanelRequest({ type: 'open', packageId: PKG, url: 'https://evil.example/', token: 'x', headers: { Authorization: 'y' } });
    expect(r).toEqual({ type: 'open', packageId: PKG, refresh: undefined });
    expect(parsePanelRequest({ type: 'ping', then: 'x' })).toEqual({ type: 'ping' });
  });
});

describe('isContentRequest: the two one-shot messages of the content-script world', () => {
  it('accepts only {type: "inject-panel"} and {type: "panel-messages"}', () => {
    expect(isContentRequest({ type: 'inject-panel' })).toBe(true);
    expect(isContentRequest({ type: 'panel-messages' })).toBe(true);
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const type = !!v && typeof v === 'object' ? (v as { type?: unknown }).type : undefined;
        expect(isContentRequest(v)).toBe(type === 'inject-panel' || type === 'panel-messages');
      }),
    );
    for (const v of [null, 'inject-panel', { type: 'Inject-Panel' }, { type: ['inject-panel'] }, { type: 'panel-Messages' }]) expect(isContentRequest(v)).toBe(false);
  });
});

// ---------------------------------------------------------------- the worker's senders and ports

interface FakePort {
  name: string;
  sender?: Runtime.MessageSender;
  disconnected: boolean;
  posted: unknown[];
  disconnect(): void;
  postMessage(m: unknown): void;
  onMessage: { addListener(cb: (m: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
  deliver(m: unknown): void;
}

function fakePort(name: string, sender?: Runtime.MessageSender): FakePort {
  const listeners: Array<(m: unknown) => void> = [];
  return {
    name,
    sender,
    disconnected: false,
    posted: [],
    disconnect() {
      this.disconnected = true;
    },
    postMessage(m) {
      this.posted.push(m);
    },
    onMessage: { addListener: (cb) => listeners.push(cb) },
    onDisconnect: { addListener: () => undefined },
    deliver(m) {
      for (const cb of listeners) cb(m);
    },
  };
}

describe('the worker: senders it listens to', () => {
  type WorkerModule = typeof import('../../../src/background/worker');
  let worker: WorkerModule;
  let onMessage: (msg: unknown, sender: Runtime.MessageSender) => unknown;
  let onConnect: (port: FakePort) => void;
  const executeScript = jest.fn(async () => [{}]);
  const brokerSend = jest.fn(async () => ({ ok: false as const, errorCode: 'no_account', message: 'Not signed in.' }));
  const fetchSpy = jest.fn(async () => new Response('{}'));
  const realFetch = globalThis.fetch;

  beforeAll(() => {
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
    jest.doMock('webextension-polyfill', () => ({
      __esModule: true,
      default: {
        runtime: {
          id: EXT_ID,
          onMessage: { addListener: (cb: typeof onMessage) => (onMessage = cb) },
          onConnect: { addListener: (cb: typeof onConnect) => (onConnect = cb) },
        },
        identity: { getRedirectURL: () => `https://${EXT_ID}.chromiumapp.org/`, launchWebAuthFlow: jest.fn() },
        storage: {
          local: { get: async () => ({ settings: { clientId: 'c', tenantId: 'organizations', cloud: 'global', staleAfterDays: 90 } }), set: async () => undefined },
          managed: { get: async () => ({}) },
          onChanged: { addListener: () => undefined },
        },
        scripting: { executeScript },
        i18n: { getMessage: (key: string) => (key === 'header_title' ? 'Assignments' : '') },
      },
    }));
    // A require after doMock: esbuild does not hoist jest.mock, and jest's import() needs VM modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    worker = require('../../../src/background/worker') as WorkerModule;
    worker.startWorker({ broker: { send: brokerSend } });
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
    jest.dontMock('webextension-polyfill');
  });

  const portal = (url: string, extra: Partial<Runtime.MessageSender> = {}): Runtime.MessageSender => ({
    id: EXT_ID,
    url,
    tab: { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false },
    frameId: 0,
    ...extra,
  });

  it('trusts this extension’s content script on every portal host of every cloud, over https only', () => {
    for (const host of ALL_PORTAL_HOSTS) {
      expect(worker.isPortalSender(portal(`https://${host}/#view/x/entitlementId/${PKG}`))).toBe(true);
      expect(worker.isPortalSender(portal(`http://${host}/`))).toBe(false);
    }
  });

  it.each<[string, Runtime.MessageSender | undefined]>([
    ['no sender', undefined],
    ['another extension', portal('https://entra.microsoft.com/', { id: 'abcdefghijklmnopabcdefghijklmnop' })],
    ['an extension page (no tab)', { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html` }],
    ['the extension’s own page in a tab', portal(`chrome-extension://${EXT_ID}/options.html`)],
    ['a portal page without a tab', { id: EXT_ID, url: 'https://entra.microsoft.com/' }],
    ['a look-alike host', portal('https://entra.microsoft.com.evil.example/')],
    ['user info hiding the host', portal('https://entra.microsoft.com@evil.example/')],
    ['a Graph host', portal('https://graph.microsoft.com/v1.0/')],
    ['the sign-in host', portal('https://login.microsoftonline.com/')],
    ['a data URL', portal('data:text/html,<p>x</p>')],
    ['no URL', portal('')],
    ['an unparsable URL', portal('https://[::1')],
  ])('does not trust %s', (_name, sender) => {
    expect(worker.isPortalSender(sender)).toBe(false);
  });

  it('no random https host is trusted', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(!ALL_PORTAL_HOSTS.includes(host.toLowerCase()));
        expect(worker.isPortalSender(portal(`https://${host}/#entitlementId/${PKG}`))).toBe(false);
      }),
    );
  });

  it('injects the panel only for a portal content script', async () => {
    expect(onMessage({ type: 'inject-panel' }, portal('https://evil.example/'))).toBeUndefined();
    expect(onMessage({ type: 'inject-panel' }, { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html` })).toBeUndefined();
    expect(onMessage({ type: 'open', packageId: PKG }, portal('https://entra.microsoft.com/'))).toBeUndefined();
    expect(executeScript).not.toHaveBeenCalled();
    await expect(onMessage({ type: 'inject-panel' }, portal('https://portal.azure.com/'))).resolves.toEqual({ ok: true });
    expect(executeScript).toHaveBeenCalledWith({ target: { tabId: 7, frameIds: [0] }, files: ['panel.js'], injectImmediately: true });
  });

  it("hands the message catalogue only to a portal content script, and injects nothing for it", async () => {
    // The build defines the key list (build/build.mjs); here, two keys, one of them without a message.
    const g = globalThis as unknown as { __MESSAGE_KEYS__?: readonly string[] };
    g.__MESSAGE_KEYS__ = ['header_title', 'words_none'];
    try {
      expect(onMessage({ type: 'panel-messages' }, portal('https://evil.example/'))).toBeUndefined();
      expect(onMessage({ type: 'panel-messages' }, { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html` })).toBeUndefined();
      executeScript.mockClear();
      await expect(onMessage({ type: 'panel-messages' }, portal('https://entra.microsoft.com/'))).resolves.toEqual({ messages: { header_title: 'Assignments' } });
      expect(executeScript).not.toHaveBeenCalled();
    } finally {
      delete g.__MESSAGE_KEYS__;
    }
  });

  it('closes a panel port from anyone else, before reading a single message', async () => {
    for (const [name, sender] of [
      [PANEL_PORT, portal('https://evil.example/')],
      [PANEL_PORT, { id: EXT_ID, url: `chrome-extension://${EXT_ID}/options.html` }],
      ['other', portal('https://entra.microsoft.com/')],
    ] as const) {
      const port = fakePort(name, sender);
      onConnect(port);
      port.deliver({ type: 'open', packageId: PKG, refresh: true });
      expect(port.disconnected).toBe(true);
      expect(port.posted).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(brokerSend).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('keeps a portal panel port, and its first event carries no token', () => {
    const port = fakePort(PANEL_PORT, portal('https://entra.microsoft.com/'));
    onConnect(port);
    expect(port.disconnected).toBe(false);
    expect(port.posted).toEqual([{ type: 'auth', auth: { status: 'signed-out' } }]);
  });
});

// ---------------------------------------------------------------- the auth broker (Chrome's offscreen document)

describe('the offscreen auth broker answers only the worker', () => {
  let listener: (msg: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: unknown) => void) => boolean;
  const handle = jest.fn(async () => ({ ok: true, accessToken: 'SECRET-ACCESS-TOKEN', expiresOn: 1 }));
  const request = { target: 'broker', type: 'silent-token', config: { clientId: 'c', authority: 'a', redirectUri: 'r' }, scopes: [] };

  beforeAll(() => {
    (globalThis as unknown as { chrome: unknown }).chrome = {
      runtime: { id: EXT_ID, onMessage: { addListener: (cb: typeof listener) => (listener = cb) } },
    };
    jest.doMock('../../../src/auth/msal-broker', () => ({ createBroker: () => ({ handle }) }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../../src/offscreen/offscreen');
  });
  afterAll(() => {
    delete (globalThis as unknown as { chrome?: unknown }).chrome;
    jest.dontMock('../../../src/auth/msal-broker');
  });

  it.each<[string, chrome.runtime.MessageSender]>([
    ['a content script (it has a tab)', { id: EXT_ID, url: 'https://entra.microsoft.com/', tab: { id: 1 } as chrome.tabs.Tab }],
    ['another extension', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/bg.js' }],
  ])('gives nothing to %s', (_name, sender) => {
    const sendResponse = jest.fn();
    expect(listener(request, sender, sendResponse)).toBe(false);
    expect(sendResponse).not.toHaveBeenCalled();
    expect(handle).not.toHaveBeenCalled();
  });

  it('ignores messages not addressed to the broker', () => {
    const sendResponse = jest.fn();
    expect(listener({ type: 'silent-token' }, { id: EXT_ID }, sendResponse)).toBe(false);
    expect(handle).not.toHaveBeenCalled();
  });

  it('answers the worker (this extension, no tab)', async () => {
    const sendResponse = jest.fn();
    expect(listener(request, { id: EXT_ID, url: `chrome-extension://${EXT_ID}/background.js` }, sendResponse)).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(sendResponse).toHaveBeenCalledWith({ ok: true, accessToken: 'SECRET-ACCESS-TOKEN', expiresOn: 1 });
  });
});

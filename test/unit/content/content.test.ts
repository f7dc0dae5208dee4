/** @jest-environment jsdom */
// The script on every portal page: on a page that is not a panel route it asks nothing and loads nothing; on
// a panel route it asks the worker for the panel once, and nothing else: the i18n API's catalogue, a
// synchronous ask of the browser, would hold up the portal page's parsing (the worker hands the panel its
// messages instead, see test/unit/i18n/catalogue.test.ts).
import { DASHBOARD_ROUTE } from '../../tenant/portal';

const PACKAGE = '#view/Microsoft_AAD_ERM/AccessPackageManagementMenuBlade/~/AccessPackageBladeOverview/accessPackageId/8b9a4f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

function fakeChrome() {
  const sent: unknown[] = [];
  const messages: string[] = [];
  (globalThis as unknown as { chrome: unknown }).chrome = {
    runtime: {
      lastError: undefined,
      sendMessage: (msg: unknown, reply: (r: { ok: boolean }) => void) => {
        sent.push(msg);
        reply({ ok: true });
      },
    },
    i18n: {
      getUILanguage: () => 'en-US',
      getMessage: (key: string) => (messages.push(key), ''),
    },
  };
  return { sent, messages };
}

/** The script runs as it is evaluated, once per page: evaluated here after the page's hash and `chrome` are set. */
function load(): void {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated on demand, not hoisted as an import is
    require('../../../src/content/content');
  });
}

describe('content script', () => {
  test('on a portal page that is no panel route: no message, no catalogue; then the route changes to a package', () => {
    location.hash = DASHBOARD_ROUTE;
    const { sent, messages } = fakeChrome();
    load();
    expect(sent).toEqual([]);
    expect(messages).toEqual([]);
    location.hash = PACKAGE;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(sent).toEqual([{ type: 'inject-panel' }]);
    expect(messages).toEqual([]);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(sent).toHaveLength(1); // the panel follows later routes itself
  });
});

/**
 * @jest-environment jsdom
 */
// The panel may mount while the page still loads (the content script runs at document_start): a stylesheet
// that applies after that mutates nothing the follower observes, so the page's load must read the theme again.
import { followPageTheme } from '../../../src/panel/theme/follow';

function setReadyState(state: DocumentReadyState): void {
  Object.defineProperty(document, 'readyState', { configurable: true, get: () => state });
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('following the page theme from before the page has loaded', () => {
  let stop: (() => void) | null = null;
  // The page's computed colours. A late `<link>` stylesheet changes them with no DOM mutation, which jsdom
  // cannot show (it caches computed styles until the DOM changes), so they are the test's to set.
  let page = { backgroundColor: 'rgb(250, 249, 248)', color: 'rgb(50, 49, 48)' };
  const computed = jest.spyOn(window, 'getComputedStyle');

  beforeEach(() => {
    page = { backgroundColor: 'rgb(250, 249, 248)', color: 'rgb(50, 49, 48)' };
    computed.mockImplementation(() => ({ ...page }) as CSSStyleDeclaration);
  });
  afterEach(() => {
    stop?.();
    stop = null;
    setReadyState('complete');
  });
  afterAll(() => computed.mockRestore());

  const darkenWithoutMutation = (): void => {
    page = { backgroundColor: 'rgb(27, 26, 25)', color: 'rgb(243, 242, 241)' };
  };

  it('reads the theme again when the page finishes loading', async () => {
    setReadyState('loading');
    const host = document.createElement('div');
    stop = followPageTheme(document, host);
    expect(host.getAttribute('data-theme')).toBe('light');
    darkenWithoutMutation();
    await wait(40);
    expect(host.getAttribute('data-theme')).toBe('light');
    setReadyState('complete');
    window.dispatchEvent(new Event('load'));
    await wait(40);
    expect(host.getAttribute('data-theme')).toBe('dark');
  });

  it('does not wait for a load that has already happened', async () => {
    const host = document.createElement('div');
    stop = followPageTheme(document, host);
    darkenWithoutMutation();
    window.dispatchEvent(new Event('load'));
    await wait(40);
    // Nothing the follower listens to changed: a panel started after load keeps what it read.
    expect(host.getAttribute('data-theme')).toBe('light');
  });
});

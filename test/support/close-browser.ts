// Closing a browser must never hang a test run: a browser that does not close in time is killed.
import type { Browser } from 'puppeteer-core';

export async function closeBrowser(browser: Browser, timeoutMs = 10_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([
    browser.close().then(() => true, () => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  // The process this launcher started (null when connected to a running browser, which is never the case here).
  if (!closed) browser.process()?.kill('SIGKILL');
}

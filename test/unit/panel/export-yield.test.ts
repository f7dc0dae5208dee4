// The panel's CSV is built in pieces with a yield between them. A hidden tab holds timers for up to a second
// per yield, so a large export started before switching tabs would crawl: the yields are messages, and the
// CSV is complete with every timer held.
import { buildCsvBlob } from '../../../src/panel/export-csv';
import { toCsv } from '../../../src/core/csv';
import { viewRow } from '../core/fixtures';

describe('CSV export yields', () => {
  afterEach(() => jest.useRealTimers());

  test('a CSV of many pieces completes while no timer runs', async () => {
    jest.useFakeTimers(); // every timer held, as in a background tab
    const rows = Array.from({ length: 50 }, (_, i) => viewRow({ id: `as-${i}`, displayName: `Person ${i}` }));
    const blob = await buildCsvBlob(rows, 5);
    expect(Buffer.from(await blob.arrayBuffer()).toString('utf8')).toBe(toCsv(rows)); // text() would drop the BOM
    expect(jest.getTimerCount()).toBe(0);
  });
});

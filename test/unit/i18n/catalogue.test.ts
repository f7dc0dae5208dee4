// The panel's messages handed over by the worker: read through the i18n API there, for every key, asked for
// by the panel as it starts, and looked up before the panel's own (synchronous, slow on first use) ask of the API.
import { messageTable } from '../../../src/background/catalogue';
import { askCatalogue, type CatalogueRuntime } from '../../../src/panel/catalogue';
import type * as PanelI18n from '../../../src/panel/i18n';

const API: Record<string, string> = { header_title: 'Assignments', Table_Label: 'Assignments table', words_none: '' };

describe('messageTable (worker)', () => {
  test("asks the API for every key and keeps the messages it has, under the key's lower case", () => {
    const asked: string[] = [];
    const table = messageTable(Object.keys(API), (key) => (asked.push(key), API[key] ?? ''));
    expect(asked).toEqual(['header_title', 'Table_Label', 'words_none']);
    expect(table).toEqual({ header_title: 'Assignments', table_label: 'Assignments table' });
  });
});

describe('askCatalogue (panel)', () => {
  const runtime = (answer: (reply: (r: unknown) => void, rt: { lastError?: unknown }) => void): CatalogueRuntime & { sent: unknown[] } => {
    const rt = {
      sent: [] as unknown[],
      lastError: undefined as unknown,
      sendMessage(msg: unknown, reply: (r: unknown) => void) {
        rt.sent.push(msg);
        answer(reply, rt);
      },
    };
    return rt;
  };

  test("sends one panel-messages request and resolves with the worker's table", async () => {
    const rt = runtime((reply) => setTimeout(() => reply({ messages: { header_title: 'Assignments' } }), 1));
    await expect(askCatalogue(rt)).resolves.toEqual({ header_title: 'Assignments' });
    expect(rt.sent).toEqual([{ type: 'panel-messages' }]);
  });

  test('null on an error, an answer of another shape, or no answer in time', async () => {
    const failing = runtime((reply, rt) => {
      rt.lastError = { message: 'Could not establish connection' };
      reply(undefined);
    });
    await expect(askCatalogue(failing)).resolves.toBeNull();
    await expect(askCatalogue(runtime((reply) => reply({ messages: { a: 1 } })))).resolves.toBeNull();
    await expect(askCatalogue(runtime((reply) => reply({ ok: true })))).resolves.toBeNull();
    await expect(askCatalogue(runtime(() => undefined), 20)).resolves.toBeNull();
  });
});

describe('the panel binding (src/panel/i18n)', () => {
  const g = globalThis as unknown as { chrome?: unknown };
  afterEach(() => delete g.chrome);

  /** The panel's i18n module evaluated as on a page where the API answers from API (and records the keys asked). */
  function load(): { i18n: typeof PanelI18n; asked: string[] } {
    const asked: string[] = [];
    g.chrome = { i18n: { getUILanguage: () => 'en-US', getMessage: (key: string) => (asked.push(key), API[key] ?? `api:${key}`) } };
    let i18n!: typeof PanelI18n;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated after the fake `chrome` is set
      i18n = require('../../../src/panel/i18n') as typeof PanelI18n;
    });
    return { i18n, asked };
  }

  test('once the catalogue is adopted the API is not asked for a key it holds, whatever its case', () => {
    const { i18n, asked } = load();
    i18n.adoptCatalogue(messageTable(Object.keys(API), (key) => API[key] ?? ''));
    expect(i18n.t('header_title')).toBe('Assignments');
    expect(i18n.t('table_label')).toBe('Assignments table');
    expect(asked).toEqual([]);
  });

  test('a key the catalogue lacks, or no catalogue at all: the API answers', () => {
    const partial = load();
    partial.i18n.adoptCatalogue({ header_title: 'Assignments' });
    expect(partial.i18n.t('other_key')).toBe('api:other_key');
    expect(partial.asked).toEqual(['other_key']);
    const none = load();
    expect(none.i18n.t('header_title')).toBe('Assignments');
    expect(none.asked).toEqual(['header_title']);
  });
});

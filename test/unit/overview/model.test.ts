/** @jest-environment jsdom */
// The overview panel's model: which answer of the worker it shows, and whether a question is still out.
import type { PanelRequest } from '../../../src/messages';
import { OverviewModel } from '../../../src/panel/overview/model';
import { packView } from '../../../src/protocol/overview';
import { fakeLink } from '../panel/render';

type Query = Extract<PanelRequest, { type: 'overview' }> & { request: { kind: 'query'; seq: number } };

function setup() {
  const link = fakeLink();
  const model = new OverviewModel(link);
  model.open('tenant');
  const lastSeq = () => (link.posted.filter((p) => p.type === 'overview' && p.request.kind === 'query').at(-1) as Query).request.seq;
  const answer = (seq: number, shown: number) =>
    link.emit({ type: 'overview', event: packView({ kind: 'view', seq, tab: 'assignments', shown, offset: 0, rows: [], people: [], counts: {}, packages: [], selected: 0 }, new Map(), 0) });
  return { link, model, lastSeq, answer };
}

describe('overview model', () => {
  test('a question is out from the keystroke until its own answer, not an older one', () => {
    const { model, lastSeq, answer } = setup();
    answer(lastSeq(), 1000);
    expect(model.answering).toBe(false);
    const before = lastSeq();
    model.setSearch('a');
    expect(model.answering).toBe(true);
    answer(before, 1000);
    expect(model.answering).toBe(true);
    expect(model.view?.shown).toBe(1000);
    answer(lastSeq(), 12);
    expect(model.answering).toBe(false);
    expect(model.view?.shown).toBe(12);
    model.dispose();
  });

  test("an export does not make the worker's fresh answer to the last question look old", () => {
    const { model, lastSeq, answer } = setup();
    answer(lastSeq(), 5);
    model.exportCsv(true, { chunk: () => undefined, done: () => undefined, failed: () => undefined });
    // The worker answers the last question again (new data, a changed selection): it is shown.
    answer(lastSeq(), 7);
    expect(model.view?.shown).toBe(7);
    expect(model.answering).toBe(false);
  });
});

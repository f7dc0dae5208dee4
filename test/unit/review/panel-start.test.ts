// Review mode starts with the panel, before the package is opened: its request for the package's open review
// goes to the worker ahead of the list's 'open'. The worker answers a port's requests in order and reads the
// review before it sends a cached list, so a resumed review's decisions reach the panel before the rows and
// the rows paint with them (src/panel/review/index.ts registers the start; index.tsx runs it before routing).
import { TextDecoder, TextEncoder } from 'node:util';
import '../../../src/panel/review/index';
import { createController } from '../../../src/panel/controller';
import { currentReviewModel, setCurrentReviewModel } from '../../../src/panel/review/model';
import { memoryStore } from '../../../src/panel/storage';
import { PanelStore } from '../../../src/panel/store';
import { startFeatures } from '../../../src/panel/toolbar';
import { NOW, PKG, PKG2 } from '../panel/fixtures';
import { fakeLink } from '../panel/render';

Object.assign(globalThis, { TextEncoder, TextDecoder });

const route = (id: string) => `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${id}`;

afterEach(() => {
  currentReviewModel()?.dispose();
  setCurrentReviewModel(null);
});

test('the request for the open review precedes the open of the list, on the first package and on the next', () => {
  const store = new PanelStore({ schedule: () => undefined, now: () => NOW });
  const link = fakeLink();
  startFeatures({ store, link });
  expect(currentReviewModel()).not.toBeNull();
  const ctl = createController({ store, link, kv: memoryStore({}) });
  const kinds = () => link.posted.filter((p) => p.type !== 'ping').map((p) => (p.type === 'review' ? `review:${p.request.kind}:${p.request.packageId}` : `${p.type}:${'packageId' in p ? p.packageId : ''}`));
  ctl.follower.update(route(PKG));
  expect(kinds()).toEqual([`review:get:${PKG}`, `open:${PKG}`]);
  ctl.follower.update(route(PKG2));
  expect(kinds().slice(2)).toEqual(['cancel:', `review:get:${PKG2}`, `open:${PKG2}`]);
  ctl.dispose();
});

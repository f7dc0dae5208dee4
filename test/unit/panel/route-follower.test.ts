import { createRouteFollower } from '../../../src/panel/route-follower';
import type { WorkerLink } from '../../../src/panel/worker-link';
import type { PanelRequest } from '../../../src/messages';

const A = 'aaaaaaaa-2222-3333-4444-555555555555';
const B = 'bbbbbbbb-2222-3333-4444-555555555555';
const route = (id: string) => `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/overview/entitlementId/${id}`;

function setup() {
  const log: (PanelRequest | { show: string | null })[] = [];
  const link: WorkerLink = {
    post: (r) => void log.push(r),
    onEvent: () => () => undefined,
    onStatus: () => () => undefined,
  };
  const follower = createRouteFollower(link, (id) => void log.push({ show: id }));
  return { follower, log };
}

test('a package route shows the panel, then opens the package', () => {
  const { follower, log } = setup();
  follower.update(route(A));
  expect(log).toEqual([{ show: A }, { type: 'open', packageId: A }]);
  expect(follower.current()).toBe(A);
});

test('the same package again (another tab of its blade) does nothing', () => {
  const { follower, log } = setup();
  follower.update(route(A));
  follower.update(`#view/Microsoft_AAD_ERM/AccessPackageManagementMenuBlade/~/Assignments/accessPackageId/${A}`);
  expect(log).toHaveLength(2);
});

test('a different package cancels the running fetch and opens the new one', () => {
  const { follower, log } = setup();
  follower.update(route(A));
  log.length = 0;
  follower.update(route(B));
  expect(log).toEqual([{ type: 'cancel' }, { show: B }, { type: 'open', packageId: B }]);
});

test('a route that is not a package cancels and hides; nothing is opened', () => {
  const { follower, log } = setup();
  follower.update(route(A));
  log.length = 0;
  follower.update('#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlement');
  expect(log).toEqual([{ type: 'cancel' }, { show: null }]);
  expect(follower.current()).toBeNull();
});

test('starting on a route that is not a package hides the panel without any request', () => {
  const { follower, log } = setup();
  follower.update('#home');
  expect(log).toEqual([{ show: null }]);
});

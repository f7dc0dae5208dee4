import { requestSlots } from '../../../src/core/slots';

describe('shared request slots', () => {
  test('never more taken than there are; a release wakes the waiter that has read the most first', () => {
    const slots = requestSlots(2);
    expect([slots.tryTake(), slots.tryTake(), slots.tryTake()]).toEqual([true, true, false]);
    const woken: string[] = [];
    const pages: Record<string, number> = { small: 1, big: 40, middle: 7 };
    for (const name of ['small', 'big', 'middle']) slots.wait(() => woken.push(name) && slots.tryTake(), () => pages[name]);
    slots.release();
    expect(woken).toEqual(['big']);
    slots.release();
    expect(woken).toEqual(['big', 'middle']);
    expect(slots.free).toBe(0);
  });

  test('a woken waiter that does not take the slot passes it on; a cancelled one is skipped', () => {
    const slots = requestSlots(1);
    slots.tryTake();
    const woken: string[] = [];
    slots.wait(() => woken.push('idle'), () => 9);
    const cancel = slots.wait(() => woken.push('gone'), () => 5);
    slots.wait(() => woken.push('taker') && slots.tryTake(), () => 1);
    cancel();
    slots.release();
    expect(woken).toEqual(['idle', 'taker']);
    expect(slots.free).toBe(0);
  });
});

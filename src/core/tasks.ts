// Yielding to the event loop: work split into tasks lets what became ready meanwhile (a request about to be
// sent, a message, a page's input) go first.

/** A new task, after a timer of 0. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A new task after a message, not a timer: a background tab holds its timers for up to a second. */
export function nextTaskUnthrottled(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

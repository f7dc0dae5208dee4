// jsdom has no MessageChannel, which every browser has: the panel yields to the page with it (src/core/tasks).
// Node's own stands in; the node environment already has it.
import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';

if (typeof globalThis.MessageChannel === 'undefined') {
  (globalThis as { MessageChannel: unknown }).MessageChannel = NodeMessageChannel;
}

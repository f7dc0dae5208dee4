// Chrome/Edge entry: an MV3 service worker; MSAL runs in the offscreen document (auth.md §1).
import { offscreenBroker } from './broker-offscreen';
import { startWorker } from './worker';

startWorker({ broker: offscreenBroker });

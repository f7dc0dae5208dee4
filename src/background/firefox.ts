// Firefox entry: an MV3 event page, which has a window, so MSAL runs right here (no offscreen API).
import { createBroker } from '../auth/msal-broker';
import { startWorker } from './worker';

const broker = createBroker();
startWorker({ broker: { send: (req) => broker.handle(req) } });

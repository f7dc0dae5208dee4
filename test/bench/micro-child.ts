// Child-process entry of the micro figures (started by bench.ts with --expose-gc): runs them and sends the
// result to the parent.
import { runMicro } from './micro';

const size = Number(process.argv[2]);
const iterations = Number(process.argv[3]);
try {
  const figures = runMicro(size, iterations);
  process.send?.({ ok: true, figures }, () => process.exit(0));
} catch (e) {
  process.send?.({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) }, () => process.exit(1));
}

// Every unit test reads the English messages the build writes to _locales/en/messages.json, through the
// same pure lookup the browser binding installs.
import fs from 'node:fs';
import path from 'node:path';
import { setLookup } from '../../src/core/i18n';

function collect(dir: string, out: Record<string, { message: string }>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(p, out);
    else if (entry.name === 'messages.en.json') Object.assign(out, JSON.parse(fs.readFileSync(p, 'utf8')));
  }
}

const messages: Record<string, { message: string }> = {};
collect(path.resolve(__dirname, '../../src'), messages);
const lower = new Map(Object.entries(messages).map(([k, v]) => [k.toLowerCase(), v.message]));
setLookup((key) => lower.get(key.toLowerCase()) ?? '', 'en-US');

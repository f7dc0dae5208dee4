// Collects every `messages.en.json` under src/ (each capability keeps its strings beside its code) into the one
// `_locales/en/messages.json` the browser's i18n API reads. Fails on a duplicate or malformed key, and on a `$`
// in a message (the i18n API gives `$` a meaning; our placeholders are `{name}`).
import fs from 'node:fs';
import path from 'node:path';

const KEY = /^[A-Za-z0-9_@]+$/;

function findFiles(dir, name, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findFiles(p, name, out);
    else if (entry.name === name) out.push(p);
  }
  return out.sort();
}

/** The merged English messages: { key: { message, description? } }. */
export function collectMessages(root) {
  const merged = {};
  const seen = new Map();
  for (const file of findFiles(path.join(root, 'src'), 'messages.en.json')) {
    const rel = path.relative(root, file);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const [key, value] of Object.entries(data)) {
      if (!KEY.test(key)) throw new Error(`${rel}: message key "${key}" may use only A-Z, a-z, 0-9, _ and @`);
      const lower = key.toLowerCase(); // the i18n API's keys are case-insensitive
      if (seen.has(lower)) throw new Error(`${rel}: message key "${key}" is already defined in ${seen.get(lower)}`);
      seen.set(lower, rel);
      if (!value || typeof value.message !== 'string') throw new Error(`${rel}: "${key}" needs a "message" string`);
      if (value.message.includes('$')) throw new Error(`${rel}: "${key}" contains "$"; use {name} placeholders`);
      merged[key] = value.description ? { message: value.message, description: value.description } : { message: value.message };
    }
  }
  return merged;
}

export function writeLocales(root, out) {
  const dir = path.join(out, '_locales', 'en');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'messages.json'), JSON.stringify(collectMessages(root), null, 2) + '\n');
}

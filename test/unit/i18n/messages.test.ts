// Every string key the code asks for exists in English, and the merged file is what the browser accepts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectMessages } from '../../../build/messages.mjs';
import { t, tn } from '../../../src/core/i18n';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(p);
  }
  return out;
}

describe('messages', () => {
  const messages = collectMessages(ROOT) as Record<string, { message: string }>;
  const keys = new Set(Object.keys(messages).map((k) => k.toLowerCase()));

  it('has every key that src asks for with t() or tn()', () => {
    const missing: string[] = [];
    for (const file of sources(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_@]+)'/g)) {
        if (!keys.has(m[1].toLowerCase())) missing.push(`${path.relative(ROOT, file)}: ${m[1]}`);
      }
      for (const m of text.matchAll(/\btn\(\s*'([A-Za-z0-9_@]+)'/g)) {
        for (const form of ['one', 'other']) {
          if (!keys.has(`${m[1]}_${form}`.toLowerCase())) missing.push(`${path.relative(ROOT, file)}: ${m[1]}_${form}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('names the extension in the manifest through the messages', () => {
    expect(messages.extName.message).toBe('Entra Assignments Overlay');
  });

  it('fills placeholders and plural forms, and formats counts with digit grouping', () => {
    expect(t('extName')).toBe('Entra Assignments Overlay');
    expect(t('no_such_key_here', { a: 1 })).toBe('no_such_key_here');
    // tn falls back to the key when neither form exists: a missing message is visible, never blank.
    expect(tn('no_such_plural', 2)).toBe('no_such_plural');
  });

  it('refuses a duplicate key across capability files and a $ in a message', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msgs-'));
    fs.mkdirSync(path.join(tmp, 'src', 'a'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'src', 'b'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'src', 'a', 'messages.en.json'), JSON.stringify({ Same: { message: 'x' } }));
    fs.writeFileSync(path.join(tmp, 'src', 'b', 'messages.en.json'), JSON.stringify({ same: { message: 'y' } }));
    expect(() => collectMessages(tmp)).toThrow(/already defined/);
    fs.writeFileSync(path.join(tmp, 'src', 'b', 'messages.en.json'), JSON.stringify({ other: { message: 'costs $1' } }));
    expect(() => collectMessages(tmp)).toThrow(/\$/);
  });
});

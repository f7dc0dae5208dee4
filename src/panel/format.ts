// Small text helpers for what the admin reads in the panel.
import type { MissingPart } from '../core/model';

/** "just now", "3 min ago", "2 h ago", "5 days ago" — an age a human can judge at a glance. */
export function timeAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 36) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? '1 day ago' : `${d} days ago`;
}

/** Shown dates stay in UTC, like the CSV, so what an admin reads matches what they export. */
export function shortUtc(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Groups failed pages by partition so the admin reads "policy Sales, state delivered: 2 pages". */
export function groupMissing(missing: readonly MissingPart[]): { partition: string; parts: MissingPart[] }[] {
  const groups = new Map<string, MissingPart[]>();
  for (const m of missing) {
    const list = groups.get(m.partition);
    if (list) list.push(m);
    else groups.set(m.partition, [m]);
  }
  return [...groups].map(([partition, parts]) => ({ partition, parts }));
}

// What the panel remembers in chrome.storage.local, behind a two-method interface so the store and the
// components are tested with an in-memory fake.
//
//   panelPrefs          { width, collapsed, hiddenColumns, staleAfterDays?, fullWidth? }   (one object for all packages)
//   filters:<packageId> the serialised filter of that package (serializeFilter)

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export const PANEL_PREFS_KEY = 'panelPrefs';
export const filterKey = (packageId: string): string => `filters:${packageId}`;

export interface PanelPrefs {
  /** Panel width in CSS pixels. */
  width: number;
  collapsed: boolean;
  /** Column keys the admin hid. */
  hiddenColumns: string[];
  /** The admin's own stale threshold; absent means "use the settings' staleAfterDays". */
  staleAfterDays?: number;
  /** The panel covers the page's width instead of docking at `width` (absent: docked). */
  fullWidth?: boolean;
}

export const MIN_WIDTH = 360;
export const DEFAULT_PREFS: PanelPrefs = { width: 720, collapsed: false, hiddenColumns: [] };

/** Days accepted as a stale threshold (a typo such as 0 or 99999 must not mark everyone stale / nobody). */
export const MIN_STALE_DAYS = 1;
export const MAX_STALE_DAYS = 3650;

export function clampStaleDays(n: number): number {
  return Math.min(MAX_STALE_DAYS, Math.max(MIN_STALE_DAYS, Math.round(n)));
}

/** Reads stored prefs defensively: whatever is malformed falls back to the default of that field. */
export function parsePrefs(v: unknown): PanelPrefs {
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const width = typeof o.width === 'number' && Number.isFinite(o.width) ? Math.max(MIN_WIDTH, o.width) : DEFAULT_PREFS.width;
  const hidden = Array.isArray(o.hiddenColumns) ? o.hiddenColumns.filter((c): c is string => typeof c === 'string') : [];
  const prefs: PanelPrefs = { width, collapsed: o.collapsed === true, hiddenColumns: hidden };
  if (typeof o.staleAfterDays === 'number' && Number.isFinite(o.staleAfterDays)) {
    prefs.staleAfterDays = clampStaleDays(o.staleAfterDays);
  }
  if (o.fullWidth === true) prefs.fullWidth = true;
  return prefs;
}

/** In-memory KeyValueStore (tests, and the fallback when chrome.storage is unavailable). */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    async get(key) {
      return data.get(key);
    },
    async set(key, value) {
      data.set(key, value);
    },
  };
}

export async function loadPrefs(kv: KeyValueStore): Promise<PanelPrefs> {
  try {
    return parsePrefs(await kv.get(PANEL_PREFS_KEY));
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

export async function savePrefs(kv: KeyValueStore, prefs: PanelPrefs): Promise<void> {
  try {
    await kv.set(PANEL_PREFS_KEY, prefs);
  } catch {
    // Storage full or unavailable: the preference lasts for this page only.
  }
}

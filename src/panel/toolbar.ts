// The toolbar slot: features that add controls to the panel's toolbar (src/panel/actions/: remove-selected,
// confirm-remove, confirm-input, action-status, direct add) register a component here, one line each, and
// index.tsx imports the feature once. Each item gets the whole panel context: the store (selection,
// filtered rows, filter, package and policies) and the worker link (requests, and events such as
// 'actions', 'roles', 'search-results', 'delivery' that the store itself ignores).
import type { ComponentType } from 'preact';
import type { ViewRow } from '../core/model';
import type { PanelStore } from './store';
import type { WorkerLink } from './worker-link';

export interface PanelContext {
  store: PanelStore;
  link: WorkerLink;
  /** The shadow root (dialogs and downloads attach inside it), or null in tests rendering into a div. */
  root: ShadowRoot | null;
}

export type ToolbarItem = ComponentType<PanelContext>;

/**
 * Work a feature starts with the panel, before the package is opened (index.tsx): a model whose request must
 * reach the worker ahead of the list's (review mode's open review) is created and subscribed here.
 */
export type PanelStart = (ctx: Omit<PanelContext, 'root'>) => void;

const starts: PanelStart[] = [];

export function registerPanelStart(fn: PanelStart): void {
  if (!starts.includes(fn)) starts.push(fn);
}

export function startFeatures(ctx: Omit<PanelContext, 'root'>): void {
  for (const fn of starts) fn(ctx);
}

const items: ToolbarItem[] = [];

export function registerToolbarItem(item: ToolbarItem): void {
  if (!items.includes(item)) items.push(item);
}

export function toolbarItems(): readonly ToolbarItem[] {
  return items;
}

/**
 * Extra content rendered at the start of each rendered row's first cell (e.g. the action result badge and
 * the delivery-status button of src/panel/actions/). It must render text only and stay small.
 */
export type RowAddon = ComponentType<{ row: ViewRow }>;

const rowAddonList: RowAddon[] = [];
const rowAddonWidths: Array<() => number> = [];

/**
 * `useWidth`: a hook giving the pixels the addon takes in the first cell now (0 while it shows nothing, or
 * only now and then): the table widens that column by as much, so the row's name stays in sight.
 */
export function registerRowAddon(addon: RowAddon, opts: { useWidth?: () => number } = {}): void {
  if (rowAddonList.includes(addon)) return;
  rowAddonList.push(addon);
  if (opts.useWidth) rowAddonWidths.push(opts.useWidth);
}

export function rowAddons(): readonly RowAddon[] {
  return rowAddonList;
}

/** A hook: the width the row addons take in the first cell now (the list is fixed once the features loaded). */
export function useRowAddonWidth(): number {
  let width = 0;
  for (const useWidth of rowAddonWidths) width += useWidth();
  return width;
}

/**
 * Extra `data-*` attributes on each rendered row (e.g. review mode's data-decision). Each function returns the
 * attributes for a row, or null; it must be cheap (it runs for every rendered row on every render).
 */
export type RowAttributes = (row: ViewRow) => Record<string, string> | null;

const rowAttributeList: RowAttributes[] = [];

export function registerRowAttributes(fn: RowAttributes): void {
  if (!rowAttributeList.includes(fn)) rowAttributeList.push(fn);
}

export function rowAttributes(row: ViewRow): Record<string, string> {
  let out: Record<string, string> = {};
  for (const fn of rowAttributeList) {
    const attrs = fn(row);
    if (attrs) out = { ...out, ...attrs };
  }
  return out;
}

// Fluent System icons (@fluentui/svg-icons, the admin center's icon set), bundled at build time: only the
// files imported here end up in panel.js, as text. The path data is read from that text and drawn as Preact
// elements (no innerHTML), in currentColor, so icons follow the theme and forced colours like the text.
import type { JSX } from 'preact';
import arrowDownload from '@fluentui/svg-icons/icons/arrow_download_16_regular.svg';
import arrowDown from '@fluentui/svg-icons/icons/arrow_down_16_regular.svg';
import arrowSync from '@fluentui/svg-icons/icons/arrow_sync_16_regular.svg';
import arrowUp from '@fluentui/svg-icons/icons/arrow_up_16_regular.svg';
import chevronDown from '@fluentui/svg-icons/icons/chevron_down_16_regular.svg';
import chevronLeft from '@fluentui/svg-icons/icons/chevron_left_16_regular.svg';
import chevronRight from '@fluentui/svg-icons/icons/chevron_right_16_regular.svg';
import deleteIcon from '@fluentui/svg-icons/icons/delete_16_regular.svg';
import dismiss from '@fluentui/svg-icons/icons/dismiss_16_regular.svg';
import filter from '@fluentui/svg-icons/icons/filter_16_regular.svg';
import maximize from '@fluentui/svg-icons/icons/full_screen_maximize_16_regular.svg';
import minimize from '@fluentui/svg-icons/icons/full_screen_minimize_16_regular.svg';
import personAdd from '@fluentui/svg-icons/icons/person_add_16_regular.svg';

const FILES = {
  arrowDownload,
  arrowDown,
  arrowSync,
  arrowUp,
  chevronDown,
  chevronLeft,
  chevronRight,
  delete: deleteIcon,
  dismiss,
  filter,
  maximize,
  minimize,
  personAdd,
} as const;

export type IconName = keyof typeof FILES;

export interface IconShape {
  viewBox: string;
  paths: string[];
}

/** The viewBox and path data of an icon file (the package's files are one <svg> of <path d> elements). */
export function iconShape(svg: string): IconShape {
  const viewBox = /viewBox="([\d.\s-]+)"/.exec(svg)?.[1] ?? '0 0 16 16';
  const paths = [...svg.matchAll(/<path\b[^>]*\sd="([^"]+)"/g)].map((m) => m[1]);
  return { viewBox, paths };
}

const shapes = new Map<IconName, IconShape>();

export function iconOf(name: IconName): IconShape {
  let s = shapes.get(name);
  if (!s) shapes.set(name, (s = iconShape(FILES[name])));
  return s;
}

export const ICON_NAMES = Object.keys(FILES) as IconName[];

/** A decorative icon: the control around it carries the name (aria-label or its text). */
export function Icon(props: { name: IconName; size?: number }): JSX.Element {
  const { viewBox, paths } = iconOf(props.name);
  const size = props.size ?? 16;
  return (
    <svg class="icon-svg" viewBox={viewBox} width={size} height={size} aria-hidden="true" focusable="false" data-icon={props.name}>
      {paths.map((d, i) => (
        <path key={i} d={d} fill="currentColor" />
      ))}
    </svg>
  );
}

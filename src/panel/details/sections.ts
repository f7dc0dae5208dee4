// Sections other features add at the end of the details view (e.g. the access check's result per resource):
// each registers a component here, one line in its index.ts, and the view renders them in order.
import type { ComponentType } from 'preact';
import type { ViewRow } from '../../core/model';

export interface DetailsSectionProps {
  assignmentId: string;
  /** the row as the table has it (null when the list no longer holds it) */
  row: ViewRow | null;
}

export type DetailsSection = ComponentType<DetailsSectionProps>;

const sections: DetailsSection[] = [];

export function registerDetailsSection(section: DetailsSection): void {
  if (!sections.includes(section)) sections.push(section);
}

export function detailsSections(): readonly DetailsSection[] {
  return sections;
}

// Opens the assignment details view for one assignment (Enter on a focused row, or a click on its name).
// The details view itself is its own capability; until it is wired here, the request is announced to it as a
// `details-open` event on the panel's root, which is all the keyboard path needs. Its detail is the id itself (a
// string crosses from the content script's world to any listener; an object would not in Firefox).
export const DETAILS_OPEN_EVENT = 'details-open';

let target: EventTarget | null = null;

/** The panel's root (its shadow root): where the details view listens. Set once by the panel's shell. */
export function setDetailsTarget(root: EventTarget | null): void {
  target = root;
}

export function openDetails(assignmentId: string): void {
  target?.dispatchEvent(new CustomEvent(DETAILS_OPEN_EVENT, { detail: assignmentId }));
}

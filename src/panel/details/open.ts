// The one way to open an assignment's details: the click on a row's display name and Enter on a focused
// row both call openDetails. The details feature registers the opener when it mounts.
let opener: ((assignmentId: string) => void) | null = null;

/** Installs the function that opens the view; returns the uninstaller. */
export function setDetailsOpener(fn: (assignmentId: string) => void): () => void {
  opener = fn;
  return () => {
    if (opener === fn) opener = null;
  };
}

/** Opens (or moves to) the details of this assignment. Does nothing before the feature has mounted. */
export function openDetails(assignmentId: string): void {
  opener?.(assignmentId);
}

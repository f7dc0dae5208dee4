// Types for build/manifest.mjs, so TypeScript tests can import it (tsconfig does not check JavaScript).
export type Manifest = Record<string, unknown>;

/** Chrome/Edge manifest derived from the root manifest.json. */
export function chromeManifest(base: Manifest): Manifest;

/** Firefox manifest derived from the root manifest.json. */
export function firefoxManifest(base: Manifest): Manifest;

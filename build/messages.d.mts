// Types for build/messages.mjs, so TypeScript tests can import it (tsconfig does not check JavaScript).
export function collectMessages(root: string): Record<string, { message: string; description?: string }>;
export function writeLocales(root: string, out: string): void;

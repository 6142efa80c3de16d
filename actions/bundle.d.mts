export const MANIFEST: string;
export function listActions(): string[];
export function bundleAction(name: string, outRoot?: string): Promise<{ file: string; bytes: number }[]>;
export function bundleDrift(distDirectory: string): string[];

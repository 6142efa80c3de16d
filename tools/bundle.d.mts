export function listActions(): string[];
export function bundleAction(name: string, outRoot?: string): string;

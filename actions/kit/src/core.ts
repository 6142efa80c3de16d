import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

// The runner's workflow commands and file commands, written directly. @actions/core would do the same but
// brings an HTTP client (for OIDC tokens Berth never requests) that is half of a small action's bundle.

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const PROPERTY_NAMES: Record<keyof AnnotationProperties, string> = {
  title: 'title',
  file: 'file',
  startLine: 'line',
  endLine: 'endLine',
  startColumn: 'col',
  endColumn: 'endColumn',
};

function issueCommand(command: string, message: string, properties: AnnotationProperties = {}): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(
      ([key, value]) => `${PROPERTY_NAMES[key as keyof AnnotationProperties] ?? key}=${escapeProperty(String(value))}`,
    );
  process.stdout.write(`::${command}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}${EOL}`);
}

const text = (message: string | Error): string => (message instanceof Error ? message.message : message);

/** The value of an input as the runner passes it (`INPUT_<NAME>`, spaces as `_`, hyphens kept), trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Sets a step output; like @actions/core, non-strings are written as JSON and undefined as empty. */
export function setOutput(name: string, output: unknown): void {
  const value =
    output === undefined || output === null ? '' : typeof output === 'string' ? output : JSON.stringify(output);
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(EOL);
    issueCommand(`set-output name=${escapeProperty(name)}`, value);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`output ${name} contains the delimiter ${delimiter}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', secret);
}

export const info = (message: string): void => void process.stdout.write(`${message}${EOL}`);
export const debug = (message: string): void => issueCommand('debug', message);
export const notice = (message: string | Error, properties?: AnnotationProperties): void =>
  issueCommand('notice', text(message), properties);
export const warning = (message: string | Error, properties?: AnnotationProperties): void =>
  issueCommand('warning', text(message), properties);
export const error = (message: string | Error, properties?: AnnotationProperties): void =>
  issueCommand('error', text(message), properties);

/** Marks the step failed (exit code 1) with an error annotation. */
export function setFailed(message: string | Error): void {
  process.exitCode = 1;
  error(message);
}

export const startGroup = (name: string): void => issueCommand('group', name);
export const endGroup = (): void => issueCommand('endgroup', '');

/** Appends Markdown to the job summary file; false outside a runner. */
export function appendSummary(markdown: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith(EOL) ? markdown : `${markdown}${EOL}`, 'utf8');
  return true;
}

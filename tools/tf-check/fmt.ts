import type { Finding } from './findings.ts';

/**
 * The layout part of `terraform fmt`, reimplemented because no Terraform binary runs here while CI runs
 * `terraform fmt -check`. Like hclwrite it works line by line:
 * - indentation is two spaces per open bracket line: a line that opens brackets indents what follows one level,
 *   a line that closes them is itself dedented, and a line that closes and reopens (`] : {`) stays put;
 * - consecutive lines holding a complete `name = value` align their `=`; a line whose value continues on the next
 *   line (more brackets opened than closed after the `=`), a blank line, a comment or a brace ends the group.
 * Spacing inside a line (`a=1`, `[ 1 ]`) is not checked; heredoc bodies are left alone, as fmt does.
 */
interface LineShape {
  text: string;
  /** Net bracket change of the line: `{ [ ( ${ %{` open, `} ] )` close. */
  net: number;
  /** Index of the aligned `=` when the line is a complete attribute, else undefined. */
  assign?: number;
  /** Heredoc body or closing marker, left as written. */
  verbatim: boolean;
}

export function checkFormatting(file: string, text: string): Finding[] {
  const lines = shapeLines(text);
  const findings: Finding[] = [];
  const report = (index: number, message: string): void => {
    findings.push({ file, line: index + 1, block: blockAt(lines, index), rule: 'terraform-fmt', message });
  };

  const expectedIndent: number[] = [];
  const indents: number[] = [];
  for (const line of lines) {
    if (line.verbatim || line.text.trim() === '') {
      expectedIndent.push(-1);
      continue;
    }
    if (line.net < 0) {
      let closed = -line.net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1] ?? 0;
        if (closed >= top) {
          closed -= top;
          indents.pop();
        } else {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        }
      }
    }
    expectedIndent.push(2 * indents.length);
    if (line.net > 0) indents.push(line.net);
  }

  for (const [index, line] of lines.entries()) {
    if (line.verbatim) continue;
    if (/\t/.test(line.text)) report(index, 'tab character; terraform fmt indents with spaces');
    if (/\s+$/.test(line.text)) report(index, 'trailing whitespace; terraform fmt removes it');
    const wanted = expectedIndent[index] ?? -1;
    const actual = line.text.length - line.text.trimStart().length;
    if (wanted >= 0 && actual !== wanted)
      report(index, `indented ${actual} spaces; terraform fmt indents this line ${wanted}`);
  }

  // Alignment groups: runs of consecutive complete attributes.
  let group: number[] = [];
  const closeGroup = (): void => {
    const widest = Math.max(...group.map((index) => leadWidth(lines[index]!, expectedIndent[index] ?? 0)));
    for (const index of group) {
      const line = lines[index]!;
      const actual = line.assign! - (line.text.length - line.text.trimStart().length) + (expectedIndent[index] ?? 0);
      if (actual !== widest + 1) {
        report(
          index,
          `"=" is at column ${actual + 1}; terraform fmt aligns it at column ${widest + 2} with the neighbouring attributes`,
        );
      }
    }
    group = [];
  };
  for (const [index, line] of lines.entries()) {
    if (line.assign === undefined || line.verbatim) {
      if (group.length > 0) closeGroup();
      continue;
    }
    group.push(index);
  }
  if (group.length > 0) closeGroup();
  return findings;
}

/** Width of the text before `=` once re-indented: the column the `=` must follow. */
function leadWidth(line: LineShape, indent: number): number {
  return indent + line.text.slice(0, line.assign).trim().length;
}

function shapeLines(text: string): LineShape[] {
  const result: LineShape[] = [];
  let heredocMarker: string | undefined;
  let inBlockComment = false;
  for (const raw of text.split('\n')) {
    if (heredocMarker !== undefined) {
      if (raw.trim() === heredocMarker) heredocMarker = undefined;
      result.push({ text: raw, net: 0, verbatim: true });
      continue;
    }
    const modes: ('code' | 'string' | 'interp')[] = ['code'];
    const interpDepth: number[] = [];
    let net = 0;
    let firstEqual: { index: number; netBefore: number } | undefined;
    for (let index = 0; index < raw.length; index += 1) {
      const char = raw[index]!;
      const next = raw[index + 1] ?? '';
      if (inBlockComment) {
        if (char === '*' && next === '/') {
          inBlockComment = false;
          index += 1;
        }
        continue;
      }
      const mode = modes[modes.length - 1];
      if (mode === 'string') {
        if (char === '\\') index += 1;
        else if ((char === '$' || char === '%') && next === '{') {
          modes.push('interp');
          interpDepth.push(0);
          net += 1;
          index += 1;
        } else if (char === '"') modes.pop();
        continue;
      }
      if (char === '#' || (char === '/' && next === '/')) break;
      if (char === '/' && next === '*') {
        inBlockComment = true;
        index += 1;
        continue;
      }
      if (char === '"') {
        modes.push('string');
        continue;
      }
      if (char === '<' && next === '<') {
        const heredoc = /^<<-?([A-Za-z_][\w-]*)\s*$/.exec(raw.slice(index));
        if (heredoc) {
          heredocMarker = heredoc[1];
          break;
        }
      }
      if (char === '{' || char === '[' || char === '(') {
        net += 1;
        if (mode === 'interp' && char === '{') interpDepth[interpDepth.length - 1]! += 1;
      } else if (char === '}' || char === ']' || char === ')') {
        net -= 1;
        if (mode === 'interp' && char === '}') {
          if (interpDepth[interpDepth.length - 1] === 0) {
            modes.pop();
            interpDepth.pop();
          } else interpDepth[interpDepth.length - 1]! -= 1;
        }
      } else if (char === '=' && firstEqual === undefined) {
        const previous = raw[index - 1] ?? '';
        const isOperator = next === '=' || next === '>' || ['=', '!', '<', '>'].includes(previous);
        if (!isOperator) firstEqual = { index, netBefore: net };
      }
    }
    const complete =
      firstEqual !== undefined && raw.slice(0, firstEqual.index).trim() !== '' && net - firstEqual.netBefore === 0;
    result.push({ text: raw, net, assign: complete ? firstEqual?.index : undefined, verbatim: false });
  }
  return result;
}

/** The nearest top-level block header at or above a line, for the finding's block. */
function blockAt(lines: LineShape[], index: number): string {
  for (let cursor = index; cursor >= 0; cursor -= 1) {
    const header = /^([a-z_]+(?:\s+"[^"]*")*)\s*\{/.exec(lines[cursor]?.text ?? '');
    if (header?.[1]) return header[1];
  }
  return 'file';
}

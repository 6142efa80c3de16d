/** JSON.parse with the error located as line and column, which a template author needs to find it. */
export function parseJsonWithLocation(text: string, origin: string): { value?: unknown; problem?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    let where = '';
    if (lineColumn) where = `line ${lineColumn[1]}, column ${lineColumn[2]}`;
    else if (position) {
      const { line, column } = lineAndColumn(text, Number(position[1]));
      where = `line ${line}, column ${column}`;
    } else if (/unexpected end/i.test(message)) {
      const { line, column } = lineAndColumn(text, text.length);
      where = `line ${line}, column ${column} (end of file)`;
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
    return { problem: `${origin} is not valid JSON${where ? ` at ${where}` : ''}: ${reason}` };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

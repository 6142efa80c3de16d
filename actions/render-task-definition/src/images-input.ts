import { parseKeyValueLines } from '@berth/kit';

/**
 * Reads `container=image` items (one per line, commas also separate: image URIs never contain one). A container
 * given twice is refused rather than letting one line win: a value pasted into the input could otherwise add a
 * second item that replaces the intended image.
 */
export function parseImages(text: string, inputName = 'images'): { images: Map<string, string>; problems: string[] } {
  const { pairs, problems: lineProblems } = parseKeyValueLines(text, { splitCommas: true });
  const problems = lineProblems.map((p) => `input "${inputName}": ${p}; write one container=image-uri per line`);
  const byContainer = new Map<string, { value: string; line: number }[]>();
  for (const { key, value, line } of pairs) {
    if (value === '') {
      problems.push(
        `input "${inputName}" line ${line} "${key}=" gives container "${key}" no image; write ${key}=<image-uri>`,
      );
      continue;
    }
    byContainer.set(key, [...(byContainer.get(key) ?? []), { value, line }]);
  }
  const images = new Map<string, string>();
  for (const [container, entries] of byContainer) {
    if (entries.length > 1) {
      const given = entries.map((e) => `line ${e.line} "${e.value}"`).join(', ');
      problems.push(
        `input "${inputName}" gives container "${container}" ${entries.length} images (${given}): ` +
          'give each container exactly one image',
      );
    } else {
      images.set(container, entries[0]!.value);
    }
  }
  return { images, problems };
}

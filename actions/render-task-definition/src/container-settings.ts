/** One `container:NAME=value` line of the environment-variables or secrets input. */
export interface ContainerSetting {
  container: string;
  name: string;
  value: string;
}

/** Parses `container:NAME=value` lines; the value may contain `=` and `:`. */
export function parseContainerSettings(
  text: string,
  inputName: string,
): { settings: ContainerSetting[]; problems: string[] } {
  const settings: ContainerSetting[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z0-9_-]+):([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) {
      problems.push(`input "${inputName}" line ${index + 1} "${line}" is not of the form container:NAME=value`);
      return;
    }
    settings.push({ container: match[1]!, name: match[2]!, value: match[3]! });
  });
  return { settings, problems };
}

type Container = Record<string, unknown> & { name?: unknown };

/**
 * Sets images and merges environment variables and secrets into the named containers (the same name
 * replaces). A container name that the definition does not have is a problem listing those it has.
 */
export function applyContainerSettings(
  containers: Container[],
  images: ReadonlyMap<string, string>,
  environment: readonly ContainerSetting[],
  secrets: readonly ContainerSetting[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(containers.filter((c) => typeof c.name === 'string').map((c) => [c.name as string, c]));
  const known = [...byName.keys()].join(', ') || '(none)';
  const find = (name: string, input: string): Container | undefined => {
    const container = byName.get(name);
    if (!container)
      problems.push(`input "${input}" names container "${name}", but the template's containers are: ${known}`);
    return container;
  };

  for (const [name, image] of images) {
    const container = find(name, 'images');
    if (container) container.image = image;
  }
  for (const setting of environment) {
    const container = find(setting.container, 'environment-variables');
    if (container)
      container.environment = mergeByName(container.environment, setting.name, {
        name: setting.name,
        value: setting.value,
      });
  }
  for (const setting of secrets) {
    const container = find(setting.container, 'secrets');
    if (container)
      container.secrets = mergeByName(container.secrets, setting.name, {
        name: setting.name,
        valueFrom: setting.value,
      });
  }
  return problems;
}

function mergeByName(list: unknown, name: string, entry: Record<string, string>): unknown[] {
  const entries = Array.isArray(list)
    ? list.filter((e) => !(typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name))
    : [];
  return [...entries, entry];
}

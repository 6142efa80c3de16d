/**
 * Fargate's valid task-level CPU/memory pairings (CPU units → allowed memory in MiB), from the
 * "Task CPU and memory" table of the Amazon ECS developer guide.
 */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

function steps(from: number, to: number, by: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += by) values.push(v);
  return values;
}

/** CPU as ECS accepts it: "1024", 1024 or "1 vCPU" / "0.25 vcpu". Undefined when unreadable. */
export function parseCpuUnits(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
  return vcpu ? Math.round(Number(vcpu[1]) * 1024) : undefined;
}

/** Memory as ECS accepts it: "2048", 2048 or "2 GB" / "2GB". Undefined when unreadable. */
export function parseMemoryMiB(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const gb = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(text);
  return gb ? Math.round(Number(gb[1]) * 1024) : undefined;
}

/** A problem sentence when cpu/memory is not a Fargate size, else undefined. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const row = FARGATE_SIZES.find((size) => size.cpu === cpu);
  if (!row) {
    return `cpu ${cpu} is not a Fargate CPU size: use one of ${FARGATE_SIZES.map((s) => s.cpu).join(', ')}`;
  }
  if (row.memory.includes(memory)) return undefined;
  const first = row.memory[0]!;
  const last = row.memory[row.memory.length - 1]!;
  const allowed =
    row.memory.length <= 4 ? row.memory.join(', ') : `${first} to ${last} in steps of ${row.memory[1]! - first}`;
  const fitting = FARGATE_SIZES.filter((s) => s.memory.includes(memory)).map((s) => s.cpu);
  return (
    `memory ${memory} MiB is not valid with cpu ${cpu} on Fargate: cpu ${cpu} allows ${allowed} MiB` +
    (fitting.length > 0 ? `; memory ${memory} fits cpu ${fitting.join(' or ')}` : '')
  );
}

import { ALL_DEPENDENCY_FIELDS, type WorkspacePackage, workspaceDependencies } from './workspace.js';

/** A directed graph: package name -> names it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The workspace dependency graph over every dependency field (development ones included:
 * turbo orders `^build` by them too, so a dev-only cycle still breaks the build order).
 */
export function workspaceGraph(packages: readonly WorkspacePackage[]): DependencyGraph {
  const names = new Set(packages.map((pkg) => pkg.name));
  return new Map(packages.map((pkg) => [pkg.name, workspaceDependencies(pkg, names, ALL_DEPENDENCY_FIELDS)]));
}

/**
 * Finds the cycles of a dependency graph: one example path per strongly connected component
 * that has more than one node or a self-edge (Tarjan's algorithm, then a walk inside the
 * component). Each cycle is returned closed, e.g. `['a', 'b', 'a']`.
 */
export function findDependencyCycles(graph: DependencyGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  const connect = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };

  for (const node of [...graph.keys()].sort()) {
    if (!index.has(node)) connect(node);
  }

  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...members].sort()[0]!;
    if (members.size === 1 && !(graph.get(start) ?? []).includes(start)) continue;
    cycles.push(cycleThrough(start, members, graph));
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A shortest path from `start` back to itself inside one strongly connected component (BFS). */
function cycleThrough(start: string, members: ReadonlySet<string>, graph: DependencyGraph): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error(`internal: ${start} is in a cycle but no path back was found`);
}

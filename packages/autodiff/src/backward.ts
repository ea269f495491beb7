import { formatShape } from './shape.js';
import { gradOf, type Tensor, type TensorData } from './tensor.js';

/**
 * Reverse-mode sweep from `root`: seeds its gradient (1 for a one-element tensor, else `seed`,
 * the gradient of some scalar with respect to `root`), then visits the tape in reverse
 * topological order, each node pushing its gradient to its parents. Gradients accumulate into
 * existing `grad` buffers, as PyTorch's do (zero them, or preset views, before the call).
 */
export function backward(root: Tensor, seed?: ArrayLike<number>): void {
  if (seed === undefined && root.size !== 1) {
    throw new RangeError(
      `backward: the root has shape ${formatShape(root.shape)}; give a seed gradient for a non-scalar root`,
    );
  }
  if (seed !== undefined && seed.length !== root.size)
    throw new RangeError(`backward: seed has ${seed.length} elements, the root has ${root.size}`);
  if (!root.requiresGrad) return;
  const order = topologicalOrder(root);
  const g = gradOf(root);
  if (seed === undefined) g[0]! += 1;
  else for (let i = 0; i < g.length; i++) g[i]! += seed[i]!;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if (node.backwardFn !== undefined && node.grad !== undefined) node.backwardFn(node.grad as TensorData);
  }
}

/** Nodes that need gradients, parents before children (iterative DFS: deep graphs do not overflow the stack). */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    if (next < node.parents.length) {
      top[1] = next + 1;
      const parent = node.parents[next]!;
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

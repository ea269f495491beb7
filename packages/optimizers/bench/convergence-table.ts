// Prints the convergence table (test/convergence-table.ts): for every optimizer, the steps (or
// iterations) and objective evaluations it takes to get within a common distance of the
// minimiser, and where it is after its step budget. `pnpm convergence`.
import {
  converge,
  convexQuadratic,
  matrixQuadratic,
  matrixTable,
  type Problem,
  quadraticTable,
  type Row,
  rosenbrockTable,
  rosenbrockValley,
} from '../test/convergence-table.js';

function table(problem: Problem, rows: readonly Row[], target: number): string {
  const lines = [
    `### ${problem.name}: steps and evaluations to distance < ${target}`,
    '',
    '| optimizer | first step within | evaluations by then | budget | distance after budget |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const r = converge(row.method, problem, row.steps, target);
    lines.push(
      `| ${row.name} | ${r.stepsToTarget ?? 'not reached'} | ${r.evaluationsToTarget ?? '-'} | ${row.steps} | ${r.distance.toExponential(1)} |`,
    );
  }
  return lines.join('\n');
}

console.log(table(convexQuadratic, quadraticTable, 1e-6));
console.log();
console.log(table(rosenbrockValley, rosenbrockTable, 1e-3));
console.log();
console.log(table(matrixQuadratic, matrixTable, 1e-3));

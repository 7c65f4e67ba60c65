import { averagePathLength } from './path_length';

/**
 * All trees of a forest as flat typed arrays, scikit-learn's node layout: tree t owns nodes
 * [nodeOffsets[t], nodeOffsets[t + 1]); child indices are local to the tree, -1 at a leaf.
 * Axis-parallel nodes split on `feature` at `threshold`; extended nodes split on the hyperplane
 * sum(planeWeight * x[planeFeature]) <= threshold, with plane k of node i at
 * [planeOffsets[i], planeOffsets[i + 1]).
 */
export interface ForestArrays {
  readonly kind: 'axis-parallel' | 'extended';
  readonly nodeOffsets: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Training rows that reached the node: a leaf's count feeds c(n), and TreeSHAP uses them as cover. */
  readonly nodeSamples: Int32Array;
  /** Axis-parallel: split column, -1 at a leaf. Extended: -1 at a leaf, else the plane's first column. */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly planeOffsets?: Int32Array;
  readonly planeFeature?: Int32Array;
  readonly planeWeight?: Float64Array;
}

export function treeCount(forest: ForestArrays): number {
  return forest.nodeOffsets.length - 1;
}

/** Depth of the deepest leaf over all trees. */
export function maxLeafDepth(forest: ForestArrays): number {
  let deepest = 0;
  const depth = new Int32Array(forest.left.length);
  for (let t = 0; t < treeCount(forest); t++) {
    const base = forest.nodeOffsets[t]!;
    const end = forest.nodeOffsets[t + 1]!;
    depth[base] = 0;
    // Children always follow their parent (validated), so one forward pass sets every depth.
    for (let i = base; i < end; i++) {
      const l = forest.left[i]!;
      if (l === -1) {
        if (depth[i]! > deepest) deepest = depth[i]!;
        continue;
      }
      depth[base + l] = depth[i]! + 1;
      depth[base + forest.right[i]!] = depth[i]! + 1;
    }
  }
  return deepest;
}

/** Each leaf's path length, depth + c(leaf size), the quantity every score averages; 0 elsewhere. */
export function leafPathLengths(forest: ForestArrays): Float64Array {
  // Locals, not property reads per node: this runs once per model load, before V8 has optimised it.
  const { left, right, nodeSamples, nodeOffsets } = forest;
  const values = new Float64Array(left.length);
  const depth = new Int32Array(left.length);
  const trees = treeCount(forest);
  for (let t = 0; t < trees; t++) {
    const base = nodeOffsets[t]!;
    const end = nodeOffsets[t + 1]!;
    for (let i = base; i < end; i++) {
      const l = left[i]!;
      if (l === -1) {
        values[i] = depth[i]! + averagePathLength(nodeSamples[i]!);
      } else {
        depth[base + l] = depth[i]! + 1;
        depth[base + right[i]!] = depth[i]! + 1;
      }
    }
  }
  return values;
}

/** Child links as forest-wide node indices (-1 at leaves), so a walk needs no per-tree offset. */
export function globalChildren(forest: ForestArrays): { left: Int32Array; right: Int32Array } {
  const left = new Int32Array(forest.left.length);
  const right = new Int32Array(forest.right.length);
  for (let t = 0; t < treeCount(forest); t++) {
    const base = forest.nodeOffsets[t]!;
    for (let i = base; i < forest.nodeOffsets[t + 1]!; i++) {
      const l = forest.left[i]!;
      left[i] = l === -1 ? -1 : base + l;
      right[i] = l === -1 ? -1 : base + forest.right[i]!;
    }
  }
  return { left, right };
}

/**
 * Structural problems of a forest, or [] when it is sound: array lengths, child links (each
 * child after its parent, so no cycles), leaf markers, columns in range, finite thresholds, and
 * sample counts that add up (TreeSHAP's expectations rely on them).
 */
/** Where a problem is, built only for a problem: a string per node was most of the check's cost at model load. */
const nodeName = (tree: number, local: number) => `tree ${tree} node ${local}`;

export function forestProblems(forest: ForestArrays, nFeatures: number): string[] {
  const problems: string[] = [];
  const nNodes = forest.left.length;
  const { nodeOffsets } = forest;
  for (const [name, arr] of [['right', forest.right], ['nodeSamples', forest.nodeSamples], ['feature', forest.feature], ['threshold', forest.threshold]] as const) {
    if (arr.length !== nNodes) problems.push(`'${name}' has ${arr.length} nodes, 'left' has ${nNodes}`);
  }
  if (nodeOffsets.length < 2 || nodeOffsets[0] !== 0 || nodeOffsets[nodeOffsets.length - 1] !== nNodes) {
    problems.push(`'nodeOffsets' must start at 0 and end at the node count ${nNodes}`);
  }
  if (forest.kind === 'extended') {
    const { planeOffsets, planeFeature, planeWeight } = forest;
    if (!planeOffsets || !planeFeature || !planeWeight) problems.push('an extended forest needs planeOffsets, planeFeature and planeWeight');
    else if (planeOffsets.length !== nNodes + 1 || planeOffsets[nNodes] !== planeFeature.length || planeWeight.length !== planeFeature.length) {
      problems.push('plane arrays do not match the node count');
    }
  }
  if (problems.length > 0) return problems;

  for (let t = 0; t + 1 < nodeOffsets.length && problems.length < 5; t++) {
    const base = nodeOffsets[t]!;
    const size = nodeOffsets[t + 1]! - base;
    if (size < 1) {
      problems.push(`tree ${t} has no nodes`);
      continue;
    }
    for (let local = 0; local < size && problems.length < 5; local++) {
      const i = base + local;
      const l = forest.left[i]!;
      const r = forest.right[i]!;
      if (forest.nodeSamples[i]! < 0) problems.push(`${nodeName(t, local)}: negative sample count`);
      if (l === -1 || r === -1) {
        if (l !== r) problems.push(`${nodeName(t, local)}: only one child is -1`);
        else if (forest.feature[i] !== -1) problems.push(`${nodeName(t, local)}: a leaf must have feature -1`);
        continue;
      }
      if (l <= local || r <= local || l >= size || r >= size) {
        problems.push(`${nodeName(t, local)}: children ${l}, ${r} must lie after the node and inside the tree (${size} nodes)`);
        continue;
      }
      if (forest.nodeSamples[base + l]! + forest.nodeSamples[base + r]! !== forest.nodeSamples[i]) {
        problems.push(`${nodeName(t, local)}: children's sample counts do not add up to ${forest.nodeSamples[i]}`);
      }
      if (Number.isNaN(forest.threshold[i]!)) problems.push(`${nodeName(t, local)}: threshold is NaN`);
      if (forest.kind === 'axis-parallel') {
        const f = forest.feature[i]!;
        if (f < 0 || f >= nFeatures) problems.push(`${nodeName(t, local)}: feature ${f} outside 0..${nFeatures - 1}`);
      } else {
        const start = forest.planeOffsets![i]!;
        const end = forest.planeOffsets![i + 1]!;
        if (end <= start) problems.push(`${nodeName(t, local)}: empty hyperplane`);
        for (let k = start; k < end; k++) {
          const f = forest.planeFeature![k]!;
          if (f < 0 || f >= nFeatures) problems.push(`${nodeName(t, local)}: plane feature ${f} outside 0..${nFeatures - 1}`);
          if (!Number.isFinite(forest.planeWeight![k]!)) problems.push(`${nodeName(t, local)}: plane weight is not finite`);
        }
      }
    }
  }
  return problems;
}

/** Appends trees node by node; arrays grow by doubling and are trimmed once at the end. */
export class ForestBuilder {
  private nodes = 0;
  private planes = 0;
  private readonly offsets: number[] = [0];
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  private samples = new Int32Array(1024);
  private feature = new Int32Array(1024);
  private threshold = new Float64Array(1024);
  private planeOffsets = new Int32Array(1025);
  private planeFeature = new Int32Array(1024);
  private planeWeight = new Float64Array(1024);

  constructor(private readonly kind: ForestArrays['kind']) {}

  /** Index the next node will get inside the current tree. */
  get nodesInTree(): number {
    return this.nodes - this.offsets[this.offsets.length - 1]!;
  }

  /** Adds a node (a leaf until setSplit) and returns its tree-local index. */
  addNode(nodeSamples: number, feature = -1, threshold = 0): number {
    if (this.nodes === this.left.length) this.growNodes();
    const i = this.nodes++;
    this.left[i] = -1;
    this.right[i] = -1;
    this.samples[i] = nodeSamples;
    this.feature[i] = feature;
    this.threshold[i] = threshold;
    this.planeOffsets[i + 1] = this.planes;
    return this.nodesInTree - 1;
  }

  /** Adds the hyperplane of the node added last (extended forests). */
  addPlane(features: ArrayLike<number>, weights: ArrayLike<number>, count: number): void {
    while (this.planes + count > this.planeFeature.length) {
      this.planeFeature = grow(this.planeFeature, Int32Array);
      this.planeWeight = grow(this.planeWeight, Float64Array);
    }
    for (let k = 0; k < count; k++) {
      this.planeFeature[this.planes] = features[k]!;
      this.planeWeight[this.planes++] = weights[k]!;
    }
    this.planeOffsets[this.nodes] = this.planes;
  }

  /** Turns a node of the current tree into a split (children are linked as they are added). */
  setSplit(localNode: number, feature: number, threshold: number): void {
    const i = this.offsets[this.offsets.length - 1]! + localNode;
    this.feature[i] = feature;
    this.threshold[i] = threshold;
  }

  setLeft(localNode: number, leftLocal: number): void {
    this.left[this.offsets[this.offsets.length - 1]! + localNode] = leftLocal;
  }

  setRight(localNode: number, rightLocal: number): void {
    this.right[this.offsets[this.offsets.length - 1]! + localNode] = rightLocal;
  }

  endTree(): void {
    this.offsets.push(this.nodes);
  }

  build(): ForestArrays {
    const n = this.nodes;
    const common = {
      nodeOffsets: Int32Array.from(this.offsets),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      nodeSamples: this.samples.slice(0, n),
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
    };
    if (this.kind === 'axis-parallel') return { kind: 'axis-parallel', ...common };
    return {
      kind: 'extended',
      ...common,
      planeOffsets: this.planeOffsets.slice(0, n + 1),
      planeFeature: this.planeFeature.slice(0, this.planes),
      planeWeight: this.planeWeight.slice(0, this.planes),
    };
  }

  private growNodes(): void {
    this.left = grow(this.left, Int32Array);
    this.right = grow(this.right, Int32Array);
    this.samples = grow(this.samples, Int32Array);
    this.feature = grow(this.feature, Int32Array);
    this.threshold = grow(this.threshold, Float64Array);
    const offsets = new Int32Array(this.left.length + 1);
    offsets.set(this.planeOffsets);
    this.planeOffsets = offsets;
  }
}

function grow<T extends Int32Array | Float64Array>(arr: T, Ctor: new (n: number) => T): T {
  const bigger = new Ctor(arr.length * 2);
  bigger.set(arr);
  return bigger;
}

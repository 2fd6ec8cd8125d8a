import { Finding, finding } from "../data/findings";
import { InstanceShape, allocatable } from "./instances";

/** One workload on a pool: its max replicas and per-pod requests. */
export interface PoolWorkload {
    /** `service/role` or a platform component. */
    readonly name: string;
    readonly maxReplicas: number;
    readonly cpuMillis: number;
    readonly memoryMiB: number;
}

export interface PoolFitInput {
    /** `pool@region`. */
    readonly pool: string;
    readonly instanceType: string;
    readonly shape: InstanceShape;
    readonly maxNodes: number;
    readonly workloads: readonly PoolWorkload[];
    /** Requests every node carries before any workload (DaemonSets such as ztunnel). */
    readonly perNode?: NodeOverhead;
}

/** Per-node requests of the DaemonSets, taken off each node's allocatable. */
export interface NodeOverhead {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
}

const noOverhead: NodeOverhead = { cpuMillis: 0, memoryMiB: 0 };

/** A node's allocatable once the DaemonSets have their share. */
function usable(shape: InstanceShape, perNode: NodeOverhead): { cpuMillis: number; memoryMiB: number } {
    const a = allocatable(shape);
    return { cpuMillis: Math.max(0, a.cpuMillis - perNode.cpuMillis), memoryMiB: Math.max(0, a.memoryMiB - perNode.memoryMiB) };
}

export interface PoolFitResult {
    readonly pool: string;
    readonly requiredCpuMillis: number;
    readonly requiredMemoryMiB: number;
    readonly capacityCpuMillis: number;
    readonly capacityMemoryMiB: number;
    /** Fraction of capacity left at every workload's max replicas (negative: does not fit). */
    readonly cpuHeadroom: number;
    readonly memoryHeadroom: number;
    readonly fits: boolean;
}

/** Does the pool at its maximum size hold every workload at its maximum replicas? */
export function poolFit(input: PoolFitInput): PoolFitResult {
    const perNode = usable(input.shape, input.perNode ?? noOverhead);
    const requiredCpuMillis = input.workloads.reduce((s, w) => s + w.maxReplicas * w.cpuMillis, 0);
    const requiredMemoryMiB = input.workloads.reduce((s, w) => s + w.maxReplicas * w.memoryMiB, 0);
    const capacityCpuMillis = perNode.cpuMillis * input.maxNodes;
    const capacityMemoryMiB = perNode.memoryMiB * input.maxNodes;
    const cpuHeadroom = capacityCpuMillis === 0 ? -1 : 1 - requiredCpuMillis / capacityCpuMillis;
    const memoryHeadroom = capacityMemoryMiB === 0 ? -1 : 1 - requiredMemoryMiB / capacityMemoryMiB;
    return {
        pool: input.pool,
        requiredCpuMillis,
        requiredMemoryMiB,
        capacityCpuMillis,
        capacityMemoryMiB,
        cpuHeadroom,
        memoryHeadroom,
        fits: cpuHeadroom >= 0 && memoryHeadroom >= 0,
    };
}

/** Nodes needed so the pool holds its workloads at max replicas with `headroom` (0.2 = 20 %) spare. */
export function nodesNeeded(shape: InstanceShape, workloads: readonly PoolWorkload[], headroom: number, overhead: NodeOverhead = noOverhead): number {
    const perNode = usable(shape, overhead);
    const cpu = workloads.reduce((s, w) => s + w.maxReplicas * w.cpuMillis, 0) / (1 - headroom);
    const mem = workloads.reduce((s, w) => s + w.maxReplicas * w.memoryMiB, 0) / (1 - headroom);
    return Math.max(1, Math.ceil(cpu / perNode.cpuMillis), Math.ceil(mem / perNode.memoryMiB));
}

export function poolFitFinding(r: PoolFitResult): Finding {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    const text =
        `requests at max replicas ${r.requiredCpuMillis}m CPU / ${Math.round(r.requiredMemoryMiB)}Mi of ` +
        `${r.capacityCpuMillis}m / ${r.capacityMemoryMiB}Mi allocatable (headroom CPU ${pct(r.cpuHeadroom)}, memory ${pct(r.memoryHeadroom)})`;
    return finding("capacity/node-pool-fit", r.fits ? "info" : "mandatory", r.pool, r.fits ? text : `does not fit: ${text}`);
}

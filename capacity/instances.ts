/**
 * EC2 instance shapes the node pools may use (vCPU, GiB). Data for the capacity model; the AWS
 * profile picks from these.
 */
export interface InstanceShape {
    readonly vcpu: number;
    readonly memoryGiB: number;
}

export const instanceShapes: Readonly<Record<string, InstanceShape>> = {
    "m7i.large": { vcpu: 2, memoryGiB: 8 },
    "m7i.xlarge": { vcpu: 4, memoryGiB: 16 },
    "m7i.2xlarge": { vcpu: 8, memoryGiB: 32 },
    "m7i.4xlarge": { vcpu: 16, memoryGiB: 64 },
    "c7i.xlarge": { vcpu: 4, memoryGiB: 8 },
    "c7i.2xlarge": { vcpu: 8, memoryGiB: 16 },
    "c7i.4xlarge": { vcpu: 16, memoryGiB: 32 },
    "r7i.xlarge": { vcpu: 4, memoryGiB: 32 },
    "r7i.2xlarge": { vcpu: 8, memoryGiB: 64 },
    "t3.large": { vcpu: 2, memoryGiB: 8 },
    "t3.xlarge": { vcpu: 4, memoryGiB: 16 },
};

/** Pods per node with VPC CNI prefix delegation (the platform enables it); the EKS recommendation. */
export const maxPodsPerNode = 110;

/** CPU (m) and memory (MiB) taken on every node by DaemonSets: aws-node, kube-proxy, EBS CSI node, OTel agent. */
export const daemonSetOverhead = { cpuMillis: 250, memoryMiB: 400 } as const;

/**
 * Allocatable CPU (m) and memory (MiB) of one node, by the EKS AMI's kubelet reservations:
 * CPU 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest;
 * memory 255 MiB + 11 MiB per pod, plus the 100 MiB hard-eviction threshold.
 */
export function allocatable(shape: InstanceShape): { cpuMillis: number; memoryMiB: number } {
    const cores = shape.vcpu;
    const tiers: [number, number][] = [
        [1, 0.06],
        [1, 0.01],
        [2, 0.005],
        [Infinity, 0.0025],
    ];
    let left = cores;
    let reservedCpu = 0;
    for (const [n, frac] of tiers) {
        const take = Math.min(left, n);
        reservedCpu += take * 1000 * frac;
        left -= take;
        if (left <= 0) {
            break;
        }
    }
    const reservedMem = 255 + 11 * maxPodsPerNode + 100;
    return {
        cpuMillis: Math.floor(cores * 1000 - reservedCpu - daemonSetOverhead.cpuMillis),
        memoryMiB: Math.floor(shape.memoryGiB * 1024 - reservedMem - daemonSetOverhead.memoryMiB),
    };
}

/** Kubernetes resource quantities as numbers: CPU in millicores, memory in MiB. */

export function cpuMillis(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
    if (!m) {
        throw new Error(`not a CPU quantity: "${q}" (use e.g. 500m or 2)`);
    }
    const n = Number(m[1]);
    return m[2] === "m" ? n : n * 1000;
}

const memoryUnits: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 * 1024,
    K: 1000 / 1048576,
    M: 1e6 / 1048576,
    G: 1e9 / 1048576,
};

export function memoryMiB(q: string): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G)$/.exec(q.trim());
    if (!m) {
        throw new Error(`not a memory quantity: "${q}" (use e.g. 512Mi or 1.5Gi)`);
    }
    return Number(m[1]) * memoryUnits[m[2]];
}

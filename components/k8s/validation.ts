import { K8sServiceCard } from "../../data/catalog/types";
import { ResolvedReplicas } from "../../data/replicas";
import { workloadName } from "../../data/naming/k8s";
import { scalingProblems } from "./scaling";

/** What the validation needs of a ServiceWorkload's inputs (plain data, no Outputs). */
export interface WorkloadValidationInput {
    readonly card: K8sServiceCard;
    readonly replicas: ResolvedReplicas;
    readonly image: string;
    /** Services the platform has a binding (IRSA role, secrets) for, with their secret keys. */
    readonly bindings: Readonly<
        Record<string, { readonly secretKeys: readonly string[]; readonly serviceAccountName: string; readonly namespace: string; readonly hasDatabaseReadUrl?: boolean }>
    >;
}

const digestPinned = /^[^\s@]+@sha256:[a-f0-9]{64}$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const envName = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Every problem with a card on a platform, before any resource exists. Empty: the workload can be
 * built. The component turns a non-empty list into one ResourceError.
 */
export function validateServiceWorkload(input: WorkloadValidationInput): string[] {
    const { card } = input;
    const problems: string[] = [];
    if (!digestPinned.test(input.image)) {
        problems.push(`image "${input.image}" is not pinned by digest (registry/repo@sha256:<64 hex>)`);
    }
    if (!dnsLabel.test(card.namespace) || card.namespace.length > 63) {
        problems.push(`namespace "${card.namespace}" is not a DNS-1123 label`);
    }
    const binding = input.bindings[card.service];
    if (!binding) {
        problems.push(`the platform has no binding (IRSA role, secrets) for ${card.service}`);
    } else {
        if (binding.namespace !== card.namespace) {
            problems.push(`binding namespace "${binding.namespace}" differs from the card's "${card.namespace}" (the IAM role trusts the wrong service account)`);
        }
        const missing = card.secrets.filter((k) => !binding.secretKeys.includes(k));
        if (missing.length > 0) {
            problems.push(`the platform binding has no Secrets Manager entry for ${missing.join(", ")}`);
        }
    }
    for (const key of [...card.secrets, ...Object.keys(card.config)]) {
        if (!envName.test(key)) {
            problems.push(`"${key}" is not an environment variable name`);
        }
    }
    const clash = card.secrets.filter((k) => k in card.config);
    if (clash.length > 0) {
        problems.push(`${clash.join(", ")} is both config and secret`);
    }
    const seen = new Set<string>();
    for (const role of card.roles) {
        const id = `${card.service}/${role.name}`;
        const name = workloadName(card, role);
        if (seen.has(role.name)) {
            problems.push(`${id}: duplicate role`);
        }
        seen.add(role.name);
        if (!dnsLabel.test(name) || name.length > 52) {
            // 52: CronJob names are capped so the Job names derived from them stay within 63.
            problems.push(`${id}: "${name}" is not a DNS-1123 label of at most 52 characters`);
        }
        const range = input.replicas[id];
        if (!range) {
            problems.push(`${id}: no replica range resolved`);
        } else if (range.max < range.min) {
            problems.push(`${id}: max replicas ${range.max} < min ${range.min}`);
        } else if (role.runtime !== "cronjob" && range.min < 1) {
            problems.push(`${id}: a long-running role needs at least one replica (min ${range.min})`);
        }
        if (range) {
            problems.push(...scalingProblems(id, role, range));
        }
        if (role.readsFromReplicas && (!card.database || binding?.hasDatabaseReadUrl !== true)) {
            // seeds/003 §12: reads go to the replicas; without the reader endpoint they would land on the writer.
            problems.push(`${id}: reads from the database's replicas, but the platform gives no reader endpoint (POSTGRES_READ_URL)`);
        }
        if (role.dbPoolPerPod > 0 && !card.database) {
            problems.push(`${id}: a database pool of ${role.dbPoolPerPod} without a database`);
        }
        if (role.runtime === "cronjob") {
            if (!role.schedule) {
                problems.push(`${id}: a cron job needs a schedule`);
            }
            if (role.scaling.length > 0 || role.exposure) {
                problems.push(`${id}: a cron job neither scales nor serves traffic`);
            }
        } else {
            if (!role.probes) {
                problems.push(`${id}: a long-running role needs startup, readiness and liveness probes`);
            } else if (role.probes.liveness.path === role.probes.readiness.path) {
                // Readiness may check dependencies; liveness must not (case study §27.5).
                problems.push(`${id}: liveness shares the readiness endpoint ${role.probes.readiness.path}`);
            }
        }
        if (role.runtime === "statefulset" && role.scaling.length > 0) {
            problems.push(`${id}: StatefulSet roles run a fixed replica count`);
        }
        if (role.exposure?.stickyBy && role.exposure.reach !== "edge") {
            problems.push(`${id}: sticky routing is an edge (gateway) feature`);
        }
        if (role.exposure?.reach === "edge" && !role.exposure.pathPrefix) {
            problems.push(`${id}: an edge exposure needs a path prefix`);
        }
        for (const t of role.scaling) {
            if (t.kind === "cpu" && (t.targetUtilizationPercent <= 0 || t.targetUtilizationPercent > 100)) {
                problems.push(`${id}: CPU target ${t.targetUtilizationPercent}% is not a percentage`);
            }
            if ((t.kind === "prometheus" && t.threshold <= 0) || (t.kind === "nats-jetstream" && t.lagThreshold <= 0)) {
                problems.push(`${id}: scaling thresholds must be positive`);
            }
        }
    }
    return problems;
}

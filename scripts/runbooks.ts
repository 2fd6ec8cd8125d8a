import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { catalog } from "../data/catalog";
import { routePolicies } from "../data/catalog/failure-policies";
import { featureOfSecret, switchOf } from "../data/catalog/features";
import { AlertSignal, alertAnchor, alertSignals, backlogLimit, backlogTrigger, burnRateWindows, errorBudget, latencyBudget, runbookPath } from "../data/catalog/observability";
import { CloudRunServiceCard, Environment, FailurePolicy, K8sServiceCard, ReplicaRange, TopologyCard, environments } from "../data/catalog/types";
import { PROJECT, StackConfig, catalogRequirements, parseStackConfig } from "../data/config";
import { resolveReplicas } from "../data/replicas";
import { cloudDeployPlan, releaseOf, rollbackGate } from "../data/catalog/release";
import { shortName, workloadName } from "../data/naming/k8s";
import { sqlInstanceName, unitOf } from "../data/naming/gcp";

/**
 * Runbooks generated from the topology cards and the stack matrix (issue 13): `npm run runbooks`
 * writes `docs/runbooks/<service>.md` (the path each card names); `npm run runbooks -- --check`
 * (and tests/observe/runbooks.test.ts, so CI) fails when a committed runbook differs from what this
 * script writes. Every alert's `runbook_url` points at a section here.
 */

export const ROOT = path.resolve(__dirname, "..");

/** One stack as the runbooks show it. */
export interface StackRow {
    readonly stack: string;
    readonly config: StackConfig;
    readonly replicas: Readonly<Record<string, ReplicaRange>>;
}

/** Every stack file, parsed and validated like the program does. */
export function stackMatrix(root = ROOT): StackRow[] {
    const stacks = fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
    return stacks.map((stack) => {
        const doc = (YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) ?? {}) as { config?: Record<string, unknown> };
        const raw: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(doc.config ?? {})) {
            const [ns, ...rest] = k.split(":");
            if (ns === PROJECT) {
                raw[rest.join(":")] = v;
            }
        }
        const config = parseStackConfig(stack, raw, catalogRequirements(catalog));
        return { stack, config, replicas: resolveReplicas(catalog, config.environment, config.replicaOverrides) };
    });
}

const range = (r: ReplicaRange | undefined): string => (r ? `${r.min}–${r.max}` : "—");
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function policyRows(policies: readonly FailurePolicy[]): string[] {
    return [
        "| dependency | timeout | retry (idempotent only) | circuit breaker | degradation |",
        "|---|---|---|---|---|",
        ...policies.map(
            (p) =>
                `| ${p.dependency} | ${p.timeoutMs} ms | ${p.retry.attempts === 0 ? "none in the call" : `${p.retry.attempts}× after ${p.retry.backoffMs} ms, budget ${p.retry.budgetPercent}% of calls`} | opens after ${p.circuitBreaker.consecutiveFailures} consecutive failures for ${p.circuitBreaker.openSeconds} s; ${p.circuitBreaker.maxConcurrent} calls in flight | ${cell(p.behavior)} |`,
        ),
    ];
}

function signalText(card: TopologyCard, s: AlertSignal): string {
    switch (s.kind) {
        case "availability-burn":
            return `Burn of the availability error budget (SLO ${card.slo.availability}%, budget ${errorBudget(card.slo.availability)} of requests over 30 days). Multi-window burn rates: ${burnRateWindows.map((w) => `${w.factor}× over ${w.long} and ${w.short} (${w.severity})`).join("; ")}.`;
        case "latency-burn":
            return `Burn of the p95 latency budget: at most ${latencyBudget * 100}% of requests slower than ${card.slo.p95LatencyMs} ms over 30 days, same burn-rate windows as availability.`;
        case "backlog":
            return `The backlog of role \`${s.role}\` stays past what its max replicas absorb (the per-pod scaling target × max replicas) for ${s.forMinutes} min.`;
        case "leader-missing":
            return `No replica of \`${s.role}\` renewed the leader lease for ${s.staleSeconds} s: the leader's loops do not run.`;
        case "job-failed":
            return `A run of the \`${s.role}\` job failed.`;
        case "dependency-failure-rate":
            return `More than ${s.ratio * 100}% of calls to one dependency (HTTP clients by \`server_address\`, database clients by \`db_system_name\`) fail for ${s.forMinutes} min (seed 001 §6's 1% error tolerance).`;
        case "dlq-depth":
            return `More than ${s.messages} messages in a dead-letter subscription (\`melmastoon.dlq.notif.<consumer>\`): a message failed 5 delivery attempts (seed 001 §4.4).`;
        case "oldest-unacked":
            return `The oldest unacknowledged message of a subscription is older than ${s.seconds} s.`;
    }
}

function thresholdRows(card: K8sServiceCard, s: AlertSignal & { kind: "backlog" }): string[] {
    const role = card.roles.find((r) => r.name === s.role);
    const trigger = backlogTrigger(role);
    if (!role || !trigger) {
        return [];
    }
    const what = trigger.kind === "nats-jetstream" ? `JetStream ${trigger.stream}/${trigger.consumer} pending messages` : `\`${trigger.query}\``;
    return [
        "",
        `Watched value: ${what}. Threshold per environment (card replicas):`,
        "",
        "| environment | max replicas | alert above |",
        "|---|---|---|",
        ...environments.map((e: Environment) => `| ${e} | ${role.replicas[e].max} | ${backlogLimit(trigger, role.replicas[e])} |`),
    ];
}

function firstSteps(card: TopologyCard, s: AlertSignal): string[] {
    const dash = card.platform === "eks" ? `Grafana dashboard \`${card.service}-overview\`` : `Cloud Monitoring dashboard "${card.service} — overview"`;
    switch (s.kind) {
        case "availability-burn":
        case "latency-burn":
            return [
                `Open the ${dash}: which role, since when, which status codes.`,
                "Check the dependency panel: a failing dependency shows its degradation (table above) — follow that dependency's row.",
                "A release in the last hour: roll it back (emergency levers).",
            ];
        case "backlog":
            return [`Confirm the role runs at its max replicas (autoscaler panel of the ${dash}).`, "Check the role's dependencies (database latency, broker health): a slow dependency, not load, is the usual cause.", "If load is real and the dependencies have headroom, raise the role's max with a replica override (emergency levers)."];
        case "leader-missing":
            return [`\`kubectl -n ${card.platform === "eks" ? card.namespace : unitOf(card.service)} get lease\` and the StatefulSet's pods: a pod stuck terminating holds the lease until it expires.`, "Delete a stuck pod; the other replica takes the lease."];
        case "job-failed":
            return ["Read the failed job's logs; the job is idempotent and the next hourly run retries it.", "If two runs failed, create the missing partitions by hand before the month turns."];
        case "dependency-failure-rate":
            return ["Find the dependency in the alert's labels; its row above says what degrades and whether the breaker is open.", "Check the dependency owner's status; do not add retries (one retry layer, case study §10)."];
        case "dlq-depth":
            return ["Find the consumer in the subscription id; inspect a dead-lettered message.", "Fix the cause, then replay the dead-letter subscription into the topic (sends are idempotent by notification id)."];
        case "oldest-unacked":
            return ["Check the consumer's Cloud Run service: errors, instance count at max, vendor latency.", "Scale the consumer's max instances (replica override) if it is at max and healthy."];
    }
}

function levers(card: TopologyCard): string[] {
    const out: string[] = [];
    out.push("- **Capacity**: set `learning-platform:replicaOverrides` in the stack file, key `<service>/<role>` with `{ min, max }`, then `pulumi up` (bounded by the database connection budget: the plan fails if the pool math breaks).");
    const features = new Set(card.secrets.map((k) => featureOfSecret(k)).filter((f) => f !== undefined));
    for (const f of features) {
        out.push(`- **${f.description}**: switch \`${switchOf(f.name)}\` off in the stack file; the feature's flags turn off and pods stop requiring its secret.`);
    }
    if (card.platform === "eks") {
        const flags = Object.keys(card.config).filter((k) => k.startsWith("FEATURE_"));
        for (const k of flags) {
            out.push(`- **${k}**: served by the in-cluster flag service (flagd, data/flags.ts); the ConfigMap value is only the start-up default.`);
        }
        for (const r of card.roles) {
            if (r.runtime === "deployment") {
                out.push(`- **Roll back ${workloadName(card, r)}**: \`kubectl -n ${card.namespace} rollout undo deployment/${workloadName(card, r)}\` (schemas are backward-compatible by policy).`);
            } else if (r.runtime === "cronjob") {
                out.push(`- **Pause ${workloadName(card, r)}**: \`kubectl -n ${card.namespace} patch cronjob ${workloadName(card, r)} -p '{"spec":{"suspend":true}}'\`.`);
            }
        }
        for (const r of card.roles.filter((x) => routePolicies[`${card.service}/${x.name}`])) {
            out.push(`- **Shed load at the edge (${workloadName(card, r)})**: lower the route's concurrency cap in data/catalog/failure-policies.ts (\`${card.service}/${r.name}\`); past it the gateway answers 503 at once.`);
        }
    } else {
        const unit = unitOf(card.service);
        for (const r of card.roles) {
            if (r.featureFlag) {
                out.push(`- **${unit}-${r.name}**: feature flag \`${r.featureFlag}\` (LaunchDarkly) off stops its traffic.`);
            }
        }
        out.push(`- **Roll back a Cloud Run service**: \`gcloud run services update-traffic ${unit}-<role> --region <region> --to-revisions <previous-revision>=100\`.`);
        out.push(`- **Isolate a channel**: set the worker's max instances to 0 with a replica override (\`${card.service}/worker-<channel>\`); Pub/Sub keeps its messages for 7 days.`);
    }
    return out;
}

/** How a release reaches this service and how it is rolled back (issue 12; the rollback alerts link here). */
function releaseSteps(card: TopologyCard): string[] {
    const gate = `error rate > ${rollbackGate.maxErrorRatePercent} % over ${rollbackGate.errorWindowMinutes} min, or p95 > ${rollbackGate.maxP95VersusBaseline} × the current version's`;
    if (card.platform === "cloud-run") {
        const steps = cloudDeployPlan.canary.map((c) => `${c.percent} % for ${c.soakMinutes} min`).join(" → ");
        return [
            `Cloud Deploy pipeline \`${unitOf(card.service)}\`: targets ${cloudDeployPlan.targets.join(" → ")}, ${cloudDeployPlan.approvalRequired.join(", ")} behind approval; the prod canary runs ${steps} → 100 %.`,
            "",
            `Automatic rollback: the automation rolls the rollout back when ${gate}, or the synthetic post-deploy check fails (the three rollback alert policies).`,
            "",
            `By hand: \`gcloud deploy targets rollback <target> --delivery-pipeline=${unitOf(card.service)} --region=<region>\`, then set \`images.${card.imageKey}\` in the stack file back to the previous digest and run \`pulumi up\` so the program and Cloud Run agree.`,
        ];
    }
    const rows = card.roles.map((r) => {
        const per = environments.map((e) => {
            const s = releaseOf(r, e);
            const text = s.kind === "canary" ? `canary ${s.stepWeights.join(" → ")} → 100 %` : s.kind === "blue-green" ? `blue/green, ${s.iterations} checks` : s.kind === "rolling" ? `rolling (surge ${s.maxSurge}, unavailable ${s.maxUnavailable})` : "drain with 5 min notice, then recreate";
            return `${e}: ${text}`;
        });
        return `- \`${workloadName(card, r)}\`: ${per.join("; ")}`;
    });
    return [
        ...rows,
        "",
        `Automatic rollback (canary and blue/green roles): Flagger aborts the analysis and routes all traffic back to the primary when ${gate}.`,
        "",
        `By hand: set \`images.${card.imageKey}\` in the stack file back to the previous digest and run \`pulumi up\`. A change during an analysis restarts it with the new revision, so this also replaces a canary in flight; the primary keeps serving the last promoted image meanwhile.`,
    ];
}

function drSteps(card: TopologyCard, matrix: readonly StackRow[]): string[] {
    const out = [`RPO ${card.dr.rpoMinutes} min, RTO ${card.dr.rtoMinutes} min (card \`dr\`).`, ""];
    for (const row of matrix) {
        const c = row.config;
        if (card.platform === "eks") {
            const active = c.aws.regions.filter((r) => r.role === "active").map((r) => r.region);
            const passive = c.aws.regions.filter((r) => r.role === "passive").map((r) => r.region);
            const db = card.database ? `Aurora cluster of \`${card.database.name}\`` : "the service's data";
            if (passive.length > 0) {
                out.push(`- **${row.stack}**: ${db} is a global database with its secondary in ${passive.join(", ")}: \`aws rds failover-global-cluster\` to the ${passive[0]} cluster, then scale the ${passive[0]} workloads to their prod bounds; tenants' traffic follows DNS.`);
            } else if (active.length > 1) {
                out.push(`- **${row.stack}**: active/active in ${active.join(" and ")}: route the lost region's tenants to the other (tenant-service home region), restore ${db} from PITR there.`);
            } else {
                out.push(`- **${row.stack}**: single region ${active.join(", ")}: restore ${db} from point-in-time recovery into a new cluster and redeploy; the quarterly drill rehearses this.`);
            }
        } else {
            const dr = c.gcp.regions.find((r) => r.role === "dr");
            const primary = c.gcp.regions.find((r) => r.role === "active");
            if (dr && primary) {
                out.push(`- **${row.stack}**: promote the Cloud SQL replica of \`${sqlInstanceName(unitOf(card.service), c.environment, primary.region)}\` in ${dr.region} (\`gcloud sql instances promote-replica\`), raise the ${dr.region} services' min instances, point the load balancer's backends at ${dr.region}.`);
            } else if (primary) {
                out.push(`- **${row.stack}**: no DR region: restore \`${sqlInstanceName(unitOf(card.service), c.environment, primary.region)}\` from backup (PITR 7 days).`);
            }
        }
    }
    return out;
}

function scalingRows(card: TopologyCard, matrix: readonly StackRow[]): string[] {
    const roles = card.roles.map((r) => r.name);
    return [
        `| stack | environment | regions | ${roles.join(" | ")} |`,
        `|---|---|---|${roles.map(() => "---").join("|")}|`,
        ...matrix.map((row) => {
            const regions = card.platform === "eks" ? row.config.aws.regions.map((r) => `${r.region} (${r.role})`) : row.config.gcp.regions.map((r) => `${r.region} (${r.role})`);
            return `| ${row.stack} | ${row.config.environment} | ${regions.join(", ")} | ${roles.map((r) => range(row.replicas[`${card.service}/${r}`])).join(" | ")} |`;
        }),
    ];
}

/** The runbook of one card. */
export function renderRunbook(card: TopologyCard, matrix: readonly StackRow[]): string {
    const k8s = card.platform === "eks" ? (card as K8sServiceCard) : undefined;
    const run = card.platform === "cloud-run" ? (card as CloudRunServiceCard) : undefined;
    const lines: string[] = [
        `# ${card.service} runbook`,
        "",
        `<!-- Generated by \`npm run runbooks\` (scripts/runbooks.ts) from the topology card (data/catalog) and the stack files. Do not edit: change the card and regenerate. -->`,
        "",
        "## Service",
        "",
        `- Owner: ${card.owner}; criticality: ${card.criticality}; source: ${card.source}`,
        `- Platform: ${k8s ? `EKS, namespace \`${k8s.namespace}\`` : `Cloud Run, services \`${unitOf(card.service)}-<role>\``}`,
        `- SLO: availability ${card.slo.availability}%, p95 latency ${card.slo.p95LatencyMs} ms (30-day window)`,
        `- Dashboard: ${k8s ? `Grafana \`${card.service}-overview\` (ConfigMap \`${shortName(card)}-dashboard\`)` : `Cloud Monitoring "${card.service} — overview"`}`,
        `- Roles: ${card.roles.map((r) => `\`${r.name}\` (${r.description})`).join("; ")}`,
        "",
        "## Dependencies and failure policies",
        "",
        "One retry layer: the service's client library (FAILURE_POLICIES_JSON in its config) for service-to-service calls — the ambient mesh carries L4 only — and the gateway for edge routes, which retries only what never reached a pod (case study §10, §14).",
        "",
        ...policyRows(card.failurePolicy),
        "",
    ];
    if (k8s) {
        const routes = k8s.roles.filter((r) => routePolicies[`${card.service}/${r.name}`]);
        if (routes.length > 0) {
            lines.push("### Edge routes", "", "| route | deadline | retry | concurrency cap | pod ejection |", "|---|---|---|---|---|");
            for (const r of routes) {
                const p = routePolicies[`${card.service}/${r.name}`];
                lines.push(
                    `| ${r.exposure?.pathPrefix ?? r.name} → ${workloadName(card, r)} | ${p.timeoutMs > 0 ? `${p.timeoutMs} ms` : "none (WebSocket session)"} | ${p.retry.attempts}× on connect failure / refused stream | ${p.circuitBreaker.maxConcurrent} | after ${p.circuitBreaker.consecutiveFailures} local-origin failures, ${p.circuitBreaker.openSeconds} s |`,
                );
            }
            lines.push("");
        }
    }
    lines.push("## Emergency levers", "", ...levers(card), "", "## Alerts", "");
    for (const a of card.alerts) {
        const s = alertSignals[a];
        lines.push(`### ${alertAnchor(a)}`, "");
        if (!s) {
            lines.push("No signal defined.", "");
            continue;
        }
        lines.push(signalText(card, s));
        if (k8s && s.kind === "backlog") {
            lines.push(...thresholdRows(k8s, s));
        }
        lines.push("", "First steps:", "", ...firstSteps(card, s).map((x, i) => `${i + 1}. ${x}`), "");
    }
    lines.push("## Release and rollback", "", ...releaseSteps(card), "");
    lines.push("## Scaling bounds", "", run ? "Instances (Cloud Run min–max) per role and stack:" : "Replicas (min–max) per role and stack:", "", ...scalingRows(card, matrix), "", "## Disaster recovery", "", ...drSteps(card, matrix), "");
    return lines.join("\n");
}

/** Every runbook, by repository path. */
export function renderAll(root = ROOT): Record<string, string> {
    const matrix = stackMatrix(root);
    return Object.fromEntries(catalog.map((card) => [runbookPath(card), renderRunbook(card, matrix)]));
}

function main(): void {
    const check = process.argv.includes("--check");
    const stale: string[] = [];
    for (const [rel, text] of Object.entries(renderAll())) {
        const file = path.join(ROOT, rel);
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        if (current === text) {
            continue;
        }
        if (check) {
            stale.push(rel);
        } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
            console.log(`wrote ${rel}`);
        }
    }
    if (stale.length > 0) {
        console.error(`runbooks differ from the cards: ${stale.join(", ")}; run \`npm run runbooks\``);
        process.exit(1);
    }
}

if (require.main === module) {
    main();
}

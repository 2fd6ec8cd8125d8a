import * as fs from "fs";
import * as path from "path";
import Ajv2019 from "ajv/dist/2019";
import YAML from "yaml";
import type { Manifest } from "./manifests";

/**
 * A third-party yardstick: the Polaris workload checks (a checks folder such as
 * shared/conformance/polaris, kept unchanged) applied to the manifests the plan renders. Each
 * check's own JSON Schema (draft 2019-09) is applied to its target (container, pod spec, pod
 * template, controller, or any object of its target kind), with Polaris's include/exclude lists and
 * the severities of its default.yaml. A check whose schema is a Go template (`schemaString`) or that
 * compares objects (`additionalSchemaStrings`) needs Polaris's runtime: it is reported as not
 * evaluated, with the reason and the project rule that covers its concern in `npm test`.
 */

export interface Check {
    readonly id: string;
    readonly severity: "danger" | "warning" | "ignore";
    readonly target?: string;
    readonly schemaTarget?: string;
    readonly schema?: Record<string, unknown>;
    readonly schemaString?: string;
    readonly additionalSchemaStrings?: Record<string, string>;
    readonly controllers?: { include?: string[]; exclude?: string[] };
    readonly containers?: { exclude?: string[] };
}

/** A manifest and where it comes from (the stack), for the report. */
export interface Subject {
    readonly stack: string;
    readonly manifest: Manifest;
}

export interface Failure {
    readonly stack: string;
    /** Kind/namespace/name[/container]. */
    readonly where: string;
    /** Why this failure is accepted (a warning the platform does not follow, for a stated reason). */
    readonly accepted?: string;
}

export interface CheckOutcome {
    readonly id: string;
    readonly severity: Check["severity"];
    readonly status: "passed" | "failed" | "not-evaluated";
    /** Objects the schema was applied to (0 when not evaluated). */
    readonly objects: number;
    readonly failures: readonly Failure[];
    /** Why the check was not evaluated. */
    readonly reason?: string;
    /** The project's policy rule(s) that cover the concern in `npm test`, when there is one. */
    readonly coveredBy?: readonly string[];
}

/**
 * Warnings this platform does not follow, each for a stated reason: for every object (`*`) or for
 * the named objects only, like Polaris's own `exemptions`. Any other failure fails the run.
 */
export const acceptedWarnings: Readonly<Record<string, { readonly objects: "*" | readonly string[]; readonly reason: string }>> = {
    pullPolicyNotAlways: {
        objects: "*",
        reason: "images are digest-pinned: IfNotPresent cannot run a different image, and Always would tie every pod start to the registry",
    },
    deploymentMissingReplicas: {
        objects: "*",
        reason: "autoscaled Deployments leave spec.replicas to the HPA KEDA creates (setting it would reset the count on every update); fixed roles set it from the catalog, dev runs one",
    },
};

/**
 * The project's own rules (policy/rules/*.ts, run by `npm test` and `npm run plan`) that cover a
 * Polaris check's concern, so a check this runner cannot evaluate still has a test in the repository.
 */
export const coveredBy: Readonly<Record<string, readonly string[]>> = {
    tagNotSpecified: ["k8s-image-digest"],
    priorityClassNotSet: ["k8s-priority-and-instance"],
    metadataAndInstanceMismatched: ["k8s-priority-and-instance"],
    readinessProbeMissing: ["k8s-probes"],
    livenessProbeMissing: ["k8s-probes"],
    pdbDisruptionsIsZero: ["k8s-pdb"],
    missingPodDisruptionBudget: ["k8s-pdb"],
    pdbMinAvailableGreaterThanHPAMinReplicas: ["k8s-pdb"],
    topologySpreadConstraint: ["k8s-zone-spread"],
    cpuRequestsMissing: ["k8s-requests-limits"],
    cpuLimitsMissing: ["k8s-requests-limits"],
    memoryRequestsMissing: ["k8s-requests-limits"],
    memoryLimitsMissing: ["k8s-requests-limits"],
    automountServiceAccountToken: ["k8s-service-account-token"],
    hostIPCSet: ["k8s-host-isolation"],
    hostPIDSet: ["k8s-host-isolation"],
    hostNetworkSet: ["k8s-host-isolation"],
    hostPathSet: ["k8s-host-isolation"],
    hostPortSet: ["k8s-host-isolation"],
    hostProcess: ["k8s-host-isolation"],
    procMount: ["k8s-host-isolation"],
    linuxHardening: ["k8s-capabilities-seccomp"],
    dangerousCapabilities: ["k8s-capabilities-seccomp"],
    insecureCapabilities: ["k8s-capabilities-seccomp"],
    missingNetworkPolicy: ["k8s-network-policy-coverage"],
    notReadOnlyRootFilesystem: ["k8s-non-root-read-only"],
    privilegeEscalationAllowed: ["k8s-non-root-read-only"],
    runAsRootAllowed: ["k8s-non-root-read-only"],
    runAsPrivileged: ["k8s-non-root-read-only"],
    sensitiveContainerEnvVar: ["no-plaintext-secrets"],
    sensitiveConfigmapContent: ["no-plaintext-secrets"],
    clusterrolePodExecAttach: ["k8s-rbac-least-privilege"],
    rolePodExecAttach: ["k8s-rbac-least-privilege"],
    clusterrolebindingPodExecAttach: ["k8s-rbac-least-privilege"],
    rolebindingClusterRolePodExecAttach: ["k8s-rbac-least-privilege"],
    rolebindingRolePodExecAttach: ["k8s-rbac-least-privilege"],
    clusterrolebindingClusterAdmin: ["k8s-rbac-least-privilege"],
    rolebindingClusterAdminClusterRole: ["k8s-rbac-least-privilege"],
    rolebindingClusterAdminRole: ["k8s-rbac-least-privilege"],
};

/** The checks default.yaml enables, each with its severity and its own file (a missing file is an error). */
export function loadChecks(dir: string): Check[] {
    const defaults = YAML.parse(fs.readFileSync(path.join(dir, "default.yaml"), "utf8")) as { checks?: Record<string, Check["severity"]> };
    const entries = Object.entries(defaults.checks ?? {});
    if (entries.length === 0) {
        throw new Error(`${path.join(dir, "default.yaml")} enables no checks`);
    }
    return entries.map(([id, severity]) => {
        const file = path.join(dir, `${id}.yaml`);
        if (!fs.existsSync(file)) {
            throw new Error(`default.yaml enables ${id}, but ${file} does not exist`);
        }
        return { ...(YAML.parse(fs.readFileSync(file, "utf8")) as Omit<Check, "id" | "severity">), id, severity };
    });
}

const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];
const workloadTargets = ["Container", "PodSpec", "PodTemplate", "Controller"];

function podTemplateOf(m: Manifest): Record<string, unknown> | undefined {
    const spec = m.spec as Record<string, unknown> | undefined;
    if (!spec) {
        return undefined;
    }
    if (m.kind === "CronJob") {
        const job = (spec.jobTemplate as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec;
        return job?.template;
    }
    return spec.template as Record<string, unknown> | undefined;
}

function applies(check: Check, kind: string): boolean {
    if (check.controllers?.include && !check.controllers.include.includes(kind)) {
        return false;
    }
    return !check.controllers?.exclude?.includes(kind);
}

/** Does a manifest match a Polaris target "group/Kind" ("/Kind" for the core group)? */
function isTargetKind(target: string, m: Manifest): boolean {
    const [group, kind] = target.split("/");
    const apiGroup = m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : "";
    return kind === m.kind && group === apiGroup;
}

/** Polaris patterns are Go regular expressions: an inline `(?i)` becomes JavaScript's `i` flag. */
const goRegExp = Object.assign(
    (pattern: string, flags: string) => (pattern.includes("(?i)") ? new RegExp(pattern.split("(?i)").join(""), `${flags}i`) : new RegExp(pattern, flags)),
    { code: "goRegExp" },
);

/** Polaris's Go validator accepts `required:` with no list (hostPortSet); JSON Schema wants an array. */
function tolerant(schema: unknown): Record<string, unknown> {
    const fix = (v: unknown): unknown => {
        if (Array.isArray(v)) {
            return v.map(fix);
        }
        if (v && typeof v === "object") {
            return Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === "required" && !Array.isArray(x))).map(([k, x]) => [k, fix(x)]));
        }
        return v;
    };
    return fix(schema) as Record<string, unknown>;
}

/** Why a check cannot be evaluated here, before looking at any object; undefined when it can. */
function unsupported(check: Check): string | undefined {
    if (check.schemaString !== undefined) {
        return "its schema is a Go template (schemaString) that Polaris renders per object";
    }
    if (check.additionalSchemaStrings !== undefined) {
        return `it compares objects (additionalSchemaStrings on ${Object.keys(check.additionalSchemaStrings).join(", ")}), which needs Polaris's runtime`;
    }
    if (!check.schema) {
        return "it has no schema";
    }
    if (!check.target) {
        return "it has no target";
    }
    return undefined;
}

function acceptance(id: string, severity: string, where: string): string | undefined {
    const a = acceptedWarnings[id];
    if (severity !== "warning" || !a) {
        return undefined;
    }
    return a.objects === "*" || a.objects.some((o) => where === o || where.startsWith(`${o}/`)) ? a.reason : undefined;
}

/** Applies one check to every subject: the objects it was applied to and each failure. */
function evaluateOne(check: Check, schema: Record<string, unknown>, target: string, subjects: readonly Subject[]): { objects: number; failures: Failure[] } {
    const ajv = new Ajv2019({ strict: false, allErrors: false, code: { regExp: goRegExp } });
    // A schema with a Go field (`{{ .metadata.name }}`) is compiled per object, filled in.
    const text = JSON.stringify(schema);
    const fixed = text.includes("{{") ? undefined : ajv.compile(tolerant(schema));
    const failures: Failure[] = [];
    let objects = 0;
    for (const { stack, manifest: m } of subjects) {
        const validate = fixed ?? ajv.compile(tolerant(JSON.parse(text.split("{{ .metadata.name }}").join(String(m.metadata.name)))));
        const where = `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name ?? ""}`;
        const fail = (w: string) => failures.push({ stack, where: w, accepted: acceptance(check.id, check.severity, w) });
        if (!workloadTargets.includes(target)) {
            if (isTargetKind(target, m)) {
                objects++;
                if (!validate(m)) {
                    fail(where);
                }
            }
            continue;
        }
        if (!workloadKinds.includes(m.kind) || !applies(check, m.kind)) {
            continue;
        }
        const template = podTemplateOf(m);
        const podSpec = template?.spec as { containers?: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] } | undefined;
        if (!template || !podSpec) {
            continue;
        }
        if (target === "Controller" || target === "PodTemplate" || target === "PodSpec") {
            objects++;
            if (!validate(target === "Controller" ? m : target === "PodTemplate" ? template : podSpec)) {
                fail(where);
            }
            continue;
        }
        const containers = [...(podSpec.containers ?? []), ...(check.containers?.exclude?.includes("initContainer") ? [] : (podSpec.initContainers ?? []))];
        for (const c of containers) {
            objects++;
            // schemaTarget PodSpec: the check reads the pod spec with only this container in it.
            const subject = check.schemaTarget === "PodSpec" ? { ...podSpec, containers: [c], initContainers: [] } : c;
            if (!validate(subject)) {
                fail(`${where}/${String(c.name)}`);
            }
        }
    }
    return { objects, failures };
}

/**
 * Every check against every subject. A check fails when an object fails it and the failure is not
 * an accepted warning; it is not evaluated when it needs Polaris's runtime or the plan has no
 * object of its target.
 */
export function evaluate(checks: readonly Check[], subjects: readonly Subject[]): CheckOutcome[] {
    return checks.map((check) => {
        const base = { id: check.id, severity: check.severity, coveredBy: coveredBy[check.id] };
        const why = unsupported(check);
        if (why !== undefined || !check.schema || !check.target) {
            return { ...base, status: "not-evaluated" as const, objects: 0, failures: [], reason: why };
        }
        const { objects, failures } = evaluateOne(check, check.schema, check.target, subjects);
        if (objects === 0) {
            return { ...base, status: "not-evaluated" as const, objects, failures, reason: `the plan renders no object it targets (${check.target})` };
        }
        const failed = check.severity !== "ignore" && failures.some((f) => f.accepted === undefined);
        return { ...base, status: failed ? ("failed" as const) : ("passed" as const), objects, failures };
    });
}

export interface ConformanceSummary {
    readonly checks: number;
    readonly evaluated: number;
    readonly passed: number;
    readonly failed: number;
    readonly notEvaluated: number;
}

export function summarize(outcomes: readonly CheckOutcome[]): ConformanceSummary {
    const count = (s: CheckOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
    return {
        checks: outcomes.length,
        evaluated: count("passed") + count("failed"),
        passed: count("passed"),
        failed: count("failed"),
        notEvaluated: count("not-evaluated"),
    };
}

/** The report: the counts, then every failed check's objects, every not-evaluated check with its reason. */
export function renderConformance(outcomes: readonly CheckOutcome[], source: string): string {
    const s = summarize(outcomes);
    const lines = [
        `Polaris checks from ${source}: ${s.checks} — evaluated ${s.evaluated} (passed ${s.passed}, failed ${s.failed}), could not be evaluated ${s.notEvaluated}`,
    ];
    for (const o of outcomes.filter((x) => x.status === "failed")) {
        lines.push(`FAILED ${o.id} (${o.severity}):`);
        for (const f of o.failures.filter((x) => x.accepted === undefined)) {
            lines.push(`  ${f.stack}: ${f.where}`);
        }
    }
    for (const o of outcomes.filter((x) => x.status === "passed")) {
        const accepted = o.failures.filter((x) => x.accepted !== undefined);
        const note = accepted.length > 0 ? `; ${accepted.length} accepted: ${accepted[0].accepted}` : "";
        lines.push(`passed ${o.id} (${o.severity}) on ${o.objects} object(s)${note}`);
    }
    for (const o of outcomes.filter((x) => x.status === "not-evaluated")) {
        const cover = o.coveredBy ? `; covered in npm test by ${o.coveredBy.join(", ")}` : "; no project rule covers it";
        lines.push(`not evaluated ${o.id} (${o.severity}): ${o.reason ?? "unknown"}${cover}`);
    }
    return `${lines.join("\n")}\n`;
}

import * as fs from "fs";
import * as path from "path";
import Ajv2019 from "ajv/dist/2019";
import YAML from "yaml";
import { listStacks } from "../../plan/engine";
import { Manifest } from "../../plan/manifests";
import { planOf } from "../harness";

/**
 * A third-party yardstick: the Polaris workload checks (kept unchanged in shared/conformance/polaris)
 * applied to every workload the plan renders. Each check's own JSON Schema (draft 2019-09) is applied
 * to its target (container, pod spec, pod template, controller, PDB), with Polaris's include/exclude
 * lists and the severities of its default.yaml. Checks whose schema is a Go template (schemaString)
 * and the cross-object `additionalSchemaStrings` are Polaris-runtime features and are not evaluated
 * here; the policy pack covers those concerns (NetworkPolicy selection, PDB vs replicas).
 */

const dir = path.resolve(__dirname, "..", "..", "..", "shared", "conformance", "polaris");

interface Check {
    readonly id: string;
    readonly severity: "danger" | "warning";
    readonly target: string;
    readonly schemaTarget?: string;
    readonly schema?: Record<string, unknown>;
    readonly controllers?: { include?: string[]; exclude?: string[] };
    readonly containers?: { exclude?: string[] };
}

/**
 * Warnings this platform does not follow, each for a stated reason: for every object (`*`) or for
 * the named objects only, like Polaris's own `exemptions`. Any other failure fails the test.
 */
const acceptedWarnings: Readonly<Record<string, { readonly objects: "*" | readonly string[]; readonly reason: string }>> = {
    pullPolicyNotAlways: {
        objects: "*",
        reason: "images are digest-pinned: IfNotPresent cannot run a different image, and Always would tie every pod start to the registry",
    },
    deploymentMissingReplicas: {
        objects: "*",
        reason: "autoscaled Deployments leave spec.replicas to the HPA KEDA creates (setting it would reset the count on every update); fixed roles set it from the catalog, dev runs one",
    },
    automountServiceAccountToken: {
        objects: ["StatefulSet/assignment/assignment-scheduler"],
        reason: "the scheduler's leader election uses a coordination.k8s.io Lease, so it needs an API token; every other pod runs without one",
    },
};

function accepted(f: { id: string; severity: string; where: string }): boolean {
    const a = acceptedWarnings[f.id];
    if (f.severity !== "warning" || !a) {
        return false;
    }
    return a.objects === "*" || a.objects.some((o) => f.where === o || f.where.startsWith(`${o}/`));
}

function loadChecks(): Check[] {
    const defaults = YAML.parse(fs.readFileSync(path.join(dir, "default.yaml"), "utf8")) as { checks: Record<string, "danger" | "warning"> };
    return Object.entries(defaults.checks)
        .filter(([id]) => fs.existsSync(path.join(dir, `${id}.yaml`)))
        .map(([id, severity]) => ({ id, severity, ...(YAML.parse(fs.readFileSync(path.join(dir, `${id}.yaml`), "utf8")) as Omit<Check, "id" | "severity">) }));
}

const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

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

/** Every (check, object) failure, as "check: Kind/namespace/name[/container]". */
function evaluate(checks: readonly Check[], manifests: readonly Manifest[]): { id: string; severity: string; where: string }[] {
    const ajv = new Ajv2019({ strict: false, allErrors: false, code: { regExp: goRegExp } });
    const failures: { id: string; severity: string; where: string }[] = [];
    for (const check of checks) {
        if (!check.schema) {
            continue;
        }
        // A schema with a Go template (`{{ .metadata.name }}`) is compiled per object, filled in.
        const templated = JSON.stringify(check.schema).includes("{{");
        const fixed = templated ? undefined : ajv.compile(tolerant(check.schema));
        for (const m of manifests) {
            const validate = fixed ?? ajv.compile(tolerant(JSON.parse(JSON.stringify(check.schema).split("{{ .metadata.name }}").join(String(m.metadata.name)))));
            const where = `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name ?? ""}`;
            if (check.target === "policy/PodDisruptionBudget" && m.kind === "PodDisruptionBudget") {
                if (!validate(m)) {
                    failures.push({ id: check.id, severity: check.severity, where });
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
            if (check.target === "Controller" && !validate(m)) {
                failures.push({ id: check.id, severity: check.severity, where });
            } else if (check.target === "PodTemplate" && !validate(template)) {
                failures.push({ id: check.id, severity: check.severity, where });
            } else if (check.target === "PodSpec" && !validate(podSpec)) {
                failures.push({ id: check.id, severity: check.severity, where });
            } else if (check.target === "Container") {
                const containers = [
                    ...(podSpec.containers ?? []).map((c) => ({ c, init: false })),
                    ...(check.containers?.exclude?.includes("initContainer") ? [] : (podSpec.initContainers ?? []).map((c) => ({ c, init: true }))),
                ];
                for (const { c } of containers) {
                    // schemaTarget PodSpec: the check reads the pod spec with only this container in it.
                    const subject = check.schemaTarget === "PodSpec" ? { ...podSpec, containers: [c], initContainers: [] } : c;
                    if (!validate(subject)) {
                        failures.push({ id: check.id, severity: check.severity, where: `${where}/${String(c.name)}` });
                    }
                }
            }
        }
    }
    return failures;
}

const checks = loadChecks();

describe("Polaris checks", () => {
    it("load from shared/conformance with their severities", () => {
        const ids = checks.map((c) => c.id);
        expect(ids).toEqual(expect.arrayContaining(["runAsRootAllowed", "privilegeEscalationAllowed", "tagNotSpecified", "cpuLimitsMissing"]));
        expect(checks.find((c) => c.id === "runAsRootAllowed")?.severity).toBe("danger");
    });

    it("catch what they are meant to catch (a root, privileged, untagged container fails)", () => {
        const bad: Manifest = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "bad", namespace: "x" },
            spec: { replicas: 1, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "nginx", securityContext: { privileged: true, allowPrivilegeEscalation: true } }] } } },
        };
        const ids = new Set(evaluate(checks, [bad]).map((f) => f.id));
        for (const id of ["runAsRootAllowed", "runAsPrivileged", "privilegeEscalationAllowed", "tagNotSpecified", "cpuRequestsMissing", "livenessProbeMissing"]) {
            expect(ids).toContain(id);
        }
    });

    it.each(listStacks())("%s: every rendered workload passes every danger and warning check (accepted warnings aside)", async (stack) => {
        const { manifests } = await planOf(stack);
        const rendered = manifests.map((m) => m.manifest);
        expect(rendered.filter((m) => workloadKinds.includes(m.kind)).length).toBeGreaterThan(0);
        const failures = evaluate(checks, rendered).filter((f) => !accepted(f));
        expect(failures).toEqual([]);
    });
});

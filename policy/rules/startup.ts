import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, clusterOf, k8sNameOf, namespaceOf, regionOf } from "../resource-index";
import { arr, obj } from "./util";

/**
 * Everything starts on an empty account (issue 9 item 2). Every value a pod or a Cloud Run revision
 * reads at start must exist after the first `pulumi up`: a ConfigMap or Secret the program
 * registers, or a Secret an ExternalSecret it registers writes — and External Secrets writes it only
 * when every remote key has a value, i.e. a Secrets Manager secret with a SecretVersion the program
 * registers (or one its tags declare operations have filled: `value-source=operations` with
 * `feature-enabled=true`, the stack's switch). A Cloud Run revision's secret needs a Secret Manager
 * version. A required value nobody provides holds the pod in CreateContainerConfigError (and
 * `pulumi up` on the Deployment's await) forever: mandatory. An optional reference, or a secret read
 * at run time, whose value operations will provide is reported as info with the switch that turns
 * its feature on.
 *
 * Not checked: pods of Helm releases (the charts create their own Secrets, e.g. NATS'), which the
 * program registers as one release, not as workloads.
 */

const podSpecPaths: Record<string, (spec: Record<string, unknown>) => unknown> = {
    "kubernetes:apps/v1:Deployment": (s) => obj(obj(s.template).spec),
    "kubernetes:apps/v1:StatefulSet": (s) => obj(obj(s.template).spec),
    "kubernetes:apps/v1:DaemonSet": (s) => obj(obj(s.template).spec),
    "kubernetes:batch/v1:Job": (s) => obj(obj(s.template).spec),
    "kubernetes:batch/v1:CronJob": (s) => obj(obj(obj(obj(s.jobTemplate).spec).template).spec),
};

const cloudRunTypes = ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job"];

/** One value a workload reads at start. */
export interface StartRef {
    readonly kind: "secret" | "configMap";
    readonly name: string;
    /** Absent: the whole object (envFrom, volume without items). */
    readonly key?: string;
    readonly optional: boolean;
    /** Where the pod spec reads it, for the message. */
    readonly via: string;
}

/** Every ConfigMap / Secret reference of a pod spec (containers, init containers, volumes). */
export function startRefs(podSpec: Record<string, unknown>): StartRef[] {
    const refs: StartRef[] = [];
    const containers = [...arr(podSpec.containers), ...arr(podSpec.initContainers)].map(obj);
    for (const c of containers) {
        const cname = String(c.name ?? "?");
        for (const e of arr(c.envFrom).map(obj)) {
            const s = obj(e.secretRef);
            const m = obj(e.configMapRef);
            if (typeof s.name === "string") {
                refs.push({ kind: "secret", name: s.name, optional: s.optional === true, via: `${cname} envFrom` });
            }
            if (typeof m.name === "string") {
                refs.push({ kind: "configMap", name: m.name, optional: m.optional === true, via: `${cname} envFrom` });
            }
        }
        for (const e of arr(c.env).map(obj)) {
            const from = obj(e.valueFrom);
            const s = obj(from.secretKeyRef);
            const m = obj(from.configMapKeyRef);
            if (typeof s.name === "string") {
                refs.push({ kind: "secret", name: s.name, key: String(s.key), optional: s.optional === true, via: `${cname} env ${String(e.name)}` });
            }
            if (typeof m.name === "string") {
                refs.push({ kind: "configMap", name: m.name, key: String(m.key), optional: m.optional === true, via: `${cname} env ${String(e.name)}` });
            }
        }
    }
    const volumeRefs = (v: Record<string, unknown>, via: string) => {
        const s = obj(v.secret);
        const m = obj(v.configMap);
        if (typeof s.secretName === "string") {
            refs.push({ kind: "secret", name: s.secretName, optional: s.optional === true, via });
        }
        if (typeof m.name === "string") {
            refs.push({ kind: "configMap", name: m.name, optional: m.optional === true, via });
        }
    };
    for (const v of arr(podSpec.volumes).map(obj)) {
        volumeRefs(v, `volume ${String(v.name)}`);
        for (const src of arr(obj(v.projected).sources).map(obj)) {
            volumeRefs(src, `projected volume ${String(v.name)}`);
        }
    }
    return refs;
}

/** Why a Secrets Manager secret has (or lacks) a value. */
type ValueState = { readonly has: true } | { readonly has: false; readonly reason: string; readonly switchName?: string; readonly operations?: boolean };

/** Does a version's `secretId` (an ARN, a name or a full id) point at this Secrets Manager secret? */
export function awsSecretIdMatches(secretId: unknown, secretName: string): boolean {
    if (typeof secretId !== "string") {
        return false;
    }
    // Secrets Manager ARNs end with the name, a dash and six random characters.
    const m = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(secretId);
    return secretId === secretName || m?.[1] === secretName;
}

/** Does a Secret Manager version's `secret` (`projects/p/secrets/id` or the id) point at this secret id? */
export function gcpSecretIdMatches(secretRef: unknown, secretId: string): boolean {
    return typeof secretRef === "string" && (secretRef === secretId || secretRef.endsWith(`/secrets/${secretId}`));
}

/** Keys of the Secret cert-manager writes for a Certificate. */
const certificateKeys: readonly string[] = ["tls.crt", "tls.key", "ca.crt"];

/** The links the rule needs, built once per stack. */
export class StartupModel {
    private readonly index: ResourceIndex;

    constructor(resources: readonly PolicyResource[]) {
        this.index = new ResourceIndex(resources);
    }

    private versionedBy(version: PolicyResource, secret: PolicyResource, field: string): boolean {
        // CrossGuard gives the dependency graph; the offline runner the resolved id.
        const deps = version.propertyDependencies?.[field] ?? [];
        return deps.some((d) => d.urn === secret.urn);
    }

    /** The value state of a Secrets Manager secret (by name, in a region when known). */
    awsSecretValue(ref: string, region: string | undefined): ValueState {
        // A reference by ARN (the database bootstrap reads the master secret so): the name is in the ARN.
        const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(ref);
        const name = arn?.[1] ?? ref;
        // `rds!…` secrets are RDS-managed master credentials: RDS writes (and rotates) their value with the cluster.
        if (name.startsWith("rds!")) {
            return { has: true };
        }
        const secrets = this.index
            .of("aws:secretsmanager/secret:Secret")
            .filter((s) => s.props.name === name && (region === undefined || regionOf(s) === undefined || regionOf(s) === region));
        if (secrets.length === 0) {
            return { has: false, reason: `no Secrets Manager secret "${name}"${region ? ` in ${region}` : ""} is created by the program` };
        }
        const secret = secrets[0];
        const versions = this.index.of("aws:secretsmanager/secretVersion:SecretVersion");
        if (versions.some((v) => this.versionedBy(v, secret, "secretId") || awsSecretIdMatches(v.props.secretId, name))) {
            return { has: true };
        }
        const tags = obj(secret.props.tags);
        if (tags["value-source"] === "operations") {
            const switchName = typeof tags["feature-switch"] === "string" ? tags["feature-switch"] : undefined;
            if (tags["feature-enabled"] === "true") {
                // The stack's switch declares operations have put the value.
                return { has: true };
            }
            return { has: false, operations: true, switchName, reason: `Secrets Manager secret "${name}" has no value until operations provide it` };
        }
        return { has: false, reason: `Secrets Manager secret "${name}" has no SecretVersion and nothing else gives it a value` };
    }

    /** Secret Manager secret (GCP) by id: does a version exist? */
    gcpSecretValue(ref: string): ValueState & { readonly secret?: PolicyResource } {
        const id = ref.includes("/secrets/") ? ref.slice(ref.lastIndexOf("/secrets/") + "/secrets/".length) : ref;
        const secret = this.index.of("gcp:secretmanager/secret:Secret").find((s) => s.props.secretId === id);
        if (!secret) {
            return { has: false, reason: `no Secret Manager secret "${id}" is created by the program` };
        }
        const versions = this.index.of("gcp:secretmanager/secretVersion:SecretVersion");
        if (versions.some((v) => this.versionedBy(v, secret, "secret") || gcpSecretIdMatches(v.props.secret, id))) {
            return { has: true, secret };
        }
        return { has: false, secret, reason: `Secret Manager secret "${id}" has no version` };
    }

    private k8sObjects(type: string, cluster: string, ns: string, name: string): PolicyResource[] {
        return this.index.of(type).filter((r) => clusterOf(r) === cluster && namespaceOf(r) === ns && k8sNameOf(r) === name);
    }

    /** The region an ExternalSecret's store reads from. */
    private storeRegion(es: PolicyResource, cluster: string, ns: string): string | undefined {
        const ref = obj(obj(es.props.spec).secretStoreRef);
        const kind = ref.kind === "ClusterSecretStore" ? "kubernetes:external-secrets.io/v1:ClusterSecretStore" : "kubernetes:external-secrets.io/v1:SecretStore";
        const store = this.index.of(kind).find((s) => clusterOf(s) === cluster && (kind.endsWith("ClusterSecretStore") || namespaceOf(s) === ns) && k8sNameOf(s) === ref.name);
        const region = obj(obj(obj(store?.props.spec).provider).aws).region;
        return typeof region === "string" ? region : undefined;
    }

    /**
     * Can the reference be satisfied at start? `missing` lists each value that is not, with the
     * operations switch when one governs it.
     */
    resolve(ref: StartRef, cluster: string, ns: string): { readonly missing: readonly ValueState[] } {
        if (ref.kind === "configMap") {
            const cms = this.k8sObjects("kubernetes:core/v1:ConfigMap", cluster, ns, ref.name);
            if (cms.length === 0) {
                return { missing: [{ has: false, reason: `ConfigMap ${ns}/${ref.name} is not created by the program` }] };
            }
            const data = { ...obj(cms[0].props.data), ...obj(cms[0].props.binaryData) };
            return ref.key === undefined || ref.key in data ? { missing: [] } : { missing: [{ has: false, reason: `ConfigMap ${ns}/${ref.name} has no key ${ref.key}` }] };
        }
        const secrets = this.k8sObjects("kubernetes:core/v1:Secret", cluster, ns, ref.name);
        if (secrets.length > 0) {
            const data = { ...obj(secrets[0].props.data), ...obj(secrets[0].props.stringData) };
            return ref.key === undefined || ref.key in data ? { missing: [] } : { missing: [{ has: false, reason: `Secret ${ns}/${ref.name} has no key ${ref.key}` }] };
        }
        // cert-manager writes a Certificate's Secret (`tls.crt`, `tls.key`, and `ca.crt` from a CA issuer) once issued.
        const certificates = this.index
            .of("kubernetes:cert-manager.io/v1:Certificate")
            .filter((c) => clusterOf(c) === cluster && namespaceOf(c) === ns && obj(c.props.spec).secretName === ref.name);
        if (certificates.length > 0) {
            return ref.key === undefined || certificateKeys.includes(ref.key) ? { missing: [] } : { missing: [{ has: false, reason: `Certificate ${ns}/${k8sNameOf(certificates[0])} writes no key ${ref.key}` }] };
        }
        const writers = this.index
            .of("kubernetes:external-secrets.io/v1:ExternalSecret")
            .filter((es) => clusterOf(es) === cluster && namespaceOf(es) === ns && (obj(obj(es.props.spec).target).name ?? k8sNameOf(es)) === ref.name);
        if (writers.length === 0) {
            return { missing: [{ has: false, reason: `Secret ${ns}/${ref.name} is neither created by the program nor written by an ExternalSecret it creates` }] };
        }
        const es = writers[0];
        const spec = obj(es.props.spec);
        const data = arr(spec.data).map(obj);
        if (ref.key !== undefined && !data.some((d) => d.secretKey === ref.key)) {
            return { missing: [{ has: false, reason: `ExternalSecret ${ns}/${k8sNameOf(es)} writes no key ${ref.key}` }] };
        }
        const region = this.storeRegion(es, cluster, ns);
        // External Secrets fails the whole ExternalSecret when one remote key is missing: every key counts.
        const keys = [...data.map((d) => obj(d.remoteRef).key), ...arr(spec.dataFrom).map((d) => obj(obj(d).extract).key)];
        const missing = keys.map((k) => (typeof k === "string" ? this.awsSecretValue(k, region) : { has: false as const, reason: `ExternalSecret ${ns}/${k8sNameOf(es)} has a remote key that is not a name` })).filter((v) => !v.has);
        return { missing };
    }

    /** Kubernetes workloads and their pod specs. */
    workloads(): { readonly resource: PolicyResource; readonly kind: string; readonly podSpec: Record<string, unknown> }[] {
        return Object.entries(podSpecPaths).flatMap(([type, path]) =>
            this.index.of(type).map((r) => ({ resource: r, kind: type.split(":")[2], podSpec: obj(path(obj(r.props.spec))) })),
        );
    }

    cloudRun(): readonly PolicyResource[] {
        return cloudRunTypes.flatMap((t) => this.index.of(t));
    }

    gcpSecretsWithoutVersion(): { readonly secret: PolicyResource; readonly id: string }[] {
        return this.index
            .of("gcp:secretmanager/secret:Secret")
            .map((s) => ({ secret: s, id: String(s.props.secretId) }))
            .filter((s) => !this.gcpSecretValue(s.id).has);
    }
}

/** Secret references of a Cloud Run service or job template (env and volumes). */
export function cloudRunSecretRefs(props: Record<string, unknown>): { readonly secret: string; readonly via: string }[] {
    const template = obj(props.template);
    // Jobs nest the task template one level deeper.
    const task = obj(template.template);
    const containers = [...arr(template.containers), ...arr(task.containers)].map(obj);
    const volumes = [...arr(template.volumes), ...arr(task.volumes)].map(obj);
    const refs: { secret: string; via: string }[] = [];
    for (const c of containers) {
        for (const e of arr(c.envs).map(obj)) {
            const s = obj(obj(e.valueSource).secretKeyRef).secret;
            if (typeof s === "string") {
                refs.push({ secret: s, via: `${String(c.name ?? "?")} env ${String(e.name)}` });
            }
        }
    }
    for (const v of volumes) {
        const s = obj(v.secret).secret;
        if (typeof s === "string") {
            refs.push({ secret: s, via: `volume ${String(v.name)}` });
        }
    }
    return refs;
}

function describe(kind: string, r: PolicyResource): string {
    return `${kind} ${namespaceOf(r)}/${k8sNameOf(r) ?? r.name}`;
}

export const waitsForever: StackValidationPolicy = {
    name: "startup/waits-forever",
    description:
        "Every value a pod or Cloud Run revision requires at start has a value the program creates (or one a stack switch declares operations have provided): otherwise the workload never starts and `pulumi up` waits on it.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const model = new StartupModel(args.resources);
        for (const w of model.workloads()) {
            const cluster = clusterOf(w.resource);
            const ns = namespaceOf(w.resource);
            for (const ref of startRefs(w.podSpec).filter((x) => !x.optional)) {
                for (const m of model.resolve(ref, cluster, ns).missing) {
                    if (!m.has) {
                        const hint = m.switchName ? ` (turn on ${m.switchName} only once operations have put the value, or read it optionally)` : "";
                        report(`${describe(w.kind, w.resource)} waits forever: ${ref.via} requires ${ref.kind} ${ref.name}${ref.key ? ` key ${ref.key}` : ""}; ${m.reason}${hint}`, w.resource.urn);
                    }
                }
            }
        }
        for (const svc of model.cloudRun()) {
            for (const ref of cloudRunSecretRefs(svc.props)) {
                const v = model.gcpSecretValue(ref.secret);
                if (!v.has) {
                    report(`Cloud Run ${String(svc.props.name ?? svc.name)} never gets a ready revision: ${ref.via} mounts secret ${ref.secret}; ${v.reason}`, svc.urn);
                }
            }
        }
    },
};

export const awaitingOperations: StackValidationPolicy = {
    name: "startup/awaiting-operations",
    description:
        "Values operations will provide, read optionally at start or through the secret API at run time: the feature they belong to stays off until then; each names its switch.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const model = new StartupModel(args.resources);
        for (const w of model.workloads()) {
            const cluster = clusterOf(w.resource);
            const ns = namespaceOf(w.resource);
            for (const ref of startRefs(w.podSpec).filter((x) => x.optional)) {
                for (const m of model.resolve(ref, cluster, ns).missing) {
                    if (!m.has) {
                        const turnOn = m.switchName ? `switch ${m.switchName} turns the feature on once they do` : "no feature switch is tagged on the secret";
                        report(`${describe(w.kind, w.resource)} starts without ${ref.kind} ${ref.name} (optional, ${ref.via}): ${m.reason}; ${turnOn}`, w.resource.urn);
                    }
                }
            }
        }
        // Secrets no revision mounts and nothing versions: read at run time (vendor credentials per tenant).
        const mounted = new Set(model.cloudRun().flatMap((s) => cloudRunSecretRefs(s.props).map((r) => (r.secret.includes("/secrets/") ? r.secret.slice(r.secret.lastIndexOf("/") + 1) : r.secret))));
        for (const { secret, id } of model.gcpSecretsWithoutVersion()) {
            if (mounted.has(id)) {
                continue;
            }
            const source = obj(secret.props.labels).source;
            report(
                `Secret Manager secret ${id} has no version${source === "vendor" ? " (vendor credential container)" : ""}: no revision mounts it; services read vendor credentials per tenant through the Secret Manager API when they use them, and a tenant's channel stays off until operations add its \`vendor/{vendor}/{tenantId}/{credKind}\` secret`,
                secret.urn,
            );
        }
    },
};

export const startupPolicies: StackValidationPolicy[] = [waitsForever, awaitingOperations];

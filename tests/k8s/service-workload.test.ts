import { nonEmpty } from "../harness";
import { RegisteredResource, StackRun } from "../../plan/engine";
import { runStandalone } from "./standalone";
import { Node, items, node } from "./tree";

/**
 * The ServiceWorkload component, on a hand-made platform handle (tests/k8s/fixtures): what each
 * card turns into. tests/k8s/plan.test.ts checks the same objects in the real stacks.
 */

const kinds = {
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    CronJob: "kubernetes:batch/v1:CronJob",
    Service: "kubernetes:core/v1:Service",
    ServiceAccount: "kubernetes:core/v1:ServiceAccount",
    ConfigMap: "kubernetes:core/v1:ConfigMap",
    Namespace: "kubernetes:core/v1:Namespace",
    PDB: "kubernetes:policy/v1:PodDisruptionBudget",
    NetworkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ScaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    ServiceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
    ExternalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    SecretStore: "kubernetes:external-secrets.io/v1:SecretStore",
    HTTPRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    BackendTrafficPolicy: "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
    Role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    RoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    Canary: "kubernetes:flagger.app/v1beta1:Canary",
} as const;

const region = "us-east-1";

function objects(run: StackRun, kind: keyof typeof kinds, namespace: string, cluster = `k8s-${region}`): Node[] {
    return run.resources
        .filter((r: RegisteredResource) => r.type === kinds[kind] && r.provider === cluster && String(node(r.props).metadata.namespace) === namespace)
        .map((r) => node(r.props));
}

function named(run: StackRun, kind: keyof typeof kinds, namespace: string, name: string): Node {
    const found = objects(run, kind, namespace).filter((o) => String(o.metadata.name) === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${kind} ${namespace}/${name}, found ${found.length}: ${objects(run, kind, namespace).map((o) => o.metadata.name).join(", ")}`);
    }
    return found[0];
}

const container = (workload: Node): Node => (workload.spec.template ?? workload.spec.jobTemplate.spec.template).spec.containers[0];

describe("ServiceWorkload: assignment-service (seeds/000 §2) in prod", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStandalone("prod-us");
        expect(run.error).toBeNull();
    });

    it("renders the document's inventory with the document's names", () => {
        const names = (k: keyof typeof kinds) => objects(run, k, "assignment").map((o) => o.metadata.name).sort();
        expect(names("Deployment")).toEqual(["assignment-ai-suggest", "assignment-api", "assignment-worker"]);
        expect(names("StatefulSet")).toEqual(["assignment-scheduler"]);
        expect(names("ScaledObject")).toEqual(["assignment-ai-suggest", "assignment-api", "assignment-worker"]);
        expect(names("PDB")).toEqual(["assignment-api", "assignment-scheduler", "assignment-worker"]);
        expect(names("ConfigMap")).toEqual(["assignment-config"]);
        // The AI gateway token awaits operations (features.aiGateway off): its own, optionally read, ExternalSecret.
        expect(names("ExternalSecret")).toEqual(["assignment-secrets", "assignment-secrets-awaiting"]);
        expect(names("ServiceMonitor")).toEqual(["assignment"]);
        // Service/assignment-api (ClusterIP) and its edge route are Flagger's, from the Canary (issue 12).
        expect(named(run, "Canary", "assignment", "assignment-api").spec.service).toMatchObject({ name: "assignment-api", port: 8080 });
    });

    it("names the HPAs KEDA creates after the document (HPA/assignment-api, HPA/assignment-worker)", () => {
        for (const n of ["assignment-api", "assignment-worker"]) {
            expect(named(run, "ScaledObject", "assignment", n).spec.advanced.horizontalPodAutoscalerConfig.name).toBe(n);
        }
    });

    it("scales on the document's triggers with prod's 4–24 / 3–12 / 1–4", () => {
        const api = named(run, "ScaledObject", "assignment", "assignment-api").spec;
        expect([api.minReplicaCount, api.maxReplicaCount]).toEqual([4, 24]);
        expect(api.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "assignment-api" });
        expect(api.triggers[0]).toEqual({ type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: "60" } });
        expect(api.triggers[1].type).toBe("prometheus");
        expect(api.triggers[1].metadata.query).toContain("http_requests_in_flight");
        expect(api.triggers[1].metadata.serverAddress).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
        const worker = named(run, "ScaledObject", "assignment", "assignment-worker").spec;
        expect([worker.minReplicaCount, worker.maxReplicaCount]).toEqual([3, 12]);
        expect(worker.triggers).toEqual([
            {
                type: "nats-jetstream",
                name: "assignment-worker-lag",
                // "nats_consumer_pending > 1000" is a queue depth: Value, 1000 / 1.1 (the HPA's tolerance) → first scale-up at 1000 (tests/scaling).
                metricType: "Value",
                metadata: { natsServerMonitoringEndpoint: "nats.nats.svc:8222", account: "APP", stream: "ASSIGNMENT", consumer: "assignment-worker", lagThreshold: "909" },
            },
        ]);
        const ai = named(run, "ScaledObject", "assignment", "assignment-ai-suggest").spec;
        expect([ai.minReplicaCount, ai.maxReplicaCount, ai.triggers[0].metricType, ai.triggers[0].metadata.threshold]).toEqual([1, 4, "Value", "9.09"]);
    });

    it("leaves the replica count of autoscaled Deployments to the HPA and fixes the StatefulSet at 2", () => {
        expect(named(run, "Deployment", "assignment", "assignment-api").spec.replicas).toBeUndefined();
        const scheduler = named(run, "StatefulSet", "assignment", "assignment-scheduler");
        expect(scheduler.spec.replicas).toBe(2);
        expect(scheduler.spec.serviceName).toBe("assignment-scheduler");
        expect(named(run, "Service", "assignment", "assignment-scheduler").spec.clusterIP).toBe("None");
    });

    it("PDBs: api minAvailable 2, worker 1 (the document), scheduler 1; every one below its minimum", () => {
        expect(named(run, "PDB", "assignment", "assignment-api").spec.minAvailable).toBe(2);
        expect(named(run, "PDB", "assignment", "assignment-worker").spec.minAvailable).toBe(1);
        expect(named(run, "PDB", "assignment", "assignment-scheduler").spec.minAvailable).toBe(1);
        expect(named(run, "PDB", "assignment", "assignment-api").spec.selector.matchLabels).toEqual({
            "app.kubernetes.io/name": "assignment-service",
            "app.kubernetes.io/component": "api",
        });
    });

    it("one image for all roles, the role chosen by APP_ROLE, config and secrets by reference only", () => {
        const workloads = [...objects(run, "Deployment", "assignment"), ...objects(run, "StatefulSet", "assignment")];
        const images = new Set(workloads.map((w) => container(w).image));
        expect([...images]).toEqual([
            "410987654321.dkr.ecr.us-east-1.amazonaws.com/assignment-service@sha256:34407b2d60c9b47fdf4c376925bc3940728a860afddd90ee3c0080443bc28900",
        ]);
        const roles = workloads.map((w) => items(container(w).env).find((e) => String(e.name) === "APP_ROLE")?.value).sort();
        expect(roles).toEqual(["ai-suggest", "api", "scheduler", "worker"]);
        for (const w of workloads) {
            expect(container(w).envFrom).toEqual([
                { configMapRef: { name: "assignment-config" } },
                { secretRef: { name: "assignment-secrets" } },
                { secretRef: { name: "assignment-secrets-awaiting", optional: true } },
            ]);
            expect(items(container(w).env).every((e) => !/URL|TOKEN|KEY|CREDS/.test(String(e.name)))).toBe(true);
        }
    });

    it("the api pod: ports, probes, resources, rollout, spread, pool, security", () => {
        const api = named(run, "Deployment", "assignment", "assignment-api");
        const pod = api.spec.template.spec;
        const c = container(api);
        expect(api.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        expect(c.ports).toEqual([
            { name: "http", containerPort: 8080, protocol: "TCP" },
            { name: "metrics", containerPort: 9464, protocol: "TCP" },
        ]);
        expect(c.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } });
        expect(c.startupProbe).toMatchObject({ httpGet: { path: "/health/startup", port: "http" }, periodSeconds: 5, failureThreshold: 30 });
        expect(c.readinessProbe.httpGet.path).toBe("/health/ready");
        expect(c.livenessProbe.httpGet.path).toBe("/health/live");
        expect(pod.terminationGracePeriodSeconds).toBe(45);
        // Spread over every api pod, Flagger's primary and canary alike (the Deployment's selector adds the instance Flagger keys on).
        const roleOnly = { "app.kubernetes.io/name": "assignment-service", "app.kubernetes.io/component": "api" };
        expect(api.spec.selector.matchLabels).toEqual({ ...roleOnly, "app.kubernetes.io/instance": "assignment-api" });
        expect(pod.topologySpreadConstraints).toEqual([
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: roleOnly } },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: roleOnly } },
        ]);
        expect(pod.nodeSelector).toEqual({ "platform.melmastoon.com/pool": "core" });
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        expect(c.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
        expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
        expect(pod.serviceAccountName).toBe("assignment-service");
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(named(run, "Deployment", "assignment", "assignment-worker").spec.template.spec.nodeSelector).toEqual({ "platform.melmastoon.com/pool": "worker" });
    });

    it("the service account carries the IRSA role and mounts no token; only the leader-elected scheduler gets one", () => {
        const sa = named(run, "ServiceAccount", "assignment", "assignment-service");
        expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::410987654321:role/assignment-service-us-east-1");
        expect(sa.automountServiceAccountToken).toBe(false);
        expect(named(run, "StatefulSet", "assignment", "assignment-scheduler").spec.template.spec.automountServiceAccountToken).toBe(true);
    });

    it("leader election: a Role allowing exactly create + get/update of its one Lease, bound to the service account", () => {
        const role = named(run, "Role", "assignment", "assignment-scheduler-leader-election");
        expect(role.rules).toEqual([
            { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
            { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["assignment-scheduler-leader"], verbs: ["get", "update"] },
        ]);
        const binding = named(run, "RoleBinding", "assignment", "assignment-scheduler-leader-election");
        expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "assignment-scheduler-leader-election" });
        expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "assignment-service", namespace: "assignment" }]);
    });

    it("ConfigMap holds the document's config; FEATURE_AI_SUGGEST stays off until the aiGateway switch is on", () => {
        expect(named(run, "ConfigMap", "assignment", "assignment-config").data).toEqual({
            RRULE_HORIZON_DAYS: "90",
            MATERIALIZER_BATCH_SIZE: "1000",
            OVERDUE_SWEEP_INTERVAL: "5m",
            CLOSED_MISSED_SWEEP_INTERVAL: "15m",
            REMINDER_BATCH_SIZE: "500",
            FEATURE_AI_SUGGEST: "off",
            AI_GATEWAY_ENABLED: "false",
            // The cross-cloud dependency: the internal load balancer's private name (seed 001 §5), over the HA VPN,
            // on HTTPS, with the ID-token audience and the GCP identity the pod mints it with (issue 15).
            NOTIFICATION_SERVICE_URL: "https://notification-internal.us.melmastoon.com",
            NOTIFICATION_SERVICE_AUDIENCE: "https://notification-internal.us.melmastoon.com",
            GCP_WORKLOAD_IDENTITY_PROVIDER: "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws-eks-callers/providers/aws-eks",
            GCP_SERVICE_ACCOUNT: "peer-assignment-service@melmastoon-prod-us.iam.gserviceaccount.com",
            // The dependencies' failure policies for the client library (issue 13, tests/observe).
            FAILURE_POLICIES_JSON: expect.any(String),
        });
    });

    it("ExternalSecret maps every documented key to its Secrets Manager entry through a per-service SecretStore", () => {
        const es = named(run, "ExternalSecret", "assignment", "assignment-secrets").spec;
        expect(es.secretStoreRef).toEqual({ name: "assignment-secrets-manager", kind: "SecretStore" });
        expect(es.target.name).toBe("assignment-secrets");
        // seeds/000 §7's seven keys, less AI_GATEWAY_TOKEN: while the aiGateway switch is off it comes
        // from a second, optional ExternalSecret, so a missing token never stops a pod.
        expect(items(es.data).map((d) => d.secretKey)).toEqual(["POSTGRES_URL", "REDIS_URL", "NATS_CREDS", "INTERNAL_SVC_JWT_SIGNING_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT", "AI_GATEWAY_URL"]);
        const awaiting = named(run, "ExternalSecret", "assignment", "assignment-secrets-awaiting").spec;
        expect(items(awaiting.data).map((d) => d.secretKey)).toEqual(["AI_GATEWAY_TOKEN"]);
        expect(awaiting.target.name).toBe("assignment-secrets-awaiting");
        expect(es.data[0]).toEqual({ secretKey: "POSTGRES_URL", remoteRef: { key: "assignment-service/postgres_url" } });
        const store = named(run, "SecretStore", "assignment", "assignment-secrets-manager").spec.provider.aws;
        expect(store).toEqual({ service: "SecretsManager", region: "us-east-1", auth: { jwt: { serviceAccountRef: { name: "assignment-service" } } } });
    });

    it("ServiceMonitor scrapes the metrics port of every pod and carries the platform's selector label", () => {
        const sm = named(run, "ServiceMonitor", "assignment", "assignment");
        expect(sm.metadata.labels.release).toBe("kube-prometheus-stack");
        expect(sm.spec.endpoints[0].port).toBe("metrics");
        const svc = named(run, "Service", "assignment", "assignment-metrics");
        expect(svc.spec.selector).toEqual({ "app.kubernetes.io/name": "assignment-service" });
        expect(svc.spec.ports).toEqual([{ name: "metrics", port: 9464, targetPort: "metrics", protocol: "TCP" }]);
        expect(sm.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "assignment-service", "app.kubernetes.io/component": "metrics" });
    });

    it("every object carries the four required labels and the app.kubernetes.io set", () => {
        const all = run.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:") && String(node(r.props).metadata.namespace) === "assignment");
        expect(all.length).toBeGreaterThan(20);
        for (const r of all) {
            const labels = node(r.props).metadata.labels;
            expect({ type: r.type, labels }).toMatchObject({
                labels: { environment: "prod", service: "assignment-service", owner: "platform-infra", "managed-by": "pulumi", "app.kubernetes.io/name": "assignment-service" },
            });
        }
    });

    it("NetworkPolicies: default deny both ways, DNS, gateway → api on 8080, monitoring → 9464, egress only to declared dependencies", () => {
        const np = (n: string) => named(run, "NetworkPolicy", "assignment", n).spec;
        expect(np("assignment-default-deny")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(np("assignment-allow-dns").egress[0].ports).toEqual([
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
        ]);
        expect(np("assignment-allow-api-ingress").ingress).toEqual([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } }], ports: [{ protocol: "TCP", port: 8080 }] },
        ]);
        expect(np("assignment-allow-metrics-scrape").ingress).toEqual([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 9464 }] },
        ]);
        const egress = items(np("assignment-allow-egress").egress);
        const flat = egress.flatMap((e) => items(e.to).map((t) => `${String(t.ipBlock?.cidr ?? t.namespaceSelector.matchLabels["kubernetes.io/metadata.name"])}:${items(e.ports).map((p) => p.port).join("+")}`));
        expect(flat).toEqual([
            "10.8.0.0/16:5432+6379",
            "nats:4222",
            "platform:4317+4318",
            "10.8.0.0/16:443",
            // Peers in the mesh: their port, and HBONE (15008) once ztunnel carries the call.
            "ai-gateway:8080+15008",
            // notification-service on GCP: us-east4's subnet (the internal ALB's address) on port 80 only.
            "10.64.0.0/22:443",
            "199.36.153.8/30:443",
            "tenant:8080+15008",
            "catalog:8080+15008",
        ]);
        const everything = objects(run, "NetworkPolicy", "assignment").flatMap((p) => [...items(p.spec.egress), ...items(p.spec.ingress)]);
        expect(JSON.stringify(everything)).not.toContain("0.0.0.0/0");
    });

    it("routes the api from the platform Gateway at its path prefix (Flagger's HTTPRoute, from the Canary)", () => {
        expect(objects(run, "HTTPRoute", "assignment")).toEqual([]);
        const service = named(run, "Canary", "assignment", "assignment-api").spec.service;
        expect(service.gatewayRefs).toEqual([{ namespace: "gateway", name: "edge" }]);
        expect(service.match).toEqual([{ uri: { prefix: "/api/assignments" } }]);
        expect([service.name, service.port, service.targetPort]).toEqual(["assignment-api", 8080, "http"]);
    });

    it("pods get the priority class of the service's criticality when the platform provides the classes", () => {
        for (const w of nonEmpty([...objects(run, "Deployment", "assignment"), ...objects(run, "StatefulSet", "assignment")])) {
            expect(w.spec.template.spec.priorityClassName).toBe("learning-platform-critical");
        }
        expect(named(run, "Deployment", "authoring", "authoring-api").spec.template.spec.priorityClassName).toBe("learning-platform-high");
        const classes = run.resources.filter((r) => r.type === "kubernetes:scheduling.k8s.io/v1:PriorityClass" && r.provider === `k8s-${region}`).map((r) => node(r.props));
        expect(classes.map((c) => [c.metadata.name, c.value, c.preemptionPolicy, c.globalDefault])).toEqual([
            ["learning-platform-critical", 100000, "PreemptLowerPriority", false],
            ["learning-platform-high", 50000, "PreemptLowerPriority", false],
            ["learning-platform-medium", 10000, "Never", false],
        ]);
    });

    it("the namespace enforces the restricted Pod Security Standard", () => {
        const ns = run.resources.find((r) => r.type === kinds.Namespace && r.name === `assignment-service-${region}-namespace`);
        expect(node(ns?.props).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        expect(node(ns?.props).metadata.annotations).toEqual({
            "learning-platform/owner-team": "learning-core/assignment-team",
            "learning-platform/criticality": "critical",
            "learning-platform/runbook": "runbooks/assignment-service.md",
            "learning-platform/dashboard": "assignment-service-overview",
            "learning-platform/source": "seeds/000_06da1b1bdce84760.txt",
        });
    });
});

describe("ServiceWorkload: authoring-service (seeds/002) and progress-service (seeds/003) in prod", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStandalone("prod-us");
    });

    it("authoring: four Deployments with the document's ranges and resources", () => {
        const ranges = Object.fromEntries(objects(run, "ScaledObject", "authoring").map((s) => [s.metadata.name, [s.spec.minReplicaCount, s.spec.maxReplicaCount]]));
        expect(ranges).toEqual({ "authoring-api": [3, 30], "authoring-collab": [2, 20], "authoring-worker": [2, 10], "authoring-ai-worker": [2, 15] });
        const res = Object.fromEntries(objects(run, "Deployment", "authoring").map((d) => [d.metadata.name, container(d).resources]));
        expect(res["authoring-api"]).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "1.5Gi" } });
        expect(res["authoring-collab"]).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "4Gi" } });
        expect(res["authoring-worker"]).toEqual({ requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "1Gi" } });
        expect(res["authoring-ai-worker"]).toEqual({ requests: { cpu: "300m", memory: "512Mi" }, limits: { cpu: "1500m", memory: "2Gi" } });
    });

    it("authoring: api on CPU 60% or 100 active editors per pod; collab on 500 WebSocket connections per pod", () => {
        const api = named(run, "ScaledObject", "authoring", "authoring-api").spec.triggers;
        expect(items(api).map((t) => [t.type, t.metadata.value ?? t.metadata.threshold])).toEqual([
            ["cpu", "60"],
            ["prometheus", "100"],
        ]);
        expect(api[1].metricType).toBe("AverageValue");
        const collab = named(run, "ScaledObject", "authoring", "authoring-collab").spec.triggers;
        expect(items(collab).map((t) => [t.type, t.metadata.threshold])).toEqual([["prometheus", "500"]]);
    });

    it("authoring collab: consistent hashing by the draftId cookie, WebSocket route without a request deadline", () => {
        const btp = named(run, "BackendTrafficPolicy", "authoring", "authoring-collab").spec;
        expect(btp.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "authoring-collab" }]);
        expect(btp.loadBalancer).toEqual({ type: "ConsistentHash", consistentHash: { type: "Cookie", cookie: { name: "draftId" } } });
        const route = named(run, "HTTPRoute", "authoring", "authoring-collab").spec;
        expect(route.rules[0].timeouts).toEqual({ request: "0s" });
        expect(container(named(run, "Deployment", "authoring", "authoring-collab")).readinessProbe).toBeDefined();
        expect(named(run, "Deployment", "authoring", "authoring-collab").spec.template.spec.terminationGracePeriodSeconds).toBe(330);
        // collab's and api's: each edge route has its failure policy (issue 13).
        expect(objects(run, "BackendTrafficPolicy", "authoring")).toHaveLength(2);
    });

    it("authoring: egress to media, content, ai-gateway and catalog; the drafts bucket name reaches the pods as config", () => {
        const egress = items(named(run, "NetworkPolicy", "authoring", "authoring-allow-egress").spec.egress);
        const peers = egress.flatMap((e) => items(e.to).map((t) => t.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"])).filter(Boolean);
        expect(peers).toEqual(["nats", "platform", "media", "content", "ai-gateway", "catalog"]);
        expect(named(run, "ConfigMap", "authoring", "authoring-config").data.S3_BUCKET_DRAFTS).toBe("authoring-service-drafts-us-east-1");
        // S3 behind the gateway endpoint: its own ranges on 443, nothing wider.
        const s3 = egress.filter((e) => items(e.to).some((t) => String(t.ipBlock?.cidr).startsWith("5")));
        expect(s3).toEqual([{ to: [{ ipBlock: { cidr: "52.216.0.0/15" } }, { ipBlock: { cidr: "54.231.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] }]);
    });

    it("progress: api/ingest/projector/outbox-relay with the document's ranges and triggers", () => {
        const so = (n: string) => named(run, "ScaledObject", "progress", n).spec;
        expect([so("progress-api").minReplicaCount, so("progress-api").maxReplicaCount]).toEqual([5, 50]);
        // 500 rps in total at 5 replicas: 500 / (5 × 1.1) per replica (tests/scaling).
        expect(items(so("progress-api").triggers).map((t) => t.metadata.value ?? t.metadata.threshold)).toEqual(["60", "90.909"]);
        expect([so("progress-ingest").minReplicaCount, so("progress-ingest").maxReplicaCount]).toEqual([5, 100]);
        expect(so("progress-ingest").triggers[0]).toMatchObject({ type: "nats-jetstream", metricType: "Value", metadata: { lagThreshold: "909", consumer: "progress-ingest" } });
        expect([so("progress-projector").minReplicaCount, so("progress-projector").maxReplicaCount]).toEqual([3, 20]);
        // Lag in seconds is a Value target: more pods do not divide it; 10 / 1.1 so the first scale-up comes at 10 s.
        expect(so("progress-projector").triggers[0]).toMatchObject({ type: "prometheus", metricType: "Value", metadata: { threshold: "9.09" } });
        expect([so("progress-outbox-relay").minReplicaCount, so("progress-outbox-relay").maxReplicaCount]).toEqual([3, 8]);
        expect(so("progress-outbox-relay").triggers[0].metadata.threshold).toBe("4545.454");
        const res = (n: string) => container(named(run, "Deployment", "progress", n)).resources;
        expect(res("progress-ingest")).toEqual({ requests: { cpu: "1000m", memory: "1Gi" }, limits: { cpu: "4000m", memory: "4Gi" } });
        expect(res("progress-api")).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "2Gi" } });
    });

    it("progress partition manager: an hourly, non-overlapping CronJob of the same image with APP_ROLE=partition-manager", () => {
        const cj = named(run, "CronJob", "progress", "progress-partition-manager");
        expect(cj.spec.schedule).toBe("17 * * * *");
        expect(cj.spec.concurrencyPolicy).toBe("Forbid");
        const c = container(cj);
        expect(c.env[0]).toEqual({ name: "APP_ROLE", value: "partition-manager" });
        expect(c.image).toContain("progress-service@sha256:");
        expect(cj.spec.jobTemplate.spec.template.spec.restartPolicy).toBe("Never");
        expect(named(run, "ConfigMap", "progress", "progress-config").data).toMatchObject({
            PARTMAN_MAINTENANCE_CALL: "CALL partman.run_maintenance_proc()",
            PARTMAN_RETENTION: "180 days",
            PARTMAN_RETENTION_KEEP_TABLE: "true",
            S3_BUCKET_COLD_ARCHIVE: "progress-service-cold-archive-us-east-1",
        });
        expect(objects(run, "PDB", "progress").map((p) => p.metadata.name)).not.toContain("progress-partition-manager");
    });

    it("progress egress reaches analytics, certification, enrollment in the mesh and notification on GCP (its subnet, HTTPS 443)", () => {
        const egress = items(named(run, "NetworkPolicy", "progress", "progress-allow-egress").spec.egress);
        const peers = egress.flatMap((e) => items(e.to).map((t) => t.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"])).filter(Boolean);
        expect(peers).toEqual(["nats", "platform", "analytics", "certification", "enrollment"]);
        const gcpRule = egress.filter((e) => items(e.to).some((t) => String(t.ipBlock?.cidr) === "10.64.0.0/22"));
        expect(gcpRule.map((e) => items(e.ports).map((p) => `${String(p.protocol)}/${String(p.port)}`))).toEqual([["TCP/443"]]);
        expect(named(run, "ConfigMap", "progress", "progress-config").data.NOTIFICATION_SERVICE_URL).toBe("https://notification-internal.us.melmastoon.com");
        expect(named(run, "ConfigMap", "progress", "progress-config").data.GCP_SERVICE_ACCOUNT).toBe("peer-progress-service@melmastoon-prod-us.iam.gserviceaccount.com");
    });

    it("each service has its own service account (not shared)", () => {
        const sas = run.resources.filter((r) => r.type === kinds.ServiceAccount && r.provider === `k8s-${region}`).map((r) => `${node(r.props).metadata.namespace}/${node(r.props).metadata.name}`);
        expect(sas.sort()).toEqual(["assignment/assignment-service", "authoring/authoring-service", "progress/progress-service"]);
    });
});

describe("ServiceWorkload in dev: the budgets follow the smaller counts", () => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runStandalone("dev");
        expect(run.error).toBeNull();
    });

    it("no PDB where the minimum is one replica: dev runs every role at one, so no service has a PDB", () => {
        // Every EKS role's dev minimum is 1 (ours: README departures; the documents give prod and staging ranges).
        expect(objects(run, "PDB", "assignment", "k8s-us-west-2")).toEqual([]);
        expect(run.resources.filter((r) => r.type === kinds.PDB).map((r) => node(r.props).metadata.name)).toEqual([]);
    });

    it("FEATURE_AI_SUGGEST is off in dev; ai-suggest runs one fixed replica without an autoscaler", () => {
        const cm = run.resources.find((r) => r.type === kinds.ConfigMap && String(node(r.props).metadata.name) === "assignment-config");
        expect(node(cm?.props).data.FEATURE_AI_SUGGEST).toBe("off");
        const ai = run.resources.find((r) => r.type === kinds.Deployment && String(node(r.props).metadata.name) === "assignment-ai-suggest");
        expect(node(ai?.props).spec.replicas).toBe(1);
        expect(run.resources.some((r) => r.type === kinds.ScaledObject && String(node(r.props).metadata.name) === "assignment-ai-suggest")).toBe(false);
    });
});

import { between, Constraint, constraint, custom, entry, inRanges, mapTest, oneOf, stringTest, Test, text, TypeEntry } from "./model";
import {
    dns1035Label,
    dns1123Label,
    dns1123Subdomain,
    ianaServiceName,
    K8S_NAMES,
    k8sAnnotationKeysAt,
    k8sLabelsAt,
    pathSegment,
    portNumberOrName,
    K8S_PORT_NAME,
} from "./k8s-rules";

/**
 * Kubernetes limits: object names per kind, namespaces, labels and annotation keys, container,
 * volume and port names, port numbers, and the enumerations of the fields the program sets. CRDs'
 * names follow the API server's DNS-subdomain rule; their fields follow each project's CRD schema.
 */

const API = "https://kubernetes.io/docs/reference/kubernetes-api/";
const POD = `${API}workload-resources/pod-v1/`;
/** Pulumi's Kubernetes provider auto-names `metadata.name` as `<logical>-<8 random characters>`. */
const K8S_AUTO = { autoName: { suffix: 8, unless: ["metadata.generateName"] } };

function objectName(test: Test, source = K8S_NAMES): Constraint {
    return constraint("name", "metadata.name", test, source, K8S_AUTO);
}

/** What every object has: its name (by the kind's rule), namespace, labels and annotation keys. */
function meta(name: Test, source?: string): Constraint[] {
    return [objectName(name, source), constraint("name", "metadata.namespace", dns1123Label(), K8S_NAMES), k8sLabelsAt("metadata.labels"), k8sAnnotationKeysAt("metadata.annotations")];
}

/** Environment variable names as the API server validated them before 1.34 (still the portable rule). */
const envName = stringTest({ max: 32768, pattern: /^[-._a-zA-Z][-._a-zA-Z0-9]*$/, chars: "letters, digits, '-', '_', '.', not starting with a digit" });

/** A pod template at `prefix` (e.g. `spec.template`). */
function podTemplate(prefix: string): Constraint[] {
    const spec = `${prefix}.spec`;
    const out: Constraint[] = [k8sLabelsAt(`${prefix}.metadata.labels`), k8sAnnotationKeysAt(`${prefix}.metadata.annotations`), k8sLabelsAt(`${spec}.nodeSelector`)];
    for (const list of ["containers", "initContainers"]) {
        const c = `${spec}.${list}[]`;
        out.push(
            constraint("k8s-container", `${c}.name`, dns1123Label(), `${POD}#Container`),
            constraint("k8s-port", `${c}.ports[].name`, ianaServiceName, K8S_PORT_NAME),
            between(`${c}.ports[].containerPort`, 1, 65535, `${POD}#ports`),
            oneOf(`${c}.ports[].protocol`, ["TCP", "UDP", "SCTP"], `${POD}#ports`),
            oneOf(`${c}.imagePullPolicy`, ["Always", "Never", "IfNotPresent"], `${POD}#image`),
            constraint("value", `${c}.env[].name`, envName, `${POD}#environment-variables`),
            constraint("name", `${c}.volumeMounts[].name`, dns1123Label(), `${POD}#volumes`),
            custom("value", `${c}.resources.limits`, quantities, "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/"),
            custom("value", `${c}.resources.requests`, quantities, "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/"),
        );
        for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
            out.push(
                constraint("k8s-port", `${c}.${probe}.httpGet.port`, portNumberOrName, K8S_PORT_NAME),
                constraint("k8s-port", `${c}.${probe}.tcpSocket.port`, portNumberOrName, K8S_PORT_NAME),
                inRanges(`${c}.${probe}.periodSeconds`, [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/pod-v1/#Probe`),
                inRanges(`${c}.${probe}.timeoutSeconds`, [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/pod-v1/#Probe`),
                inRanges(`${c}.${probe}.failureThreshold`, [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/pod-v1/#Probe`),
            );
        }
    }
    out.push(
        constraint("name", `${spec}.volumes[].name`, dns1123Label(), `${POD}#volumes`),
        constraint("name", `${spec}.serviceAccountName`, dns1123Subdomain(), K8S_NAMES),
        constraint("name", `${spec}.priorityClassName`, dns1123Subdomain(), K8S_NAMES),
        oneOf(`${spec}.restartPolicy`, ["Always", "OnFailure", "Never"], `${POD}#lifecycle`),
        inRanges(`${spec}.terminationGracePeriodSeconds`, [[0, Number.MAX_SAFE_INTEGER]], `${POD}#lifecycle`),
        oneOf(`${spec}.topologySpreadConstraints[].whenUnsatisfiable`, ["DoNotSchedule", "ScheduleAnyway"], `${POD}#scheduling`),
        inRanges(`${spec}.topologySpreadConstraints[].maxSkew`, [[1, Number.MAX_SAFE_INTEGER]], `${POD}#scheduling`),
        k8sLabelsAt(`${spec}.topologySpreadConstraints[].labelSelector.matchLabels`),
    );
    return out;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** Resource quantities (apimachinery's quantity grammar): a number and an optional SI/binary suffix or exponent. */
const quantities = mapTest({
    maxEntries: Number.MAX_SAFE_INTEGER,
    key: stringTest({ max: 253 }),
    value: (v) => (typeof v === "string" && !QUANTITY.test(v) ? "a quantity such as 500m, 2, 512Mi or 1Gi" : undefined),
    label: "resource",
});
const selector = (path: string) => k8sLabelsAt(`${path}.matchLabels`);
const dataKeys = mapTest({ maxEntries: Number.MAX_SAFE_INTEGER, key: stringTest({ max: 253, pattern: /^[-._a-zA-Z0-9]+$/, chars: "letters, digits, '-', '_', '.'" }), label: "data" });
const hpa = `${API}workload-resources/horizontal-pod-autoscaler-v2/`;
const hpaBehavior = (prefix: string): Constraint[] =>
    ["scaleUp", "scaleDown"].flatMap((d) => [
        between(`${prefix}.${d}.stabilizationWindowSeconds`, 0, 3600, hpa),
        oneOf(`${prefix}.${d}.policies[].type`, ["Pods", "Percent"], hpa),
        between(`${prefix}.${d}.policies[].periodSeconds`, 1, 1800, hpa),
        inRanges(`${prefix}.${d}.policies[].value`, [[1, Number.MAX_SAFE_INTEGER]], hpa),
        oneOf(`${prefix}.${d}.selectPolicy`, ["Max", "Min", "Disabled"], hpa),
    ]);
const GATEWAY = "https://gateway-api.sigs.k8s.io/reference/spec/";
const ESO = "https://external-secrets.io/latest/api/spec/";
const ENVOY = "https://gateway.envoyproxy.io/docs/api/extension_types/";
const sectionName = stringTest({ max: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, chars: "a Gateway API SectionName" });
const maxItems = (n: number, what: string): Test => (v) => (Array.isArray(v) && v.length > n ? `at most ${n} ${what}` : undefined);

export const k8sLimits: Readonly<Record<string, TypeEntry>> = {
    "kubernetes:core/v1:Namespace": entry(objectName(dns1123Label()), k8sLabelsAt("metadata.labels"), k8sAnnotationKeysAt("metadata.annotations")),
    "kubernetes:core/v1:ConfigMap": entry(...meta(dns1123Subdomain()), custom("value", "data", dataKeys, `${API}config-and-storage-resources/config-map-v1/`)),
    "kubernetes:core/v1:ServiceAccount": entry(...meta(dns1123Subdomain())),
    "kubernetes:core/v1:Service": entry(
        ...meta(dns1035Label(), `${API}service-resources/service-v1/`),
        constraint("k8s-port", "spec.ports[].name", dns1123Label(), `${API}service-resources/service-v1/#ServiceSpec`),
        between("spec.ports[].port", 1, 65535, `${API}service-resources/service-v1/#ServiceSpec`),
        constraint("k8s-port", "spec.ports[].targetPort", portNumberOrName, K8S_PORT_NAME),
        between("spec.ports[].nodePort", 30000, 32767, "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport"),
        oneOf("spec.ports[].protocol", ["TCP", "UDP", "SCTP"], `${API}service-resources/service-v1/#ServiceSpec`),
        oneOf("spec.type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"], `${API}service-resources/service-v1/#ServiceSpec`),
        k8sLabelsAt("spec.selector"),
    ),
    "kubernetes:apps/v1:Deployment": entry(
        ...meta(dns1123Subdomain()),
        ...podTemplate("spec.template"),
        selector("spec.selector"),
        inRanges("spec.replicas", [[0, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/deployment-v1/`),
        inRanges("spec.revisionHistoryLimit", [[0, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/deployment-v1/`),
        inRanges("spec.progressDeadlineSeconds", [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/deployment-v1/`),
        oneOf("spec.strategy.type", ["RollingUpdate", "Recreate"], `${API}workload-resources/deployment-v1/`),
    ),
    // The controller labels each revision `controller-revision-hash: <name>-<10-character hash>`, a label value (≤ 63): names over 52 never get pods.
    "kubernetes:apps/v1:StatefulSet": entry(
        ...meta(dns1123Label(52), "https://github.com/kubernetes/kubernetes/issues/64023"),
        ...podTemplate("spec.template"),
        selector("spec.selector"),
        constraint("name", "spec.serviceName", dns1035Label(), `${API}workload-resources/stateful-set-v1/`),
        oneOf("spec.podManagementPolicy", ["OrderedReady", "Parallel"], `${API}workload-resources/stateful-set-v1/`),
        inRanges("spec.replicas", [[0, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/stateful-set-v1/`),
    ),
    // The controller appends an 11-character schedule suffix to each Job's name (a DNS label of 63).
    "kubernetes:batch/v1:CronJob": entry(
        ...meta(dns1123Subdomain(52), "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#writing-a-cronjob-spec"),
        k8sLabelsAt("spec.jobTemplate.metadata.labels"),
        ...podTemplate("spec.jobTemplate.spec.template"),
        oneOf("spec.concurrencyPolicy", ["Allow", "Forbid", "Replace"], `${API}workload-resources/cron-job-v1/`),
        oneOf("spec.jobTemplate.spec.template.spec.restartPolicy", ["OnFailure", "Never"], `${API}workload-resources/job-v1/`),
        inRanges("spec.jobTemplate.spec.backoffLimit", [[0, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/job-v1/`),
        inRanges("spec.jobTemplate.spec.activeDeadlineSeconds", [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/job-v1/`),
    ),
    "kubernetes:policy/v1:PodDisruptionBudget": entry(
        ...meta(dns1123Subdomain()),
        selector("spec.selector"),
        oneOf("spec.unhealthyPodEvictionPolicy", ["IfHealthyBudget", "AlwaysAllow"], `${API}policy-resources/pod-disruption-budget-v1/`),
    ),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": entry(
        ...meta(dns1123Subdomain()),
        selector("spec.podSelector"),
        selector("spec.ingress[].from[].podSelector"),
        selector("spec.ingress[].from[].namespaceSelector"),
        selector("spec.egress[].to[].podSelector"),
        selector("spec.egress[].to[].namespaceSelector"),
        constraint("k8s-port", "spec.ingress[].ports[].port", portNumberOrName, K8S_PORT_NAME),
        constraint("k8s-port", "spec.egress[].ports[].port", portNumberOrName, K8S_PORT_NAME),
        oneOf("spec.ingress[].ports[].protocol", ["TCP", "UDP", "SCTP"], `${API}policy-resources/network-policy-v1/`),
        oneOf("spec.egress[].ports[].protocol", ["TCP", "UDP", "SCTP"], `${API}policy-resources/network-policy-v1/`),
        oneOf("spec.policyTypes[]", ["Ingress", "Egress"], `${API}policy-resources/network-policy-v1/`),
    ),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": entry(...meta(pathSegment, `${API}authorization-resources/role-v1/`)),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": entry(
        ...meta(pathSegment, `${API}authorization-resources/role-binding-v1/`),
        oneOf("roleRef.kind", ["Role", "ClusterRole"], `${API}authorization-resources/role-binding-v1/`),
        oneOf("subjects[].kind", ["User", "Group", "ServiceAccount"], `${API}authorization-resources/role-binding-v1/`),
    ),
    // Names starting "system-" are reserved; user classes are at most one billion.
    "kubernetes:scheduling.k8s.io/v1:PriorityClass": entry(
        ...meta(stringTest({ max: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, chars: "a DNS-1123 subdomain", forbid: [[/^system-/, 'not starting "system-"']] }), `${API}workload-resources/priority-class-v1/`),
        inRanges("value", [[-2147483648, 1000000000]], `${API}workload-resources/priority-class-v1/`),
        oneOf("preemptionPolicy", ["PreemptLowerPriority", "Never"], `${API}workload-resources/priority-class-v1/`),
    ),
    "kubernetes:storage.k8s.io/v1:StorageClass": entry(
        ...meta(dns1123Subdomain()),
        oneOf("reclaimPolicy", ["Delete", "Retain"], `${API}config-and-storage-resources/storage-class-v1/`),
        oneOf("volumeBindingMode", ["Immediate", "WaitForFirstConsumer"], `${API}config-and-storage-resources/storage-class-v1/`),
        custom("range", "parameters", (v) => (v && typeof v === "object" && Object.keys(v).length > 512 ? "at most 512 parameters" : undefined), `${API}config-and-storage-resources/storage-class-v1/`),
    ),
    // Helm stores a release in a Secret `sh.helm.release.v1.<name>.v<n>` and labels with its name: ≤ 53.
    "kubernetes:helm.sh/v3:Release": entry(
        constraint("name", "name", dns1123Subdomain(53), "https://helm.sh/docs/chart_best_practices/conventions/ (helm's ValidateReleaseName)", { autoName: { suffix: 8, unless: [] } }),
        constraint("name", "namespace", dns1123Label(), K8S_NAMES),
    ),
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": entry(
        ...meta(dns1123Subdomain()),
        constraint("name", "spec.serviceRef.name", dns1035Label(), K8S_NAMES),
        constraint("k8s-port", "spec.serviceRef.port", portNumberOrName, K8S_PORT_NAME),
        oneOf("spec.targetType", ["instance", "ip"], "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/spec/"),
    ),
    "kubernetes:external-secrets.io/v1:ExternalSecret": entry(
        ...meta(dns1123Subdomain()),
        constraint("name", "spec.target.name", dns1123Subdomain(), K8S_NAMES),
        text("spec.data[].secretKey", { max: 253, pattern: /^[-._a-zA-Z0-9]+$/, chars: "a Secret data key: letters, digits, '-', '_', '.'" }, `${API}config-and-storage-resources/secret-v1/`),
        oneOf("spec.target.creationPolicy", ["Owner", "Orphan", "Merge", "None"], ESO),
        oneOf("spec.target.deletionPolicy", ["Delete", "Merge", "Retain"], ESO),
        oneOf("spec.secretStoreRef.kind", ["SecretStore", "ClusterSecretStore"], ESO),
    ),
    "kubernetes:external-secrets.io/v1:SecretStore": entry(
        ...meta(dns1123Subdomain()),
        oneOf("spec.provider.aws.service", ["SecretsManager", "ParameterStore"], ESO),
        constraint("name", "spec.provider.aws.auth.jwt.serviceAccountRef.name", dns1123Subdomain(), K8S_NAMES),
    ),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy": entry(
        ...meta(dns1123Subdomain()),
        oneOf("spec.loadBalancer.type", ["ConsistentHash", "LeastRequest", "Random", "RoundRobin"], `${ENVOY}#loadbalancer`),
        oneOf("spec.loadBalancer.consistentHash.type", ["SourceIP", "Header", "Headers", "Cookie", "QueryParams"], `${ENVOY}#consistenthash`),
        custom("range", "spec.targetRefs", maxItems(16, "target references"), `${ENVOY}#backendtrafficpolicyspec`),
    ),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy": entry(
        ...meta(dns1123Subdomain()),
        oneOf("spec.provider.type", ["Kubernetes", "Custom", "Host"], `${ENVOY}#envoyproxyprovider`),
        constraint("name", "spec.provider.kubernetes.envoyService.name", dns1035Label(), K8S_NAMES),
        oneOf("spec.provider.kubernetes.envoyService.type", ["ClusterIP", "NodePort", "LoadBalancer"], `${ENVOY}#kubernetesservicespec`),
        inRanges("spec.provider.kubernetes.envoyDeployment.replicas", [[0, Number.MAX_SAFE_INTEGER]], `${ENVOY}#kubernetesdeploymentspec`),
        k8sLabelsAt("spec.provider.kubernetes.envoyDeployment.pod.nodeSelector"),
        k8sLabelsAt("spec.provider.kubernetes.envoyDeployment.pod.topologySpreadConstraints[].labelSelector.matchLabels"),
    ),
    "kubernetes:gateway.networking.k8s.io/v1:GatewayClass": entry(
        ...meta(dns1123Subdomain()),
        text("spec.controllerName", { max: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/, chars: "a domain-prefixed path" }, `${GATEWAY}#gatewaycontroller`),
    ),
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": entry(
        ...meta(dns1123Subdomain()),
        custom("name", "spec.listeners[].name", sectionName, `${GATEWAY}#sectionname`),
        between("spec.listeners[].port", 1, 65535, `${GATEWAY}#portnumber`),
        custom("range", "spec.listeners", maxItems(64, "listeners"), `${GATEWAY}#gatewayspec`),
        oneOf("spec.listeners[].allowedRoutes.namespaces.from", ["All", "Same", "Selector"], `${GATEWAY}#fromnamespaces`),
    ),
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": entry(
        ...meta(dns1123Subdomain()),
        custom("range", "spec.parentRefs", maxItems(32, "parent references"), `${GATEWAY}#httproutespec`),
        custom("range", "spec.rules", maxItems(16, "rules"), `${GATEWAY}#httproutespec`),
        custom("range", "spec.hostnames", maxItems(16, "hostnames"), `${GATEWAY}#httproutespec`),
        between("spec.rules[].backendRefs[].port", 1, 65535, `${GATEWAY}#portnumber`),
        oneOf("spec.rules[].matches[].path.type", ["Exact", "PathPrefix", "RegularExpression"], `${GATEWAY}#pathmatchtype`),
        text("spec.rules[].matches[].path.value", { max: 1024, pattern: /^\//, chars: "starting with /" }, `${GATEWAY}#httppathmatch`),
        custom("name", "spec.parentRefs[].sectionName", sectionName, `${GATEWAY}#sectionname`),
    ),
    "kubernetes:keda.sh/v1alpha1:ScaledObject": entry(
        ...meta(dns1123Subdomain()),
        inRanges("spec.minReplicaCount", [[0, Number.MAX_SAFE_INTEGER]], "https://keda.sh/docs/latest/reference/scaledobject-spec/"),
        inRanges("spec.maxReplicaCount", [[1, Number.MAX_SAFE_INTEGER]], "https://keda.sh/docs/latest/reference/scaledobject-spec/"),
        inRanges("spec.pollingInterval", [[1, Number.MAX_SAFE_INTEGER]], "https://keda.sh/docs/latest/reference/scaledobject-spec/"),
        oneOf("spec.triggers[].metricType", ["AverageValue", "Value", "Utilization"], "https://keda.sh/docs/latest/reference/scaledobject-spec/#triggers"),
        constraint("name", "spec.advanced.horizontalPodAutoscalerConfig.name", dns1123Subdomain(), K8S_NAMES),
        ...hpaBehavior("spec.advanced.horizontalPodAutoscalerConfig.behavior"),
    ),
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": entry(
        ...meta(dns1123Subdomain()),
        selector("spec.selector"),
        constraint("k8s-port", "spec.endpoints[].port", dns1123Label(), "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint"),
        oneOf("spec.endpoints[].scheme", ["http", "https", "HTTP", "HTTPS"], "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint"),
    ),
    "kubernetes:security.istio.io/v1:PeerAuthentication": entry(
        ...meta(dns1123Subdomain()),
        oneOf("spec.mtls.mode", ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"], "https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode"),
    ),
    "kubernetes:security.istio.io/v1:AuthorizationPolicy": entry(
        ...meta(dns1123Subdomain()),
        oneOf("spec.action", ["ALLOW", "DENY", "AUDIT", "CUSTOM"], "https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy-Action"),
        // Operation.ports are strings of port numbers.
        text("spec.rules[].to[].operation.ports[]", { max: 5, pattern: /^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/, chars: "a port number 1–65535" }, "https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation"),
    ),
    "kubernetes:cert-manager.io/v1:ClusterIssuer": entry(...meta(dns1123Subdomain()), constraint("name", "spec.ca.secretName", dns1123Subdomain(), K8S_NAMES)),
    "kubernetes:cert-manager.io/v1:Certificate": entry(
        ...meta(dns1123Subdomain()),
        constraint("name", "spec.secretName", dns1123Subdomain(), K8S_NAMES),
        // X.509 caps a subject common name at 64 characters (RFC 5280 ub-common-name).
        text("spec.commonName", { max: 64 }, "https://www.rfc-editor.org/rfc/rfc5280#appendix-A.1"),
        oneOf("spec.privateKey.algorithm", ["RSA", "ECDSA", "Ed25519"], "https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.PrivateKeyAlgorithm"),
        oneOf("spec.privateKey.rotationPolicy", ["Never", "Always"], "https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.PrivateKeyRotationPolicy"),
        oneOf(
            "spec.usages[]",
            ["signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc"],
            "https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.KeyUsage",
        ),
        oneOf("spec.issuerRef.kind", ["Issuer", "ClusterIssuer"], "https://cert-manager.io/docs/reference/api-docs/#meta.cert-manager.io/v1.ObjectReference"),
    ),
    // Prometheus Operator rules (issue 13): metric names of recording rules, `for` durations.
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": entry(
        ...meta(dns1123Subdomain()),
        text("spec.groups[].name", { max: 256 }, "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.RuleGroup"),
        text("spec.groups[].rules[].record", { max: 256, pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, chars: "a Prometheus metric name" }, "https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels"),
        text("spec.groups[].rules[].for", { max: 32, pattern: /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/, chars: "a Prometheus duration" }, "https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Duration"),
    ),
    // Release (issue 12). The Job controller labels pods job-name=<name> (a label value, ≤ 63).
    "kubernetes:batch/v1:Job": entry(
        ...meta(dns1123Label(63), `${API}workload-resources/job-v1/`),
        ...podTemplate("spec.template"),
        oneOf("spec.template.spec.restartPolicy", ["OnFailure", "Never"], `${API}workload-resources/job-v1/`),
        inRanges("spec.backoffLimit", [[0, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/job-v1/`),
        inRanges("spec.activeDeadlineSeconds", [[1, Number.MAX_SAFE_INTEGER]], `${API}workload-resources/job-v1/`),
    ),
    // Flagger names its Services `<target>-primary` / `<target>-canary` (DNS-1035 labels ≤ 63): the Canary ≤ 55.
    "kubernetes:flagger.app/v1beta1:Canary": entry(
        ...meta(dns1035Label(55), "https://docs.flagger.app/usage/how-it-works"),
        constraint("name", "spec.targetRef.name", dns1035Label(55), "https://docs.flagger.app/usage/how-it-works"),
        oneOf("spec.targetRef.kind", ["Deployment", "DaemonSet", "Service"], "https://docs.flagger.app/usage/how-it-works"),
        oneOf("spec.autoscalerRef.kind", ["HorizontalPodAutoscaler", "ScaledObject"], "https://docs.flagger.app/usage/how-it-works#canary-resource"),
        between("spec.service.port", 1, 65535, "https://docs.flagger.app/usage/how-it-works#canary-service"),
        inRanges("spec.analysis.stepWeights[]", [[0, 100]], "https://docs.flagger.app/usage/deployment-strategies#canary-release"),
        inRanges("spec.analysis.threshold", [[1, Number.MAX_SAFE_INTEGER]], "https://docs.flagger.app/usage/how-it-works#canary-analysis"),
        inRanges("spec.analysis.iterations", [[1, Number.MAX_SAFE_INTEGER]], "https://docs.flagger.app/usage/deployment-strategies#blue-green-deployments"),
        inRanges("spec.progressDeadlineSeconds", [[1, Number.MAX_SAFE_INTEGER]], "https://docs.flagger.app/usage/how-it-works#canary-resource"),
        oneOf("spec.analysis.webhooks[].type", ["confirm-rollout", "pre-rollout", "rollout", "confirm-traffic-increase", "confirm-promotion", "post-rollout", "rollback", "event"], "https://docs.flagger.app/usage/webhooks"),
    ),
    "kubernetes:flagger.app/v1beta1:MetricTemplate": entry(
        ...meta(dns1123Subdomain(), "https://docs.flagger.app/usage/metrics#custom-metrics"),
        oneOf("spec.provider.type", ["prometheus", "datadog", "cloudwatch", "newrelic", "graphite", "stackdriver", "influxdb", "dynatrace", "keptn", "splunk"], "https://docs.flagger.app/usage/metrics#custom-metrics"),
    ),
    // Cluster-scoped: a DNS subdomain name, no namespace.
    "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy": entry(
        objectName(dns1123Subdomain()),
        k8sLabelsAt("metadata.labels"),
        oneOf("spec.mode", ["enforce", "warn"], "https://docs.sigstore.dev/policy-controller/overview/#configuring-policy-controller-clusterimagepolicy"),
        oneOf("spec.authorities[].key.hashAlgorithm", ["sha224", "sha256", "sha384", "sha512"], "https://docs.sigstore.dev/policy-controller/overview/#configuring-key-authorities"),
        text("spec.authorities[].key.kms", { max: 2048, pattern: /^(awskms|gcpkms|azurekms|hashivault):\/\//, chars: "a cosign KMS URI (awskms://, gcpkms://, azurekms://, hashivault://)" }, "https://docs.sigstore.dev/cosign/key_management/overview/"),
    ),
    // NACK's CRDs (nats-io/nack deploy/crds.yml, the schema the pinned chart installs).
    "kubernetes:jetstream.nats.io/v1beta2:Stream": entry(
        ...meta(dns1123Subdomain()),
        text("spec.name", { max: 255, pattern: /^[^.*> \t]+$/, chars: "no '.', '*', '>' or whitespace" }, "https://github.com/nats-io/nack/blob/main/deploy/crds.yml"),
        oneOf("spec.retention", ["limits", "interest", "workqueue"], "https://github.com/nats-io/nack/blob/main/deploy/crds.yml"),
        oneOf("spec.storage", ["file", "memory"], "https://github.com/nats-io/nack/blob/main/deploy/crds.yml"),
        oneOf("spec.discard", ["old", "new"], "https://github.com/nats-io/nack/blob/main/deploy/crds.yml"),
        between("spec.replicas", 1, 5, "https://docs.nats.io/nats-concepts/jetstream/streams#configuration"),
        custom("range", "spec.maxBytes", (v) => (typeof v === "number" && v < -1 ? "-1 or more" : undefined), "https://github.com/nats-io/nack/blob/main/deploy/crds.yml"),
    ),
    "kubernetes:jetstream.nats.io/v1beta2:Account": entry(...meta(dns1123Subdomain())),
};
